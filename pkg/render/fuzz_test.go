package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/render/canvas"
)

// addExamples seeds a fuzz target with every example journey.
func addExamples(f *testing.F) {
	examples, _ := filepath.Glob("../../examples/*/*.journey.yaml")
	for _, p := range examples {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("journey: x\ntitle: \"<b>&\\\"]];\\n\\x1b\"\nphases: [{id: p, name: \"}\\\"\"}]\nstages:\n- {id: a, name: \"a\\\"b<br/>\", phase: p, entry: true, next: [{to: b, when: \"-->|x|\"}]}\n- {id: b, phase: zz, outcome: success, reasons: [{id: r, name: \"%%{init}%%\", next: a}]}\n"))
}

// FuzzDOT: any journey the loader returns gives DOT without a panic, the
// same bytes twice, valid UTF-8 with no control character but newline, one
// graph whose braces and quotes balance.
func FuzzDOT(f *testing.F) {
	addExamples(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file := load.ParseJourney("f.journey.yaml", data)
		if file.Journey == nil {
			return
		}
		dot := DOT(file.Journey, Options{})
		if !bytes.Equal(dot, DOT(file.Journey, Options{})) {
			t.Fatal("two DOT writes differ")
		}
		checkText(t, dot)
		if !bytes.HasPrefix(dot, []byte("digraph journey {\n")) || !bytes.HasSuffix(dot, []byte("}\n")) {
			t.Fatalf("not one digraph:\n%s", dot)
		}
		depth, inString, html := 0, false, 0 // html: depth of <...> of an HTML-like label
		for i := 0; i < len(dot); i++ {
			switch c := dot[i]; {
			case html > 0 && c == '<':
				html++
			case html > 0 && c == '>':
				html--
			case html > 0:
			case !inString && c == '<':
				html = 1
			case inString && c == '\\':
				i++
			case c == '"':
				inString = !inString
			case !inString && c == '{':
				depth++
			case !inString && c == '}':
				depth--
				if depth < 0 {
					t.Fatalf("a } closes nothing at byte %d:\n%s", i, dot)
				}
			case inString && c == '\n':
				t.Fatalf("a newline inside a quoted string at byte %d:\n%s", i, dot)
			}
		}
		if depth != 0 || inString || html != 0 {
			t.Fatalf("unbalanced DOT (depth %d, open string %v, open label %d):\n%s", depth, inString, html, dot)
		}
	})
}

// FuzzMermaid: no panic, deterministic, clean text, a flowchart whose
// every line is one statement (no line break from a name).
func FuzzMermaid(f *testing.F) {
	addExamples(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file := load.ParseJourney("f.journey.yaml", data)
		if file.Journey == nil {
			return
		}
		m := Mermaid(file.Journey, Options{})
		if !bytes.Equal(m, Mermaid(file.Journey, Options{})) {
			t.Fatal("two Mermaid writes differ")
		}
		checkText(t, m)
		if !bytes.HasPrefix(m, []byte("flowchart")) {
			t.Fatalf("not a flowchart:\n%s", m)
		}
		for _, line := range strings.Split(strings.TrimSuffix(string(m), "\n"), "\n") {
			if strings.Count(line, `"`)%2 != 0 {
				t.Fatalf("unbalanced quotes in %q", line)
			}
		}
	})
}

// FuzzCanvasSVG: the canvas view of any loaded journey is well-formed XML,
// the same bytes twice, without a panic.
func FuzzCanvasSVG(f *testing.F) {
	addExamples(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file := load.ParseJourney("f.journey.yaml", data)
		if file.Journey == nil {
			return
		}
		svg, err := canvas.SVG(file.Journey, canvas.Options{})
		if err != nil {
			return
		}
		again, _ := canvas.SVG(file.Journey, canvas.Options{})
		if !bytes.Equal(svg, again) {
			t.Fatal("two canvas writes differ")
		}
		wellFormed(t, svg)
	})
}

// checkText fails on invalid UTF-8 or a control character other than
// newline in generated text.
func checkText(t *testing.T, b []byte) {
	t.Helper()
	if !utf8.Valid(b) {
		t.Fatalf("invalid UTF-8 in output:\n%q", b)
	}
	for _, r := range string(b) {
		if r < 0x20 && r != '\n' || r == 0x7f {
			t.Fatalf("control character %U in output:\n%q", r, b)
		}
	}
}
