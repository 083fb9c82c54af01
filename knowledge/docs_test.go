package knowledge

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// docs/ranking.md states the figures of the ranking code; when one of
// them changes, the document must change with it.
func TestRankingDocMatchesCode(t *testing.T) {
	doc, err := os.ReadFile("../docs/ranking.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ")
	for _, want := range []string{
		fmt.Sprintf("The %d best sentences are tokenized again", rerankDepth),
		fmt.Sprintf("k1 = %v, b = %v", k1, bParam),
		fmt.Sprintf("less than %.0f%% of the question's weight", minCoverage*100),
		fmt.Sprintf("weighs %v of an exact one", fuzzyWeight),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("docs/ranking.md does not say %q, as the code does", want)
		}
	}
	if strings.Contains(text, "../shared") {
		t.Error("docs/ranking.md points at ../shared, which a clone does not have")
	}
}
