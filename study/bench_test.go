package study

import (
	"fmt"
	"testing"
)

// BenchmarkMake measures making an item again (what a review or a round
// costs) on the generated corpus of 150 entries; BenchmarkPick drawing a
// new one.
func BenchmarkMake(b *testing.B) {
	ix := testCorpora(b)["generated"]
	it, err := Pick(ix, "bench", PickOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		if _, err := Make(ix, it.Ref, fmt.Sprint(k)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPick(b *testing.B) {
	ix := testCorpora(b)["generated"]
	for k := 0; k < b.N; k++ {
		if _, err := Pick(ix, fmt.Sprint(k), PickOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
