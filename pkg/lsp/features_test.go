package lsp

import (
	"path/filepath"
	"strings"
	"testing"
)

// at is the LSP position of the n-th (from 0) occurrence of s in src,
// plus off characters (ASCII before the match only).
func at(src, s string, n, off int) Position {
	i := -1
	for k := 0; k <= n; k++ {
		j := strings.Index(src[i+1:], s)
		if j < 0 {
			panic("no " + s)
		}
		i += j + 1
	}
	p := newText([]byte(src)).position(i)
	p.Character += off
	return p
}

type session struct {
	*client
	dir          string
	trial, sales string
	cfg          string
}

func newSession(t *testing.T, opts any) *session {
	dir := testWorkspace(t)
	c := startClient(t)
	c.initialize(dir, opts)
	s := &session{client: c, dir: dir}
	s.trial = c.open(filepath.Join(dir, "trial.journey.yaml"))
	s.sales = c.open(filepath.Join(dir, "sales/sales.journey.yaml"))
	s.cfg = pathToURI(filepath.Join(dir, ".journey.yaml"))
	t.Cleanup(func() { c.shutdown() })
	return s
}

func pos(uri string, p Position) TextDocumentPositionParams {
	return TextDocumentPositionParams{TextDocument: TextDocumentIdentifier{URI: uri}, Position: p}
}

func TestDefinitionAndReferences(t *testing.T) {
	s := newSession(t, nil)
	// A hand-off's stage jumps to the other file.
	var locs []Location
	s.call("textDocument/definition", pos(s.trial, at(testTrial, "talks-to-sales", 0, 3)), &locs)
	if len(locs) != 1 || locs[0].URI != s.sales || locs[0].Range.Start != at(testSales, "talks-to-sales", 0, 0) {
		t.Errorf("definition of the hand-off's stage: %+v", locs)
	}
	// The hand-off's journey jumps to the journey id.
	s.call("textDocument/definition", pos(s.trial, at(testTrial, "journey: sales", 0, 10)), &locs)
	if len(locs) != 1 || locs[0].URI != s.sales || locs[0].Range.Start != at(testSales, "sales", 0, 0) {
		t.Errorf("definition of the hand-off's journey: %+v", locs)
	}
	// A stage referenced after non-ASCII text on its line.
	s.call("textDocument/definition", pos(s.trial, at(testTrial, "phase: activaton", 0, 8)), &locs)
	if len(locs) != 0 {
		t.Errorf("an unknown phase has no definition: %+v", locs)
	}
	s.call("textDocument/definition", pos(s.trial, at(testTrial, "phase: signup", 0, 8)), &locs)
	if len(locs) != 1 || locs[0].Range.Start != at(testTrial, "signup", 0, 0) {
		t.Errorf("definition of a phase: %+v", locs)
	}
	// A persona declared in the workspace configuration.
	s.call("textDocument/definition", pos(s.trial, at(testTrial, "[buyer]", 0, 2)), &locs)
	if len(locs) != 1 || locs[0].URI != s.cfg {
		t.Errorf("definition of a workspace persona: %+v", locs)
	}
	// References of a stage across files, from its definition.
	var refs []Location
	s.call("textDocument/references", ReferenceParams{TextDocumentPositionParams: pos(s.sales, at(testSales, "talks-to-sales", 0, 1))}, &refs)
	if len(refs) != 1 || refs[0].URI != s.trial {
		t.Errorf("references of talks-to-sales: %+v", refs)
	}
	p := ReferenceParams{TextDocumentPositionParams: pos(s.trial, at(testTrial, "invites-team", 1, 0))}
	p.Context.IncludeDeclaration = true
	s.call("textDocument/references", p, &refs)
	if len(refs) != 2 {
		t.Errorf("references of invites-team with its declaration: %+v", refs)
	}
	// The declaration is on the line with the emoji: UTF-16 columns.
	want := at(testTrial, "invites-team", 1, 0)
	line := strings.Split(testTrial, "\n")[want.Line]
	w16 := 0
	for _, r := range line[:strings.Index(line, "invites-team")] {
		w16 += utf16Len(r)
	}
	found := false
	for _, r := range refs {
		if r.Range.Start.Line == want.Line {
			found = r.Range.Start.Character == w16
		}
	}
	if !found {
		t.Errorf("invites-team's declaration not at character %d: %+v", w16, refs)
	}
}

func TestHover(t *testing.T) {
	s := newSession(t, nil)
	var h Hover
	s.call("textDocument/hover", pos(s.sales, at(testSales, "talks-to-sales", 0, 2)), &h)
	for _, want := range []string{"Talks to sales", "phase `talk`", "incoming: `trial/starts-trial` (hand-off)", "outgoing: `signs`"} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("stage hover lacks %q:\n%s", want, h.Contents.Value)
		}
	}
	s.call("textDocument/hover", pos(s.trial, at(testTrial, "paid", 0, 1)), &h)
	if !strings.Contains(h.Contents.Value, "outcome: `success`") {
		t.Errorf("outcome hover:\n%s", h.Contents.Value)
	}
	// A key: the schema's description.
	s.call("textDocument/hover", pos(s.trial, at(testTrial, "entry:", 0, 1)), &h)
	if !strings.Contains(h.Contents.Value, "`entry`") || len(h.Contents.Value) < 20 {
		t.Errorf("key hover:\n%s", h.Contents.Value)
	}
	// A finding: its rule and the docs.
	s.call("textDocument/hover", pos(s.trial, at(testTrial, "emial", 0, 1)), &h)
	if !strings.Contains(h.Contents.Value, "unknown-reference") || !strings.Contains(h.Contents.Value, "rules.md#unknown-reference") {
		t.Errorf("finding hover:\n%s", h.Contents.Value)
	}
}

func TestSymbols(t *testing.T) {
	s := newSession(t, nil)
	var syms []DocumentSymbol
	s.call("textDocument/documentSymbol", DocumentFormattingParams{TextDocument: TextDocumentIdentifier{URI: s.trial}}, &syms)
	var b strings.Builder
	var walk func([]DocumentSymbol, string)
	walk = func(ds []DocumentSymbol, indent string) {
		for _, d := range ds {
			b.WriteString(indent + d.Name + " (" + d.Detail + ")\n")
			walk(d.Children, indent+"  ")
		}
	}
	walk(syms, "")
	want := `signup (Sign-up)
  starts-trial (Starts a trial)
activation (Activation)
  paid (outcome: success Pays)
invites-team (Ünïcødé 😀 team)
`
	if b.String() != want {
		t.Errorf("document symbols:\n%s\nwant:\n%s", b.String(), want)
	}
	var ws []SymbolInformation
	s.call("workspace/symbol", WorkspaceSymbolParams{Query: "sales"}, &ws)
	var names []string
	for _, w := range ws {
		names = append(names, w.Name+"@"+filepath.Base(w.Location.URI))
	}
	if got := strings.Join(names, " "); got != "sales@sales.journey.yaml talks-to-sales@sales.journey.yaml" {
		t.Errorf("workspace symbols: %s", got)
	}
}
