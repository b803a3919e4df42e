package diag

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/journeykit/journey/internal/golden"

	"github.com/journeykit/journey/pkg/journey"
)

const (
	fileA = "journeys/ebook nurture.journey.yaml"
	fileB = "b.journey.yaml"
)

// sourceA has a tab in line 8 and non-ASCII letters in line 7, so golden
// carets show that columns count code points and tabs line up.
var sourceA = "journey: ebook-nurture\n" +
	"stages:\n" +
	"  - id: download\n" +
	"    entry: true\n" +
	"    next:\n" +
	"      - to: welcom\n" +
	"  - id: café-ünïcode\n" +
	"    note:\t\"50% off\" # promo\n"

var sourceB = "journey: b\r\nstages:\r\n  - id: last\r\n"

func rng(l1, c1, l2, c2 int) journey.Range {
	return journey.Range{Start: journey.Pos{Line: l1, Column: c1}, End: journey.Pos{Line: l2, Column: c2}}
}

func emptyReport() Report {
	return Report{Files: 3, Rules: testRules()}
}

func testRules() []RuleInfo {
	return []RuleInfo{
		{ID: "unknown-reference", Severity: Error,
			Summary: "a reference names nothing",
			Help:    "A stage, phase, persona or channel named here is not defined. Fix the typo or define it."},
		{ID: "missing-owner", Severity: Warning,
			Summary: "a stage has no owner",
			Help:    "Every stage needs someone who answers for it: set `owner` on the stage, its phase or the journey."},
		{ID: "dead-end", Severity: Error,
			Summary: "a stage leads nowhere",
			Help:    "A stage that is not an outcome needs at least one transition, or customers get stuck."},
		{ID: "duplicate-id", Severity: Error, Summary: "an id is defined twice"},
		{ID: "schema", Severity: Error, Summary: "the document does not match the format"},
	}
}

// findingsReport has four findings across two of its three files: every
// severity, a suggestion, a rule missing from Rules, and a message full of
// characters each format must escape.
func findingsReport() Report {
	return Report{
		Files:   3,
		Rules:   testRules(),
		Version: "0.3.0-test",
		Sources: map[string][]byte{fileA: []byte(sourceA), fileB: []byte(sourceB)},
		Findings: []Diagnostic{
			{File: fileA, Range: rng(6, 13, 6, 19), Severity: Error, Rule: "unknown-reference",
				Message:    `stage "download" refers to "welcom", which names nothing`,
				Suggestion: Suggest("welcome", rng(6, 13, 6, 19)),
				Journey:    "ebook-nurture", Stage: "download"},
			{File: fileA, Range: rng(7, 9, 7, 21), Severity: Warning, Rule: "missing-owner",
				Message: "stage \"café-ünïcode\" has no owner: 100% of stages need one,\n" +
					"see <script>alert('x')</script> & 'docs'",
				Journey: "ebook-nurture", Stage: "café-ünïcode"},
			{File: fileA, Range: rng(8, 5, 8, 20), Severity: Info, Rule: "custom-note",
				Message: "a tab separates this key from its value", Journey: "ebook-nurture"},
			{File: fileB, Range: rng(3, 9, 3, 13), Severity: Error, Rule: "dead-end",
				Message: `stage "last" has no way out`, Journey: "b", Stage: "last"},
			{File: fileB, Range: rng(3, 9, 3, 13), Severity: Error, Rule: "duplicate-id",
				Message: `duplicate stage id "last"`, Journey: "b", Stage: "last",
				Related: []Related{{File: fileA, Range: rng(3, 9, 3, 17), Message: "first defined here"}}},
			{File: fileB, Range: rng(1, 10, 1, 11), Severity: Warning, Rule: "schema",
				Message: `expected a boolean, got the string "yes"`, Journey: "b",
				Suggestion: &Suggestion{Text: "true", Range: rng(1, 10, 1, 11), Literal: true}},
		},
	}
}

type goldenWriter struct {
	name  string
	write func(*bytes.Buffer, Report) error
}

// writers are the registered formats, every one of which must have its
// goldens, plus the text output in colour.
var writers = func() []goldenWriter {
	var out []goldenWriter
	for _, w := range Writers {
		out = append(out, goldenWriter{w.Name, func(b *bytes.Buffer, r Report) error { return w.Write(b, r, TextOptions{}) }})
	}
	return append(out, goldenWriter{"text-color", func(b *bytes.Buffer, r Report) error { return WriteText(b, r, TextOptions{Color: true}) }})
}()

var reports = []struct {
	name   string
	report func() Report
}{
	{"empty", emptyReport},
	{"findings", findingsReport},
}

func TestGolden(t *testing.T) {
	for _, rep := range reports {
		for _, wr := range writers {
			name := rep.name + "." + wr.name
			t.Run(name, func(t *testing.T) {
				var got bytes.Buffer
				if err := wr.write(&got, rep.report()); err != nil {
					t.Fatal(err)
				}
				golden.Check(t, filepath.Join("testdata", name+".golden"), got.Bytes())
			})
		}
	}
}

// TestDeterministic guards byte-stable output: maps (fingerprints, source
// cache) must not leak their iteration order.
func TestDeterministic(t *testing.T) {
	for _, wr := range writers {
		var first, again bytes.Buffer
		if err := wr.write(&first, findingsReport()); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			again.Reset()
			if err := wr.write(&again, findingsReport()); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first.Bytes(), again.Bytes()) {
				t.Fatalf("%s: output differs between runs", wr.name)
			}
		}
	}
}
