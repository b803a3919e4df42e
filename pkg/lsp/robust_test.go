package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/load"
)

// Hostile documents get the same findings as journey lint gives for the
// same bytes on disk, and the server answers afterwards.
func TestHostileDocuments(t *testing.T) {
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'k'; i++ {
		prev := string(i - 1)
		laughs += fmt.Sprintf("%c: &%c [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", i, i, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	docs := map[string]string{
		"laughs":   "journey: laughs\n" + laughs,
		"deep":     "journey: deep\ntitle: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n",
		"longline": "journey: long\ntitle: " + strings.Repeat("é😀", 200000) + "\n",
		"controls": "journey: \"\\e]0;TITLE\\a\"\ntitle: \"\\u0000\\u202e\"\nstages: [{id: \"a\\e[2J\", name: x, phase: \"\\u0007\"}]\n",
		"twodocs":  "journey: a\n---\njourney: b\n",
		"crlf":     "journey: crlf\r\ntitle: T\r\nowner: x\r\nphases: [{id: p, name: P}]\r\nstages:\r\n  - {id: a, name: \"ü😀\", phase: q}\r\n",
		"lonecr":   "journey: cr\rtitle: T\rphases: [{id: p, name: P}]\rstages:\r  - {id: a, name: \"😀\", phase: q}\r",
	}
	for name, content := range docs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			file := name + ".journey.yaml"
			writeFiles(t, dir, map[string]string{file: content})
			c := startClient(t)
			c.initialize(dir, nil)
			uri := c.open(filepath.Join(dir, file))
			got := describeDiags(c.diagnostics(uri))
			if want := lintAsLSP(t, dir, file); got != want || got == "" {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
			}
			var h *Hover
			c.call("textDocument/hover", pos(uri, Position{Line: 1, Character: 3}), &h)
			var l CompletionList
			c.call("textDocument/completion", pos(uri, Position{Line: 1, Character: 3}), &l)
			var syms []DocumentSymbol
			c.call("textDocument/documentSymbol", DocumentFormattingParams{TextDocument: TextDocumentIdentifier{URI: uri}}, &syms)
			if code := c.shutdown(); code != 0 {
				t.Errorf("exit %d", code)
			}
		})
	}
}

// Memory stays flat over 10,000 edits: the heap after the last edit is
// within a few MiB of the heap after the first thousand.
func TestMemoryFlatOverEdits(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 edits")
	}
	dir := testWorkspace(t)
	c := startClient(t)
	c.initialize(dir, nil)
	trial := c.open(filepath.Join(dir, "trial.journey.yaml"))
	c.open(filepath.Join(dir, "sales/sales.journey.yaml"))
	src := testTrial
	i := strings.Index(src, "Free trial") + len("Free trial")
	p := newText([]byte(src)).position(i)
	heap := func() uint64 {
		c.mu.Lock()
		c.notes = nil
		c.mu.Unlock()
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var warm uint64
	for n := 1; n <= 10000; n++ {
		var ev TextDocumentContentChangeEvent
		if n%2 == 1 {
			ev = TextDocumentContentChangeEvent{Range: &Range{Start: p, End: p}, Text: "é"}
		} else {
			end := p
			end.Character++
			ev = TextDocumentContentChangeEvent{Range: &Range{Start: p, End: end}, Text: ""}
		}
		change(c, trial, int32(n+1), ev)
		if n%500 == 0 {
			if ds := c.diagnostics(trial); len(ds) == 0 {
				t.Fatalf("no diagnostics after %d edits", n)
			}
		}
		if n == 1000 {
			warm = heap()
		}
	}
	final := heap()
	t.Logf("heap after 1,000 edits %d KiB, after 10,000 %d KiB", warm>>10, final>>10)
	if final > warm+4<<20 {
		t.Errorf("heap grew from %d KiB to %d KiB over 9,000 edits", warm>>10, final>>10)
	}
	c.shutdown()
	_ = os.Remove
}

// A YAML file that is not a journey file gets nothing: editors that start
// servers by language send every YAML file.
func TestOtherYAMLIgnored(t *testing.T) {
	dir := testWorkspace(t)
	writeFiles(t, dir, map[string]string{"ci.yml": "on: push\njobs: {}\n"})
	c := startClient(t)
	c.initialize(dir, nil)
	uri := c.open(filepath.Join(dir, "ci.yml"))
	if ds := c.diagnostics(uri); ds != nil {
		t.Errorf("diagnostics for ci.yml: %s", describeDiags(ds))
	}
	var syms []DocumentSymbol
	c.call("textDocument/documentSymbol", DocumentFormattingParams{TextDocument: TextDocumentIdentifier{URI: uri}}, &syms)
	if len(syms) != 0 {
		t.Errorf("symbols for ci.yml: %+v", syms)
	}
	c.shutdown()
}

// A document past journey lint's size bound gets lint's finding, unread.
func TestTooLargeDocument(t *testing.T) {
	dir := t.TempDir()
	st := newState()
	st.init(dir, InitializationOptions{}, func(string, ...any) {})
	big := make([]byte, load.MaxFileSize+1)
	for i := range big {
		big[i] = ' '
	}
	uri := pathToURI(filepath.Join(dir, "big.journey.yaml"))
	st.open(uri, 1, big)
	ps := st.diagnostics()
	if len(ps) != 1 || len(ps[0].Diagnostics) != 1 || ps[0].Diagnostics[0].Code != "syntax" ||
		ps[0].Diagnostics[0].Message != "the file is 67108865 bytes, more than the 67108864 bytes a journey file may have: split it into several journeys" {
		t.Errorf("diagnostics of a 64 MiB + 1 document: %+v", ps)
	}
}

// A message past MaxMessageSize stops the server (exit 1) with a log line.
func TestMessageTooLarge(t *testing.T) {
	var out strings.Builder
	var log strings.Builder
	in := strings.NewReader(fmt.Sprintf("Content-Length: %d\r\n\r\n{}", MaxMessageSize+1))
	if code := Serve(in, &out, Options{Log: &log}); code != 1 {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(log.String(), "more than the") {
		t.Errorf("log: %q", log.String())
	}
}
