package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
)

const testConfig = `journeys: ["**/*.journey.yaml"]
teams: [growth, sales]
personas:
  - {id: buyer, name: Buyer}
rules:
  unused-persona: off
`

const testTrial = `journey: trial
title: Free trial
owner: growth
phases:
  - {id: signup, name: Sign-up}
  - {id: activation, name: Activation}
stages:
  - id: starts-trial
    name: Starts a trial
    phase: signup
    entry: true
    personas: [buyer]
    next:
      - {to: invites-team, rate: 0.4}
      - {to: talks-to-sales, journey: sales}
  - {name: "Ünïcødé 😀 team", id: invites-team, phase: activaton, channel: emial, next: [pays]}
  - id: paid
    name: Pays
    phase: activation
    outcome: success
`

const testSales = `journey: sales
title: Sales
owner: sales
phases:
  - {id: talk, name: Talk}
stages:
  - id: talks-to-sales
    name: Talks to sales
    phase: talk
    next: [signs]
  - id: signs
    name: Signs
    phase: talk
    outcome: success
`

func testWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".journey.yaml":            testConfig,
		"trial.journey.yaml":       testTrial,
		"sales/sales.journey.yaml": testSales,
		"other/unrelated.txt":      "not a journey",
	})
	return dir
}

// lintAsLSP runs journey lint's code on the workspace and converts its
// findings of one file as the server does.
func lintAsLSP(t *testing.T, dir, name string) string {
	t.Helper()
	_, res, err := lint.LoadAndRun(load.Options{Dir: dir}, lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	tx := newText(src)
	var ds []Diagnostic
	for _, d := range res.Findings {
		if filepath.ToSlash(d.File) != name {
			continue
		}
		msg := d.Message
		if d.Suggestion != nil {
			msg += "\n" + d.Suggestion.Help()
		}
		ds = append(ds, Diagnostic{Range: tx.rangeToLSP(d.Range), Code: d.Rule, Message: msg})
	}
	return describeDiags(ds)
}

func TestDiagnosticsMatchLint(t *testing.T) {
	dir := testWorkspace(t)
	c := startClient(t)
	c.initialize(dir, nil)
	trial := c.open(filepath.Join(dir, "trial.journey.yaml"))
	sales := c.open(filepath.Join(dir, "sales/sales.journey.yaml"))
	got := describeDiags(c.diagnostics(trial))
	want := lintAsLSP(t, dir, "trial.journey.yaml")
	if got != want || got == "" {
		t.Errorf("trial diagnostics:\n%s\nwant (journey lint):\n%s", got, want)
	}
	if got, want := describeDiags(c.diagnostics(sales)), lintAsLSP(t, dir, "sales/sales.journey.yaml"); got != want {
		t.Errorf("sales diagnostics:\n%s\nwant:\n%s", got, want)
	}
	// UTF-16: "activaton" follows "Ünïcødé 😀 team" on line 16: the emoji
	// counts two code units.
	line := strings.Split(testTrial, "\n")[15]
	byteCol := strings.Index(line, "activaton")
	want16 := 0
	for _, r := range line[:byteCol] {
		want16 += utf16Len(r)
	}
	found := false
	for _, d := range c.diagnostics(trial) {
		if strings.Contains(d.Message, `"activaton"`) {
			found = true
			if d.Range.Start != (Position{Line: 15, Character: want16}) || d.Range.End.Character != want16+len("activaton") {
				t.Errorf("activaton at %+v, want line 15 character %d", d.Range, want16)
			}
			if d.CodeDescription == nil || !strings.HasSuffix(d.CodeDescription.Href, "rules.md#unknown-reference") || d.Severity != SeverityError {
				t.Errorf("activaton: %+v", d)
			}
		}
	}
	if !found {
		t.Errorf("no finding for activaton")
	}
	if code := c.shutdown(); code != 0 {
		t.Errorf("exit code %d after shutdown, want 0", code)
	}
}

func change(c *client, uri string, version int32, changes ...TextDocumentContentChangeEvent) {
	c.notify("textDocument/didChange", DidChangeTextDocumentParams{
		TextDocument:   VersionedTextDocumentIdentifier{URI: uri, Version: version},
		ContentChanges: changes,
	})
}

// replaceFirst is an incremental change replacing the first old in src.
func replaceFirst(src, old, new string) (TextDocumentContentChangeEvent, string) {
	i := strings.Index(src, old)
	if i < 0 {
		panic("no " + old)
	}
	tx := newText([]byte(src))
	r := Range{Start: tx.position(i), End: tx.position(i + len(old))}
	return TextDocumentContentChangeEvent{Range: &r, Text: new}, src[:i] + new + src[i+len(old):]
}

func TestWorkspaceRulesFollowOtherFiles(t *testing.T) {
	dir := testWorkspace(t)
	c := startClient(t)
	c.initialize(dir, nil)
	trial := c.open(filepath.Join(dir, "trial.journey.yaml"))
	sales := c.open(filepath.Join(dir, "sales/sales.journey.yaml"))
	before := describeDiags(c.diagnostics(sales))
	if strings.Contains(before, "unreachable-stage") {
		t.Fatalf("sales is handed into: nothing unreachable expected:\n%s", before)
	}
	// The hand-off goes to another stage: sales loses its way in.
	ev, src := replaceFirst(testTrial, "{to: talks-to-sales, journey: sales}", "{to: signs, journey: sales}")
	change(c, trial, 2, ev)
	after := describeDiags(c.diagnostics(sales))
	if !strings.Contains(after, "unreachable-stage") {
		t.Errorf("sales after the hand-off moved:\n%s", after)
	}
	// Back as it was, by another edit: the same findings as at first.
	ev, _ = replaceFirst(src, "{to: signs, journey: sales}", "{to: talks-to-sales, journey: sales}")
	change(c, trial, 3, ev)
	if got := describeDiags(c.diagnostics(sales)); got != before {
		t.Errorf("sales after the revert:\n%s\nwant:\n%s", got, before)
	}
	if got, want := describeDiags(c.diagnostics(trial)), lintAsLSP(t, dir, "trial.journey.yaml"); got != want {
		t.Errorf("trial after the revert:\n%s\nwant:\n%s", got, want)
	}

	// A file created on disk with the same journey id: duplicate-id in the
	// open file, once the client says the file exists.
	dup := filepath.Join(dir, "dup.journey.yaml")
	writeFiles(t, dir, map[string]string{"dup.journey.yaml": strings.Replace(testSales, "title: Sales", "title: Copy", 1)})
	c.notify("workspace/didChangeWatchedFiles", DidChangeWatchedFilesParams{Changes: []FileEvent{{URI: pathToURI(dup), Type: FileCreated}}})
	got := describeDiags(c.diagnostics(sales))
	if !strings.Contains(got, "duplicate-id") {
		t.Errorf("sales with a duplicate on disk:\n%s", got)
	}
	if got != lintAsLSP(t, dir, "sales/sales.journey.yaml") {
		t.Errorf("sales with a duplicate on disk:\n%s\nwant:\n%s", got, lintAsLSP(t, dir, "sales/sales.journey.yaml"))
	}
	os.Remove(dup)
	c.notify("workspace/didChangeWatchedFiles", DidChangeWatchedFilesParams{Changes: []FileEvent{{URI: pathToURI(dup), Type: FileDeleted}}})
	if got := describeDiags(c.diagnostics(sales)); got != before {
		t.Errorf("sales once the duplicate is deleted:\n%s\nwant:\n%s", got, before)
	}
	c.shutdown()
}

// The findings depend on the documents, not on the order of the events
// that made them.
func TestDiagnosticsIndependentOfEventOrder(t *testing.T) {
	dir := testWorkspace(t)
	final := strings.Replace(testTrial, "channel: emial", "channel: email", 1)
	final = strings.Replace(final, "name: Pays", "name: Pays ✓", 1)

	run := func(order int) (string, string) {
		c := startClient(t)
		c.initialize(dir, nil)
		var trial, sales string
		openTrial := func() { trial = c.open(filepath.Join(dir, "trial.journey.yaml")) }
		openSales := func() { sales = c.open(filepath.Join(dir, "sales/sales.journey.yaml")) }
		edit := func() {
			ev1, mid := replaceFirst(testTrial, "channel: emial", "channel: email")
			ev2, _ := replaceFirst(mid, "name: Pays", "name: Pays ✓")
			if order == 1 {
				change(c, trial, 2, ev1, ev2)
			} else {
				change(c, trial, 2, TextDocumentContentChangeEvent{Text: final})
			}
		}
		if order == 0 {
			openTrial()
			openSales()
			edit()
		} else {
			openSales()
			openTrial()
			edit()
		}
		a, b := describeDiags(c.diagnostics(trial)), describeDiags(c.diagnostics(sales))
		c.shutdown()
		return a, b
	}
	a0, b0 := run(0)
	a1, b1 := run(1)
	if a0 != a1 || b0 != b1 {
		t.Errorf("order 0:\n%s%s\norder 1:\n%s%s", a0, b0, a1, b1)
	}
	if strings.Contains(a0, "emial") {
		t.Errorf("the edit was not applied:\n%s", a0)
	}
}

func TestLifecycle(t *testing.T) {
	c := startClient(t)
	if _, err := c.callErr("textDocument/hover", TextDocumentPositionParams{}); err == nil || err.Code != codeServerNotInitialized {
		t.Errorf("hover before initialize: %v", err)
	}
	c.initialize(t.TempDir(), nil)
	if _, err := c.callErr("initialize", map[string]any{}); err == nil || err.Code != codeInvalidRequest {
		t.Errorf("second initialize: %v", err)
	}
	if _, err := c.callErr("no/such", map[string]any{}); err == nil || err.Code != codeMethodNotFound {
		t.Errorf("unknown method: %v", err)
	}
	c.call("shutdown", nil, nil)
	if _, err := c.callErr("textDocument/hover", TextDocumentPositionParams{}); err == nil || err.Code != codeInvalidRequest {
		t.Errorf("hover after shutdown: %v", err)
	}
	c.notify("exit", nil)
	if code := <-c.exit; code != 0 {
		t.Errorf("exit code %d", code)
	}

	// exit without shutdown: 1.
	c2 := startClient(t)
	c2.initialize(t.TempDir(), nil)
	c2.notify("exit", nil)
	if code := <-c2.exit; code != 1 {
		t.Errorf("exit without shutdown: code %d, want 1", code)
	}
}

func TestPanicBecomesError(t *testing.T) {
	testHook = func(method string) {
		if method == "textDocument/hover" {
			panic("boom")
		}
	}
	defer func() { testHook = nil }()
	dir := testWorkspace(t)
	c := startClient(t)
	c.initialize(dir, nil)
	trial := c.open(filepath.Join(dir, "trial.journey.yaml"))
	_, err := c.callErr("textDocument/hover", TextDocumentPositionParams{TextDocument: TextDocumentIdentifier{URI: trial}})
	if err == nil || err.Code != codeInternalError || !strings.Contains(err.Message, "boom") {
		t.Errorf("hover that panics: %v", err)
	}
	if !strings.Contains(c.log.String(), "boom") {
		t.Errorf("no log line for the panic: %q", c.log.String())
	}
	// Still alive.
	if ds := c.diagnostics(trial); len(ds) == 0 {
		t.Errorf("no diagnostics after the panic")
	}
	if code := c.shutdown(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestCancelledRequest(t *testing.T) {
	release := make(chan struct{})
	testHook = func(method string) {
		if method == "workspace/symbol" {
			<-release
		}
	}
	defer func() { testHook = nil }()
	c := startClient(t)
	c.initialize(testWorkspace(t), nil)
	testCancelled = make(chan string, 1)
	defer func() { testCancelled = nil }()
	busy := c.send(100, "workspace/symbol", WorkspaceSymbolParams{})
	hover := c.send(101, "textDocument/hover", TextDocumentPositionParams{})
	c.notify("$/cancelRequest", CancelParams{ID: json.RawMessage("101")})
	if id := <-testCancelled; id != "101" {
		t.Errorf("cancelled %s", id)
	}
	close(release)
	<-busy
	m := <-hover
	if m.Error == nil || m.Error.Code != codeRequestCancelled {
		t.Errorf("cancelled hover answered %+v", m)
	}
	c.shutdown()
}

func sortedStrings(s []string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return s
}
