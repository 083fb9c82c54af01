package knowledge

// stopWords are English function words: they say how a question is put,
// not what it is about, so they are neither indexed nor matched.
var stopWords = func() map[string]bool {
	words := []string{
		"a", "an", "the", "and", "or", "but", "nor", "so", "yet", "if", "then", "than", "as",
		"of", "in", "on", "at", "to", "for", "from", "by", "with", "about", "into", "onto", "upon",
		"over", "under", "between", "through", "during", "before", "after", "above", "below",
		"up", "down", "out", "off", "again", "further", "once", "also", "too", "very", "just",
		"is", "am", "are", "was", "were", "be", "been", "being", "do", "does", "did", "doing",
		"have", "has", "had", "having", "will", "would", "shall", "should", "can", "could",
		"may", "might", "must", "i", "me", "my", "we", "us", "our", "you", "your", "he", "him",
		"his", "she", "her", "it", "its", "they", "them", "their", "this", "that", "these",
		"those", "there", "here", "what", "which", "who", "whom", "whose", "when", "where",
		"why", "how", "not", "no", "all", "any", "both", "each", "few", "more", "most", "other",
		"some", "such", "only", "own", "same", "s", "t",
		"many", "much",
	}
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}()

func isStopWord(w string) bool { return stopWords[w] }
