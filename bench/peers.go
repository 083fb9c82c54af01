package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/sahilm/fuzzy"

	"github.com/footnote-bot/footnote/internal/benchrun"
)

// bleveMapping indexes sentence documents: "text" (the sentence) and
// "title" (its entry's title), both analysed in English (stop words,
// Porter stemming) and stored, so that a hit can be quoted as Footnote
// quotes a fact. Scoring is BM25.
func bleveMapping() *mapping.IndexMappingImpl {
	field := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store = true
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("text", field())
	doc.AddFieldMappingsAt("title", field())
	im := bleve.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = en.AnalyzerName
	im.ScoringModel = index.BM25Scoring
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false
	return im
}

// runBleve indexes the sentences Footnote exported in an in-memory scorch
// index, in batches, then times a match query on the sentence text for
// each question (top c.top hits, with their stored text and title).
func runBleve(ctx context.Context, c config) (benchrun.Report, error) {
	rep := benchrun.Report{Engine: "bleve", Corpus: c.dir}
	texts, err := questionTexts(c)
	if err != nil {
		return rep, err
	}
	base := benchrun.Snapshot()
	start := time.Now()
	idx, err := bleve.NewUsing("", bleveMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return rep, fmt.Errorf("bleve: %w", err)
	}
	defer idx.Close()
	entries, sentences, err := indexExport(ctx, idx, c.export, c.batch)
	if err != nil {
		return rep, err
	}
	rep.LoadSeconds = time.Since(start).Seconds()
	rep.Entries, rep.Sentences = entries, sentences
	rep.SetMemory(base, benchrun.Snapshot())
	if n, err := idx.DocCount(); err != nil || n != uint64(sentences) {
		return rep, fmt.Errorf("bleve holds %d documents, want %d (%v)", n, sentences, err)
	}

	lat, errs := benchrun.Time(texts, c.warmup, func(q string) error {
		mq := bleve.NewMatchQuery(q)
		mq.SetField("text")
		req := bleve.NewSearchRequestOptions(mq, c.top, 0, false)
		req.Fields = []string{"text", "title"}
		_, err := idx.SearchInContext(ctx, req)
		return err
	})
	rep.SetAsk(lat)
	rep.AskErrors = errs
	return rep, ctx.Err()
}

// indexExport reads corpus.jsonl and indexes one document per sentence,
// with id "entry.sentence".
func indexExport(ctx context.Context, idx bleve.Index, dir string, batchSize int) (entries, sentences int, err error) {
	f, err := os.Open(filepath.Join(dir, exportCorpus))
	if err != nil {
		return 0, 0, fmt.Errorf("reading the export: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	batch := idx.NewBatch()
	flush := func() error {
		if batch.Size() == 0 {
			return nil
		}
		if err := idx.Batch(batch); err != nil {
			return fmt.Errorf("bleve batch: %w", err)
		}
		batch.Reset()
		return ctx.Err()
	}
	for sc.Scan() {
		var e exported
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return entries, sentences, fmt.Errorf("%s:%d: %w", exportCorpus, entries+1, err)
		}
		for k, s := range e.Sentences {
			id := strconv.Itoa(entries) + "." + strconv.Itoa(k)
			if err := batch.Index(id, map[string]any{"text": s, "title": e.Title}); err != nil {
				return entries, sentences, fmt.Errorf("bleve: %w", err)
			}
			sentences++
			if batch.Size() >= batchSize {
				if err := flush(); err != nil {
					return entries, sentences, err
				}
			}
		}
		entries++
	}
	if err := sc.Err(); err != nil {
		return entries, sentences, fmt.Errorf("reading the export: %w", err)
	}
	return entries, sentences, flush()
}

// runNaive times fuzzy.Find over every title, the scan Footnote's title
// lookup replaces, on the first c.naiveLookups of the queries Footnote got.
func runNaive(ctx context.Context, c config) (benchrun.Report, error) {
	rep := benchrun.Report{Engine: "naive fuzzy.Find", Corpus: c.dir}
	titles, err := readTitles(c.export)
	if err != nil {
		return rep, err
	}
	rep.Entries = len(titles)
	queries := benchrun.TitleQueries(titles, c.lookups, 1)
	queries = queries[:min(len(queries), c.naiveLookups)]
	lat, _ := benchrun.Time(queries, min(c.warmup, 5), func(q string) error {
		fuzzy.Find(q, titles)
		return nil
	})
	rep.SetLookup(lat)
	return rep, ctx.Err()
}
