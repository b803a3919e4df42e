package lsp

import (
	"sort"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/format"
	"github.com/journeykit/journey/pkg/load"
)

// applyEdits applies LSP edits to src.
func applyEdits(src string, edits []TextEdit) string {
	sort.SliceStable(edits, func(a, b int) bool {
		x, y := edits[a].Range.Start, edits[b].Range.Start
		return x.Line > y.Line || x.Line == y.Line && x.Character > y.Character
	})
	b := []byte(src)
	for _, e := range edits {
		r := e.Range
		b = applyChange(b, &r, e.NewText)
	}
	return string(b)
}

func TestRename(t *testing.T) {
	s := newSession(t, nil)
	var edit WorkspaceEdit
	var r Range
	s.call("textDocument/prepareRename", pos(s.trial, at(testTrial, "talks-to-sales", 0, 2)), &r)
	if r.Start != at(testTrial, "talks-to-sales", 0, 0) {
		t.Errorf("prepareRename: %+v", r)
	}
	s.call("textDocument/rename", RenameParams{TextDocumentPositionParams: pos(s.trial, at(testTrial, "talks-to-sales", 0, 2)), NewName: "meets-sales"}, &edit)
	if len(edit.Changes) != 2 {
		t.Fatalf("rename edits %d files: %+v", len(edit.Changes), edit)
	}
	trial := applyEdits(testTrial, edit.Changes[s.trial])
	sales := applyEdits(testSales, edit.Changes[s.sales])
	if !strings.Contains(trial, "{to: meets-sales, journey: sales}") {
		t.Errorf("trial after rename:\n%s", trial)
	}
	f := load.ParseJourney("sales.journey.yaml", []byte(sales))
	if f.Journey == nil || f.Journey.Stage("meets-sales") == nil || len(f.Journey.Stage("meets-sales").RenamedFrom) != 1 ||
		f.Journey.Stage("meets-sales").RenamedFrom[0].Value != "talks-to-sales" || len(f.Diagnostics) != 0 {
		t.Errorf("sales after rename:\n%s\n%v", sales, f.Diagnostics)
	}
	// A flow-style stage gets renamed_from inside its braces.
	s.call("textDocument/rename", RenameParams{TextDocumentPositionParams: pos(s.trial, at(testTrial, "invites-team", 0, 0)), NewName: "invites-colleagues"}, &edit)
	trial = applyEdits(testTrial, edit.Changes[s.trial])
	if !strings.Contains(trial, "next: [pays], renamed_from: [invites-team]}") || strings.Count(trial, "invites-colleagues") != 2 {
		t.Errorf("flow stage after rename:\n%s", trial)
	}
	if f := load.ParseJourney("t.journey.yaml", []byte(trial)); f.Journey == nil || hasSyntaxError(f) {
		t.Errorf("renamed trial does not load: %v", f.Diagnostics)
	}
	// A phase.
	s.call("textDocument/rename", RenameParams{TextDocumentPositionParams: pos(s.trial, at(testTrial, "signup", 0, 0)), NewName: "sign-up"}, &edit)
	if got := applyEdits(testTrial, edit.Changes[s.trial]); strings.Count(got, "sign-up") != 2 || strings.Contains(got, "renamed_from") {
		t.Errorf("phase rename:\n%s", got)
	}
	// A journey: the hand-off follows.
	s.call("textDocument/rename", RenameParams{TextDocumentPositionParams: pos(s.sales, at(testSales, "sales", 0, 0)), NewName: "enterprise-sales"}, &edit)
	if got := applyEdits(testTrial, edit.Changes[s.trial]); !strings.Contains(got, "journey: enterprise-sales}") {
		t.Errorf("journey rename in trial:\n%s", got)
	}
	// Refused: invalid, taken, built-in.
	for _, c := range []struct {
		at    Position
		uri   string
		name  string
		error string
	}{
		{at(testTrial, "paid", 0, 0), s.trial, "Not An Id", "not a valid id"},
		{at(testTrial, "paid", 0, 0), s.trial, "starts-trial", "already exists"},
		{at(testSales, "signs", 1, 0), s.sales, "talks-to-sales", "already exists"},
	} {
		_, err := s.callErr("textDocument/rename", RenameParams{TextDocumentPositionParams: pos(c.uri, c.at), NewName: c.name})
		if err == nil || !strings.Contains(err.Message, c.error) {
			t.Errorf("rename to %q: %v", c.name, err)
		}
	}
}

func TestRenameWithoutRenamedFrom(t *testing.T) {
	s := newSession(t, map[string]any{"renamedFrom": false})
	var edit WorkspaceEdit
	s.call("textDocument/rename", RenameParams{TextDocumentPositionParams: pos(s.sales, at(testSales, "signs", 1, 0)), NewName: "signed"}, &edit)
	if got := applyEdits(testSales, edit.Changes[s.sales]); strings.Contains(got, "renamed_from") || strings.Count(got, "signed") != 2 {
		t.Errorf("rename with renamedFrom off:\n%s", got)
	}
}

func TestFormatting(t *testing.T) {
	s := newSession(t, nil)
	messy := strings.Replace(testSales, "phases:\n  - {id: talk, name: Talk}", "phases:\n    - {id: talk,   name: Talk}", 1)
	change(s.client, s.sales, 2, TextDocumentContentChangeEvent{Text: messy})
	var edits []TextEdit
	s.call("textDocument/formatting", DocumentFormattingParams{TextDocument: TextDocumentIdentifier{URI: s.sales}}, &edits)
	want, err := format.Format("sales.journey.yaml", []byte(messy))
	if err != nil {
		t.Fatal(err)
	}
	if got := applyEdits(messy, edits); got != string(want) || got == messy {
		t.Errorf("formatted:\n%s\nwant:\n%s", got, want)
	}
	// What fmt refuses is refused with its message.
	change(s.client, s.sales, 3, TextDocumentContentChangeEvent{Text: "journey: [broken\n"})
	_, rerr := s.callErr("textDocument/formatting", DocumentFormattingParams{TextDocument: TextDocumentIdentifier{URI: s.sales}})
	if rerr == nil || !strings.Contains(rerr.Message, "fmt") {
		t.Errorf("formatting a broken file: %v", rerr)
	}
}

func TestCodeActions(t *testing.T) {
	s := newSession(t, nil)
	actions := func(word string) map[string]string {
		p := at(testTrial, word, 0, 1)
		var got []CodeAction
		s.call("textDocument/codeAction", CodeActionParams{TextDocument: TextDocumentIdentifier{URI: s.trial}, Range: Range{Start: p, End: p}}, &got)
		out := map[string]string{}
		for _, a := range got {
			out[a.Title] = applyEdits(testTrial, a.Edit.Changes[s.trial])
		}
		return out
	}
	got := actions("emial")
	if fixed, ok := got["Change to email"]; !ok || !strings.Contains(fixed, "channel: email,") {
		t.Errorf("emial: %v", got)
	}
	got = actions("activaton")
	if fixed, ok := got["Add phase activaton"]; !ok || !strings.Contains(fixed, "  - {id: activaton, name: activaton}\nstages:") {
		t.Errorf("activaton: %q", got)
	}
	if _, ok := got["Change to activation"]; !ok {
		t.Errorf("activaton: no did-you-mean in %v", got)
	}
	got = actions("pays]")
	fixed, ok := got["Add stage pays"]
	if !ok {
		t.Fatalf("pays: %v", got)
	}
	f := load.ParseJourney("t.journey.yaml", []byte(fixed))
	if f.Journey == nil || f.Journey.Stage("pays") == nil || len(f.Diagnostics) != 0 {
		t.Errorf("after adding pays:\n%s\n%v", fixed, f.Diagnostics)
	}
	// A dead end: mark it as an outcome.
	deadEnd := strings.Replace(testTrial, "    outcome: success\n", "    outcome: success\n  - id: waits\n    name: Waits\n    phase: activation\n", 1)
	change(s.client, s.trial, 2, TextDocumentContentChangeEvent{Text: deadEnd})
	p := at(deadEnd, "waits", 0, 1)
	var acts []CodeAction
	s.call("textDocument/codeAction", CodeActionParams{TextDocument: TextDocumentIdentifier{URI: s.trial}, Range: Range{Start: p, End: p}}, &acts)
	titles := map[string]string{}
	for _, a := range acts {
		titles[a.Title] = applyEdits(deadEnd, a.Edit.Changes[s.trial])
	}
	if fixed, ok := titles["Mark waits as an outcome: exit"]; !ok || !strings.Contains(fixed, "  - id: waits\n    outcome: exit\n") {
		t.Errorf("dead end: %v", titles)
	}
}

// A syntax error keeps the last good symbols for navigation.
func TestSyntaxErrorKeepsSymbols(t *testing.T) {
	s := newSession(t, nil)
	s.diagnostics(s.sales) // the good version was seen
	broken := testSales + "  - {id: [unclosed\n"
	change(s.client, s.sales, 2, TextDocumentContentChangeEvent{Text: broken})
	ds := s.diagnostics(s.sales)
	if len(ds) == 0 || ds[0].Code != "syntax" {
		t.Errorf("diagnostics of a broken file: %s", describeDiags(ds))
	}
	var locs []Location
	s.call("textDocument/definition", pos(s.trial, at(testTrial, "talks-to-sales", 0, 3)), &locs)
	if len(locs) != 1 || locs[0].URI != s.sales {
		t.Errorf("definition into a broken file: %+v", locs)
	}
	var syms []DocumentSymbol
	s.call("textDocument/documentSymbol", DocumentFormattingParams{TextDocument: TextDocumentIdentifier{URI: s.sales}}, &syms)
	if len(syms) == 0 {
		t.Errorf("no symbols in a broken file")
	}
}
