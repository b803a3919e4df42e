package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
)

func TestSaveAndClose(t *testing.T) {
	s := newSession(t, nil)
	fixed := strings.Replace(testTrial, "channel: emial", "channel: email", 1)
	// Saved with its text: the findings follow it.
	txt := fixed
	s.notify("textDocument/didSave", DidSaveTextDocumentParams{TextDocument: TextDocumentIdentifier{URI: s.trial}, Text: &txt})
	if got := describeDiags(s.diagnostics(s.trial)); strings.Contains(got, "emial") {
		t.Errorf("after save:\n%s", got)
	}
	// Closed: its diagnostics are cleared.
	s.notify("textDocument/didClose", DidCloseTextDocumentParams{TextDocument: TextDocumentIdentifier{URI: s.trial}})
	if ds := s.diagnostics(s.trial); ds == nil || len(ds) != 0 {
		t.Errorf("after close: %v", ds)
	}
}

// The configuration changed on disk: severities change in open files.
func TestConfigChangedOnDisk(t *testing.T) {
	s := newSession(t, nil)
	before := s.diagnostics(s.trial)
	writeFiles(t, s.dir, map[string]string{".journey.yaml": testConfig + "  unknown-reference: warning\n"})
	s.notify("workspace/didChangeWatchedFiles", DidChangeWatchedFilesParams{Changes: []FileEvent{{URI: s.cfg, Type: FileChanged}}})
	after := s.diagnostics(s.trial)
	if got, want := describeDiags(after), lintAsLSP(t, s.dir, "trial.journey.yaml"); got != want {
		t.Errorf("after the configuration changed:\n%s\nwant:\n%s", got, want)
	}
	n := 0
	for i, d := range after {
		if d.Code == "unknown-reference" {
			n++
			if d.Severity != SeverityWarning || before[i].Severity != SeverityError {
				t.Errorf("severity %d, before %d", d.Severity, before[i].Severity)
			}
		}
	}
	if n == 0 {
		t.Errorf("no unknown-reference finding")
	}
}

// A persona of the workspace configuration is renamed in the
// configuration and in every journey that uses it.
func TestRenameWorkspacePersona(t *testing.T) {
	s := newSession(t, nil)
	var edit WorkspaceEdit
	s.call("textDocument/rename", RenameParams{TextDocumentPositionParams: pos(s.trial, at(testTrial, "[buyer]", 0, 2)), NewName: "champion"}, &edit)
	cfg := applyEdits(testConfig, edit.Changes[s.cfg])
	trial := applyEdits(testTrial, edit.Changes[s.trial])
	if !strings.Contains(cfg, "{id: champion, name: Buyer}") || !strings.Contains(trial, "personas: [champion]") {
		t.Errorf("rename of a workspace persona:\n%s\n%s", cfg, trial)
	}
	// A built-in channel cannot be renamed.
	src := strings.Replace(testTrial, "channel: emial", "channel: email", 1)
	change(s.client, s.trial, 2, TextDocumentContentChangeEvent{Text: src})
	_, err := s.callErr("textDocument/rename", RenameParams{TextDocumentPositionParams: pos(s.trial, at(src, "email", 0, 1)), NewName: "mail"})
	if err == nil || !strings.Contains(err.Message, "built-in") {
		t.Errorf("rename of a built-in channel: %v", err)
	}
}

// A request cancelled while it runs is answered RequestCancelled.
func TestCancelRunningRequest(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	testHook = func(method string) {
		if method == "workspace/symbol" {
			close(started)
			<-release
		}
	}
	defer func() { testHook = nil }()
	testCancelled = make(chan string, 1)
	defer func() { testCancelled = nil }()
	c := startClient(t)
	c.initialize(testWorkspace(t), nil)
	running := c.send(100, "workspace/symbol", WorkspaceSymbolParams{})
	<-started
	c.notify("$/cancelRequest", CancelParams{ID: json.RawMessage("100")})
	<-testCancelled
	close(release)
	if m := <-running; m.Error == nil || m.Error.Code != codeRequestCancelled {
		t.Errorf("cancelled running request answered %+v", m)
	}
	c.shutdown()
}

// A workspace without a configuration: the directory's journey files.
func TestWorkspaceWithoutConfig(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"trial.journey.yaml": testTrial, "sales.journey.yaml": testSales})
	c := startClient(t)
	c.initialize(dir, nil)
	uri := c.open(filepath.Join(dir, "trial.journey.yaml"))
	if got, want := describeDiags(c.diagnostics(uri)), lintAsLSP(t, dir, "trial.journey.yaml"); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	var locs []Location
	c.call("textDocument/definition", pos(uri, at(testTrial, "talks-to-sales", 0, 1)), &locs)
	if len(locs) != 1 || !strings.HasSuffix(locs[0].URI, "sales.journey.yaml") {
		t.Errorf("definition: %+v", locs)
	}
	c.shutdown()
	_ = os.Remove
}

// A file changed on disk without a watcher event is read again at the
// next change of the workspace.
func TestDiskChangeWithoutEvent(t *testing.T) {
	dir := testWorkspace(t)
	c := startClient(t)
	c.initialize(dir, nil)
	trial := c.open(filepath.Join(dir, "trial.journey.yaml"))
	if got := describeDiags(c.diagnostics(trial)); strings.Contains(got, "retired") {
		t.Fatalf("before:\n%s", got)
	}
	// sales (read from disk, never open) is retired on disk.
	writeFiles(t, dir, map[string]string{"sales/sales.journey.yaml": strings.Replace(testSales, "title: Sales\n", "title: Sales\nstatus: retired\n", 1)})
	// Any edit of the open file: the hand-off now leads into a retired journey.
	ev, _ := replaceFirst(testTrial, "title: Free trial", "title: Free trial!")
	change(c, trial, 2, ev)
	if got := describeDiags(c.diagnostics(trial)); !strings.Contains(got, "retired") {
		t.Errorf("after sales was retired on disk:\n%s", got)
	}
	c.shutdown()
}

// The workspace configuration gets its own findings, as journey lint
// gives them when it is named.
func TestConfigDiagnostics(t *testing.T) {
	s := newSession(t, nil)
	bad := strings.Replace(testConfig, "unused-persona: off", "unused-persona: offf", 1)
	s.notify("textDocument/didOpen", DidOpenTextDocumentParams{TextDocument: TextDocumentItem{URI: s.cfg, Version: 1, Text: bad}})
	got := describeDiags(s.diagnostics(s.cfg))
	if !strings.Contains(got, "offf") {
		t.Errorf("configuration findings:\n%s", got)
	}
	writeFiles(t, s.dir, map[string]string{".journey.yaml": bad})
	_, res, err := lint.LoadAndRun(load.Options{Dir: s.dir, Paths: []string{".journey.yaml"}}, lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tx := newText([]byte(bad))
	var want []Diagnostic
	for _, d := range res.Findings {
		msg := d.Message
		if d.Suggestion != nil {
			msg += "\n" + d.Suggestion.Help()
		}
		want = append(want, Diagnostic{Range: tx.rangeToLSP(d.Range), Code: d.Rule, Message: msg})
	}
	if describeDiags(want) != got {
		t.Errorf("configuration findings:\n%s\njourney lint .journey.yaml:\n%s", got, describeDiags(want))
	}
}

// Channels: a declared channel's references, a built-in one's (no
// definition).
func TestChannelNavigation(t *testing.T) {
	s := newSession(t, nil)
	src := strings.Replace(testTrial, "phases:\n", "channels:\n  - {id: forum, name: Forum, kind: community}\nphases:\n", 1)
	src = strings.Replace(src, "channel: emial", "channel: forum", 1)
	src = strings.Replace(src, "    entry: true\n", "    entry: true\n    channel: email\n", 1)
	change(s.client, s.trial, 2, TextDocumentContentChangeEvent{Text: src})
	var locs []Location
	s.call("textDocument/definition", pos(s.trial, at(src, "channel: forum", 0, 10)), &locs)
	if len(locs) != 1 || locs[0].Range.Start != at(src, "forum", 0, 0) {
		t.Errorf("definition of a declared channel: %+v", locs)
	}
	p := ReferenceParams{TextDocumentPositionParams: pos(s.trial, at(src, "forum", 0, 1))}
	s.call("textDocument/references", p, &locs)
	if len(locs) != 1 || locs[0].Range.Start != at(src, "channel: forum", 0, 9) {
		t.Errorf("references of a declared channel: %+v", locs)
	}
	s.call("textDocument/definition", pos(s.trial, at(src, "channel: email", 0, 10)), &locs)
	if len(locs) != 0 {
		t.Errorf("a built-in channel has no definition: %+v", locs)
	}
	var h Hover
	s.call("textDocument/hover", pos(s.trial, at(src, "channel: email", 0, 10)), &h)
	if !strings.Contains(h.Contents.Value, "built-in") {
		t.Errorf("hover of a built-in channel: %s", h.Contents.Value)
	}
}
