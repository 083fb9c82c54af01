// Package seeds holds Footnote's default corpus, compiled into the binary.
//
// Every .md, .txt and .jsonl file in this directory is embedded; the
// knowledge package loads them when no knowledge directory is given.
package seeds

import "embed"

// FS is the embedded default corpus.
//
//go:embed *.md
var FS embed.FS
