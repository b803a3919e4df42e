package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/load"
)

// writeFiles writes name -> content into a new directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// lintOutput lints dir as `journey lint` does and prints the findings in
// format.
func lintOutput(t *testing.T, dir, format string) string {
	t.Helper()
	sets, err := load.Load(load.Options{Dir: dir, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	res := Run(sets, Options{})
	var b bytes.Buffer
	r := diag.Report{Findings: res.Findings, Files: res.Files, Rules: Infos(), Sources: res.Sources}
	if err := diag.Write(&b, format, r, diag.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Repro 07 (issue 11): ESC and OSC sequences from a utm value,
// utm.required, a regular expression and a file name never reach the text
// or GitHub output raw; each still gets its finding.
func TestNoRawEscapesInOutput(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".journey.yaml": "utm:\n  required: [\"camp\\e]0;REQ-TITLE\\aaign\", source]\n  values:\n    source: [\"ok\"]\n" +
			"  patterns:\n    term: \"(\\e]0;REGEX-TITLE\\a\"\n",
		"e\x1b]0;FILE-TITLE\a.journey.yaml": `journey: esc
title: T
owner: m
phases: [{id: p, name: P}]
stages:
  - id: a
    name: A
    phase: p
    entry: true
    outcome: success
    next: ["b\e[2J"]
    touchpoints:
      - {channel: email, action: x, utm: {source: "s\e]0;VALUE-TITLE\a\e[2J"}}
      - {channel: email, action: y, utm: {medium: m}}
`,
	})
	for _, format := range []string{"text", "github"} {
		out := lintOutput(t, dir, format)
		if strings.ContainsAny(out, "\x1b\a") {
			t.Errorf("%s output has a raw ESC or BEL:\n%q", format, out)
		}
		for _, want := range []string{
			`utm.source "s\x1b]0;VALUE-TITLE\a\x1b[2J" is not an allowed value`, // the value, Go-quoted
			`utm.source is required`, // a required key still checked
			`"(\x1b]0;REGEX-TITLE\a" is not a valid regular expression: missing closing )`,
			`e\x1b]0;FILE-TITLE\x07.journey.yaml`,        // the file name
			`unknown stage "b\x1b[2J"`,                   // a reference
			`"camp\x1b]0;REQ-TITLE\aaign" is not one of`, // utm.required, from the schema
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s output lacks %s:\n%s", format, want, out)
			}
		}
	}
}

// Repro 14 (issue 11): a finding quotes a window of its line, not the
// whole line: a 10 MB one-line file gives a few KB of text.
func TestOutputOfHugeLineIsBounded(t *testing.T) {
	huge := strings.Repeat("x", 10<<20)
	for name, content := range map[string]string{
		"value":  "journey: q\ntitle: " + huge + "\n",
		"flow":   "{journey: q, title: T, owner: m, stages: [{id: a, name: A, next: [" + huge + "]}]}\n",
		"binary": "journey: q\ntitle: " + strings.Repeat("a\x1b]0;T\x07", 1<<20) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"big.journey.yaml": content})
			for _, format := range []string{"text", "github"} {
				out := lintOutput(t, dir, format)
				if len(out) > 10_000 || strings.Contains(out, "\x1b") {
					t.Errorf("%s output is %d bytes (limit 10,000) or has a raw ESC:\n%.2000q", format, len(out), out)
				}
				if !strings.Contains(out, "big.journey.yaml") || !strings.Contains(out, "1 file") {
					t.Errorf("%s output has no finding:\n%.2000s", format, out)
				}
			}
		})
	}
}
