package lsp

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/journeykit/journey/internal/synth"
	"github.com/journeykit/journey/pkg/load"
)

// BenchmarkRediagnose200Stages: one line of a 200-stage file changes, and
// the findings of the file are computed again (parse, lint, conversion).
func BenchmarkRediagnose200Stages(b *testing.B) {
	dir := b.TempDir()
	src := synth.Journey("big", 200)
	path := filepath.Join(dir, "big.journey.yaml")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		b.Fatal(err)
	}
	st := newState()
	st.init(dir, InitializationOptions{}, func(string, ...any) {})
	uri := pathToURI(path)
	st.open(uri, 1, src)
	st.diagnostics()
	i := bytes.Index(src, []byte("title: ")) + len("title: ")
	p := newText(src).position(i)
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		st.change(uri, int32(n+2), []TextDocumentContentChangeEvent{{Range: &Range{Start: p, End: p}, Text: "x"}})
		if len(st.diagnostics()) != 1 {
			b.Fatal("no publication")
		}
	}
}

// BenchmarkDidChangeToPublish100Files: over pipes, from didChange of one
// open file of a 100-file workspace to its publishDiagnostics.
func BenchmarkDidChangeToPublish100Files(b *testing.B) {
	dir := b.TempDir()
	files := synth.Workspace(100, 20)
	names := make([]string, 0, len(files))
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	t := &testing.T{}
	c := startClient(t)
	c.t = t
	c.initialize(dir, nil)
	first := filepath.Join(dir, names[0])
	uri := c.open(first)
	c.open(filepath.Join(dir, names[1]))
	c.diagnostics(uri)
	src := files[names[0]]
	i := bytes.Index(src, []byte("title: ")) + len("title: ")
	p := newText(src).position(i)
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		before := c.publishedCount(uri)
		change(c, uri, int32(n+2), TextDocumentContentChangeEvent{Range: &Range{Start: p, End: p}, Text: "x"})
		for c.publishedCount(uri) == before {
			<-c.noteCh
		}
	}
	b.StopTimer()
	c.mu.Lock()
	c.notes = nil
	c.mu.Unlock()
	_ = json.Marshal
}

// BenchmarkDidChange100FilesAllOpen: the same, with all 100 files open in
// the editor (every one gets its findings computed again).
func BenchmarkDidChange100FilesAllOpen(b *testing.B) {
	dir := b.TempDir()
	files := synth.Workspace(100, 20)
	var names []string
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	st := newState()
	st.init(dir, InitializationOptions{}, func(string, ...any) {})
	for _, name := range names {
		st.open(pathToURI(filepath.Join(dir, name)), 1, files[name])
	}
	st.diagnostics()
	uri := pathToURI(filepath.Join(dir, names[0]))
	src := files[names[0]]
	i := bytes.Index(src, []byte("title: ")) + len("title: ")
	p := newText(src).position(i)
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		st.change(uri, int32(n+2), []TextDocumentContentChangeEvent{{Range: &Range{Start: p, End: p}, Text: "x"}})
		if len(st.diagnostics()) == 0 {
			b.Fatal("no publication")
		}
	}
}

// BenchmarkParse200Stages is the part of re-diagnosing that is parsing
// the file (yaml.v3 and the model), as journey lint does.
func BenchmarkParse200Stages(b *testing.B) {
	src := synth.Journey("big", 200)
	b.SetBytes(int64(len(src)))
	for n := 0; n < b.N; n++ {
		load.ParseJourney("big.journey.yaml", src)
	}
}
