package lsp

import (
	"context"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzDocument: every feature on any document at any position answers
// without a panic, and positions convert back and forth.
func FuzzDocument(f *testing.F) {
	f.Add(testTrial, 15, 40)
	f.Add(testSales, 9, 12)
	f.Add("journey: a\r\nstages:\r  - {id: \"😀\", next: [b\n", 2, 9)
	f.Add("# journey-lint: disable=a,\nk: {a: [b, {c: d", 1, 14)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src string, line, char int) {
		if len(src) > 8<<10 {
			return
		}
		st := newState()
		st.init(dir, InitializationOptions{}, func(string, ...any) {})
		uri := pathToURI(filepath.Join(dir, "f.journey.yaml"))
		st.open(uri, 1, []byte(src))
		st.diagnostics()
		p := Position{Line: line % 64, Character: char % 256}
		if p.Line < 0 {
			p.Line = -p.Line
		}
		if p.Character < 0 {
			p.Character = -p.Character
		}
		tx := newText([]byte(src))
		off := tx.offset(p)
		if off < 0 || off > len(src) {
			t.Fatalf("offset %d of %+v", off, p)
		}
		if utf8.ValidString(src) {
			if q := tx.position(off); tx.offset(q) != off {
				t.Fatalf("offset %d -> %+v -> %d", off, q, tx.offset(q))
			}
		}
		tp := TextDocumentPositionParams{TextDocument: TextDocumentIdentifier{URI: uri}, Position: p}
		st.hover(tp)
		st.completion(tp)
		st.definition(tp)
		st.references(context.Background(), ReferenceParams{TextDocumentPositionParams: tp})
		st.documentSymbols(uri)
		st.workspaceSymbols(context.Background(), "")
		_, _ = st.prepareRename(tp)
		_, _ = st.rename(RenameParams{TextDocumentPositionParams: tp, NewName: "renamed"})
		_, _ = st.format(uri)
		st.codeActions(CodeActionParams{TextDocument: TextDocumentIdentifier{URI: uri}, Range: Range{Start: Position{}, End: p}})
		r := Range{Start: Position{}, End: p}
		st.change(uri, 2, []TextDocumentContentChangeEvent{{Range: &r, Text: "x"}})
		st.diagnostics()
	})
}
