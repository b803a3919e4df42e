package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

const validJourney = `journey: ok
title: OK
owner: marketing
phases:
  - {id: start, name: Start}
stages:
  - id: arrives
    name: Arrives
    phase: start
    entry: true
    next: [buys]
  - id: buys
    name: Buys
    phase: start
    outcome: success
`

// runCLI runs the command in-process and returns its exit code and output.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func billionLaughs() string {
	var b strings.Builder
	b.WriteString("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for c := 'b'; c <= 'i'; c++ {
		p := string(c - 1)
		fmt.Fprintf(&b, "%c: &%c [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", c, c, p, p, p, p, p, p, p, p, p, p)
	}
	b.WriteString("journey: *i\n")
	return b.String()
}

// Hostile input never panics and never hangs: each case gives a finding or
// a clear error, exit 1 or 2, within a few seconds.
func TestHostileInput(t *testing.T) {
	huge := "journey: big\ntitle: \"" + strings.Repeat("x", 20<<20) + "\"\n"
	jsonFile := `{"journey": "json-file", "title": "JSON", "owner": "m", "phases": [{"id": "p", "name": "P"}],
 "stages": [{"id": "a", "name": "A", "phase": "p", "entry": true, "next": ["b"]}, {"id": "b", "name": "B", "phase": "p", "outcome": "exit"}]}`
	cases := []struct {
		name     string
		content  string
		wantCode int
		wantText string
	}{
		{"empty", "", 1, "the file is empty"},
		{"binary", "\x7fELF\x02\x01\x01\x00\x00\x00\x00", 1, "binary"},
		{"random bytes", string([]byte{0xff, 0xfe, 0x00, 0x41, 0x80, 0x81}), 1, "syntax"},
		{"invalid utf-8", "journey: caf\xe9\ntitle: x\n", 1, "not valid UTF-8"},
		{"billion laughs", billionLaughs(), 1, "alias bomb"},
		{"deep flow nesting", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), 1, "syntax"},
		{"deep block nesting", deepBlock(10000), 1, "syntax"},
		{"20 MB string", huge, 1, "schema"},
		{"json", jsonFile, 0, ""},
		{"multi-document", validJourney + "---\n" + validJourney, 1, "second YAML document"},
		{"scalar document", "just text\n", 1, "expected a mapping"},
		{"list document", "- a\n- b\n", 1, "expected a mapping"},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".journey.yaml")
			if err := os.WriteFile(path, []byte(c.content), 0o644); err != nil {
				t.Fatal(err)
			}
			// Time and memory bounds are TestHostileCorpus's, measured
			// as the child process's CPU and memory, not wall clock.
			code, out, errOut := runCLI(t, "", "lint", "--format", "json", path)
			if code != c.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %.500s\nstderr: %.500s", code, c.wantCode, out, errOut)
			}
			var report struct {
				Findings []struct {
					Line    int    `json:"line"`
					Column  int    `json:"column"`
					Rule    string `json:"rule"`
					Message string `json:"message"`
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(out), &report); err != nil {
				t.Fatalf("output is not JSON: %v\n%.500s", err, out)
			}
			all := ""
			for _, f := range report.Findings {
				if f.Line < 1 || f.Column < 1 {
					t.Errorf("finding without a position: %+v", f)
				}
				all += f.Rule + " " + f.Message + "\n"
			}
			if !strings.Contains(all, c.wantText) {
				t.Errorf("findings lack %q:\n%.2000s", c.wantText, all)
			}
		})
	}
}

func deepBlock(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("- \n")
	}
	return b.String()
}

// One broken file does not hide the findings of the others.
func TestLintGoesOnAfterABrokenFile(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.journey.yaml"), "journey: [\n")
	write(t, filepath.Join(dir, "b.journey.yaml"), strings.Replace(validJourney, "    next: [buys]\n", "", 1))
	code, out, _ := runCLI(t, "", "lint", "--format", "json", dir)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out, `"syntax"`) || !strings.Contains(out, `"dead-end"`) {
		t.Errorf("want a syntax finding and a dead-end finding:\n%s", out)
	}
}

func TestManyFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 10,000 files")
	}
	dir := t.TempDir()
	for i := 0; i < 10000; i++ {
		content := strings.ReplaceAll(validJourney, "journey: ok", fmt.Sprintf("journey: j%d", i))
		write(t, filepath.Join(dir, fmt.Sprintf("d%02d", i%100), fmt.Sprintf("f%05d.journey.yaml", i)), content)
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	code, out, errOut := runCLI(t, "", "lint", dir)
	if code != 0 {
		t.Fatalf("exit %d: %.300s %.300s", code, out, errOut)
	}
	if !strings.Contains(out, "10000 files") {
		t.Errorf("summary: %s", out)
	}
	t.Logf("10,000 files linted in %v", time.Since(start))
}

func TestUsageErrors(t *testing.T) {
	tests := [][]string{
		{"lint", "does-not-exist.journey.yaml"},
		{"lint", "--format", "xml"},
		{"lint", "--color", "sometimes"},
		{"lint", "--no-such-flag"},
		{"no-such-command"},
	}
	for _, args := range tests {
		code, _, errOut := runCLI(t, "", args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if !strings.HasPrefix(errOut, "journey: ") {
			t.Errorf("%v: stderr %q", args, errOut)
		}
	}
}

func TestStdin(t *testing.T) {
	code, out, _ := runCLI(t, validJourney, "lint", "-")
	if code != 0 {
		t.Errorf("exit %d: %s", code, out)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
