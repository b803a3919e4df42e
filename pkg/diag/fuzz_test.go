package diag

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/journeykit/journey/pkg/journey"
)

// FuzzWriters prints findings with fuzzed messages, file names, rules,
// suggestions, positions and sources in every format: nothing panics; the
// text and GitHub outputs hold no raw ESC, BEL, CR or other control
// character but their own line breaks (and the colours asked for); GitHub
// lines are workflow commands; SARIF and JSON are valid JSON and JUnit is
// well-formed XML; the text output stays bounded however long the source
// line is.
func FuzzWriters(f *testing.F) {
	f.Add("stage \"x\" is \x1b]0;T\x07 bad", "a\x1b[2J.journey.yaml", "dead-end", "did you mean \"y\"?", "next: [\x1b[31mx]\n", 1, 7, 1, 9, false)
	f.Add("100%: a,b\r\n::error::forged", "a,b:c%.journey.yaml", "r", "", "x: y\r\n", 2, 1, 0, 0, true)
	f.Add("m", "f.journey.yaml", "", "\u202e", strings.Repeat("\x00", 5000), 1, 2500, 1, 2600, false)
	f.Add("\xff\xfe", "\xffbad", "r\n", "\t", "\xff\t\x1b", 1, 3, 1, 1, true)
	f.Fuzz(func(t *testing.T, msg, file, rule, suggestion, source string, l1, c1, l2, c2 int, colour bool) {
		r := Report{
			Files: 1,
			Findings: []Diagnostic{{
				File: file, Severity: Error, Rule: rule, Message: msg,
				Range:      journey.Range{Start: journey.Pos{Line: l1, Column: c1}, End: journey.Pos{Line: l2, Column: c2}},
				Suggestion: &Suggestion{Text: suggestion, Range: journey.Range{Start: journey.Pos{Line: l2, Column: c2}}},
				Related:    []Related{{File: file, Range: journey.Range{Start: journey.Pos{Line: l1, Column: c2}}, Message: suggestion}},
			}},
			Rules:   testRules(),
			Sources: map[string][]byte{file: []byte(source)},
		}
		var b bytes.Buffer
		if err := WriteText(&b, r, TextOptions{Color: colour}); err != nil {
			t.Fatal(err)
		}
		text := b.String()
		if colour {
			text = stripColours(text)
		}
		checkTerminalSafe(t, "text", text)
		if limit := 2*len(msg) + 2*len(file) + 2*len(suggestion) + 4*len(rule) + 8*excerptWidth + 200; len(text) > limit {
			t.Fatalf("text output is %d bytes for a %d-byte source line", len(text), len(source))
		}

		b.Reset()
		if err := WriteGitHub(&b, r); err != nil {
			t.Fatal(err)
		}
		checkTerminalSafe(t, "github", b.String())
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "::error") {
			t.Fatalf("github output is not one workflow command and a summary:\n%q", b.String())
		}

		for _, format := range []string{"json", "sarif"} {
			b.Reset()
			if err := Write(&b, format, r, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(b.Bytes()) {
				t.Fatalf("%s output is not valid JSON:\n%s", format, b.String())
			}
		}

		b.Reset()
		if err := WriteJUnit(&b, r); err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(&b)
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("junit output is not well-formed XML: %v", err)
			}
		}
	})
}

// checkTerminalSafe fails on any control character but a line break (and
// a tab in a GitHub annotation), and on invalid UTF-8, direction overrides
// and C1 controls.
func checkTerminalSafe(t *testing.T, format, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s output is not valid UTF-8: %q", format, s)
	}
	for _, r := range s {
		if r == '\n' || r == '\t' && format == "github" {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			t.Fatalf("%s output has a raw %U:\n%q", format, r, s)
		}
	}
}

// stripColours removes the SGR sequences the text writer adds itself.
func stripColours(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i])
		j := i + 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
			j++
		}
		if j < len(s) && s[j] == 'm' {
			s = s[j+1:]
			continue
		}
		// Not one of ours: keep it so the check finds it.
		b.WriteString(s[i : i+2])
		s = s[i+2:]
	}
}
