package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeykit/journey/internal/safeio"
	"github.com/journeykit/journey/pkg/lsp"
)

const lspTrial = `journey: trial
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
    next:
      - {to: invites-team, rate: 0.4}
      - {to: talks-to-sales, journey: sales}
  - {name: "Ünïcødé 😀 team", id: invites-team, phase: activaton, next: [pays]}
  - id: paid
    name: Pays
    phase: activation
    outcome: success
`

const lspSales = `journey: sales
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

func lspWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{
		".journey.yaml":            "journeys: [\"**/*.journey.yaml\"]\nteams: [growth, sales]\n",
		"trial.journey.yaml":       lspTrial,
		"sales/sales.journey.yaml": lspSales,
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// frame is one LSP message with its header.
func frame(v any) []byte {
	body, _ := json.Marshal(v)
	return append([]byte("Content-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"), body...)
}

// TestLSPCommand runs `journey lsp` as a process: initialize, shutdown,
// exit, exit code 0; exit code 1 without shutdown.
func TestLSPCommand(t *testing.T) {
	bin := buildBinary(t)
	dir := lspWorkspace(t)
	var in bytes.Buffer
	in.Write(frame(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": map[string]any{"rootUri": "file://" + filepath.ToSlash(dir), "capabilities": map[string]any{}}}))
	in.Write(frame(map[string]any{"jsonrpc": "2.0", "method": "initialized", "params": map[string]any{}}))
	in.Write(frame(map[string]any{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
	in.Write(frame(map[string]any{"jsonrpc": "2.0", "method": "exit"}))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "lsp", "--stdio")
	cmd.Dir = dir
	cmd.Stdin = &in
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("journey lsp: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{`"id":1`, `"capabilities"`, `"definitionProvider":true`, `"id":2,"result":null`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %s:\n%s", want, out.String())
		}
	}

	cmd = exec.CommandContext(ctx, bin, "lsp")
	cmd.Stdin = strings.NewReader("")
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("journey lsp with input closed before exit: %v, want exit 1", err)
	}
}

// TestLSPNeovim: a real client. Neovim (Debian's, installed by .ci/run)
// starts journey lsp headless, opens a file and checks the diagnostics, a
// completion list, a definition jump and a rename that edits two files.
func TestLSPNeovim(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		if os.Getenv("CI") == "true" || slices.Contains(strings.Split(os.Getenv("JOURNEY_REQUIRE_ENGINES"), ","), "neovim") {
			t.Fatal("nvim is not installed (CI installs Debian's neovim)")
		}
		t.Skip("nvim is not installed")
	}
	bin := buildBinary(t)
	dir := lspWorkspace(t)
	out := filepath.Join(t.TempDir(), "result.json")
	script, err := filepath.Abs("testdata/lsp/neovim.lua")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-c", "luafile "+script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "JOURNEY_BIN="+bin, "WS="+dir, "OUT="+out, "XDG_STATE_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir())
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		t.Fatalf("nvim: %v\n%s", err, log.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("nvim wrote no result: %v\n%s", err, log.String())
	}
	var res struct {
		Error       string
		Steps       []string
		Diagnostics []struct {
			Lnum, Col int
			Code      string
			Message   string
		}
		Completion                                      []string
		Hover, References, Symbols, Actions, Formatting string
		Definition                                      struct {
			File   string
			Cursor []int
		}
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	if res.Error != "" {
		t.Fatalf("the script failed after %v: %s", res.Steps, res.Error)
	}
	// The diagnostics, with the column Neovim computes from UTF-16.
	line := strings.Split(lspTrial, "\n")[14]
	found := false
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Message, `unknown phase "activaton"`) {
			found = true
			if d.Lnum != 14 || d.Col != strings.Index(line, "activaton") || d.Code != "unknown-reference" {
				t.Errorf("activaton at %d:%d (%s), want 14:%d", d.Lnum, d.Col, d.Code, strings.Index(line, "activaton"))
			}
		}
	}
	if !found {
		t.Errorf("diagnostics: %+v", res.Diagnostics)
	}
	if !strings.Contains(strings.Join(res.Completion, " "), "paid") {
		t.Errorf("completion: %v", res.Completion)
	}
	// Hover, references, symbols, a quick fix and formatting, as Neovim
	// received them.
	if !strings.Contains(res.Hover, "Talks to sales") {
		t.Errorf("hover: %s", res.Hover)
	}
	if !strings.Contains(res.References, "trial.journey.yaml") || !strings.Contains(res.References, "sales.journey.yaml") {
		t.Errorf("references: %s", res.References)
	}
	if !strings.Contains(res.Symbols, "Activation") || !strings.Contains(res.Symbols, "Starts a trial") {
		t.Errorf("symbols: %s", res.Symbols)
	}
	if !strings.Contains(res.Actions, "Change to activation") || !strings.Contains(res.Actions, `"activation"}`) {
		t.Errorf("code actions: %s", res.Actions)
	}
	if !strings.Contains(res.Formatting, "newText") {
		t.Errorf("formatting: %s", res.Formatting)
	}
	if !strings.HasSuffix(res.Definition.File, "sales.journey.yaml") || len(res.Definition.Cursor) != 2 || res.Definition.Cursor[0] != 7 {
		t.Errorf("definition: %+v", res.Definition)
	}
	trial, _ := os.ReadFile(filepath.Join(dir, "trial.journey.yaml"))
	sales, _ := os.ReadFile(filepath.Join(dir, "sales/sales.journey.yaml"))
	if !strings.Contains(string(trial), "{to: meets-sales, journey: sales}") {
		t.Errorf("trial after rename:\n%s", trial)
	}
	if !strings.Contains(string(sales), "- id: meets-sales\n    renamed_from: [talks-to-sales]\n") {
		t.Errorf("sales after rename:\n%s", sales)
	}
}

// docs/limits.md states the size of a message journey lsp reads.
func TestLSPLimitsDoc(t *testing.T) {
	data, err := os.ReadFile("../../docs/limits.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := "| a `journey lsp` message from the editor | " + safeio.Bytes(lsp.MaxMessageSize) + " "; !strings.Contains(string(data), want) {
		t.Errorf("docs/limits.md does not say %q", want)
	}
}
