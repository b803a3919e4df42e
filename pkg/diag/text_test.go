package diag

import (
	"bytes"
	"strings"
	"testing"

	"github.com/fatih/color"
)

func TestQuoteLine(t *testing.T) {
	tests := []struct {
		name       string
		line       string
		start, end int
		text       string
		caret      string
	}{
		{"span", "  - to: welcom", 9, 15, "  - to: welcom", "        ^~~~~~"},
		{"empty range", "abc", 2, 2, "abc", " ^"},
		{"code points", "  - id: café-ünïcode", 9, 21, "  - id: café-ünïcode", "        ^~~~~~~~~~~~"},
		{"after non-ASCII", "é: x", 4, 5, "é: x", "   ^"},
		{"tab inside span", "a\tb", 1, 4, "a   b", "^~~~~"},
		{"after tab", "\t\tx", 3, 4, "        x", "        ^"},
		{"end past line", "abc", 2, 99, "abc", " ^~"},
		{"start past line", "abc", 9, 12, "abc", "   ^"},
		{"empty line", "", 1, 5, "", "^"},
		// A control character is shown as its escape, as wide as the
		// escape.
		{"control character", "a\x1b[31mb", 1, 3, `a\x1b[31mb`, "^~~~~"},
		{"OSC title", "x: \x1b]0;T\a!", 4, 5, `x: \x1b]0;T\x07!`, "   ^~~~"},
		{"invalid UTF-8", "a\xffb", 3, 4, `a\xffb`, "     ^"},
		{"direction override", "a\u202eb", 2, 4, `a\u202eb`, " ^~~~~~~"},
		// A long line is cut to a window around the caret, with "…" where
		// it is cut: 60 columns before the caret, 200 in all.
		{"window", strings.Repeat("a", 1000) + "X" + strings.Repeat("b", 1000), 1001, 1002,
			"…" + strings.Repeat("a", 60) + "X" + strings.Repeat("b", 138) + "…", strings.Repeat(" ", 61) + "^"},
		{"window at start", "X" + strings.Repeat("b", 1000), 1, 2,
			"X" + strings.Repeat("b", 199) + "…", "^"},
		{"window at end", strings.Repeat("a", 1000) + "X", 1001, 1002,
			"…" + strings.Repeat("a", 60) + "X", strings.Repeat(" ", 61) + "^"},
		{"caret past the window", strings.Repeat("a", 1000), 10, 900,
			strings.Repeat("a", 200) + "…", strings.Repeat(" ", 9) + "^" + strings.Repeat("~", 190)},
		{"caret past a long line", strings.Repeat("a", 1000), 2000, 2001,
			"…" + strings.Repeat("a", 60), strings.Repeat(" ", 61) + "^"},
		{"binary", strings.Repeat("\x00", 1000), 500, 501,
			"…" + strings.Repeat(`\x00`, 15) + strings.Repeat(`\x00`, 35) + "…", strings.Repeat(" ", 61) + "^~~~"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, caret := quoteLine(tt.line, tt.start, tt.end)
			if text != tt.text || caret != tt.caret {
				t.Errorf("quoteLine(%.100q, %d, %d) =\n%q\n%q\nwant\n%q\n%q", tt.line, tt.start, tt.end, text, caret, tt.text, tt.caret)
			}
		})
	}
}

func TestSummaryLine(t *testing.T) {
	d := func(s Severity) Diagnostic { return Diagnostic{Severity: s} }
	tests := []struct {
		files    int
		findings []Diagnostic
		want     string
	}{
		{0, nil, "no findings in 0 files"},
		{1, nil, "no findings in 1 file"},
		{3, []Diagnostic{d(Error), d(Error), d(Warning)}, "2 errors, 1 warning, 0 infos in 3 files"},
		{1, []Diagnostic{d(Error), d(Info)}, "1 error, 0 warnings, 1 info in 1 file"},
	}
	for _, tt := range tests {
		if got := SummaryLine(Report{Files: tt.files, Findings: tt.findings}); got != tt.want {
			t.Errorf("SummaryLine = %q, want %q", got, tt.want)
		}
	}
}

// The writer must obey TextOptions whatever fatih/color decided globally
// from standard output.
func TestTextColorIgnoresGlobalState(t *testing.T) {
	saved := color.NoColor
	defer func() { color.NoColor = saved }()
	for _, global := range []bool{true, false} {
		color.NoColor = global
		var on, off bytes.Buffer
		if err := WriteText(&on, findingsReport(), TextOptions{Color: true}); err != nil {
			t.Fatal(err)
		}
		if err := WriteText(&off, findingsReport(), TextOptions{Color: false}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(on.String(), "\x1b[31;1merror\x1b[") {
			t.Errorf("NoColor=%v: Color on gave no red error:\n%q", global, on.String())
		}
		if strings.Contains(off.String(), "\x1b") {
			t.Errorf("NoColor=%v: Color off gave escape codes:\n%q", global, off.String())
		}
	}
}

func TestTextWithoutSourceOrPosition(t *testing.T) {
	r := Report{Files: 1, Findings: []Diagnostic{
		{File: "gone.journey.yaml", Range: rng(4, 2, 4, 3), Severity: Error, Rule: "schema", Message: "bad",
			Suggestion: Suggest("fix", rng(4, 2, 4, 3)),
			Related:    []Related{{File: "a.journey.yaml", Range: rng(2, 3, 2, 4), Message: "first defined here"}, {Message: "nowhere"}}},
		{File: "x.journey.yaml", Severity: Warning, Rule: "empty-phase", Message: "no position"},
	}}
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "gone.journey.yaml:4:2: error: bad [schema]\n" +
		"    = help: did you mean \"fix\"?\n" +
		"    = note: first defined here: a.journey.yaml:2:3\n" +
		"    = note: nowhere\n" +
		"\n" +
		"x.journey.yaml: warning: no position [empty-phase]\n" +
		"\n" +
		"1 error, 1 warning, 0 infos in 1 file\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "xml", Report{}, TextOptions{}); err == nil {
		t.Error("Write accepted an unknown format")
	}
	for _, f := range Formats {
		b.Reset()
		if err := Write(&b, f, findingsReport(), TextOptions{}); err != nil || b.Len() == 0 {
			t.Errorf("Write(%s): %v, %d bytes", f, err, b.Len())
		}
	}
}
