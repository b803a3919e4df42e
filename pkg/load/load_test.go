package load

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
)

// formatExample is the example of the format specification.
const formatExample = `# yaml-language-server: $schema=../schema/journey.schema.json
journey: ebook-nurture
title: E-book download to sales call
owner: marketing
phases:
  - {id: capture, name: Capture}
  - {id: nurture, name: Nurture}
  - {id: sales, name: Sales, owner: sales}
stages:
  - id: downloads-ebook
    name: Downloads the e-book from a landing page
    phase: capture
    entry: true
    emotion: 1
    touchpoints:
      - channel: email
        action: Send "Thanks for the download"
        utm: {source: email, medium: esp, campaign: ebook-2024-05, content: thanks}
    next:
      - {to: reads-related-content, when: clicks a suggested article, after: 2d, rate: 0.3}
      - {to: inactive, when: no click, after: 2d, rate: 0.7}
  - id: reads-related-content
    name: Reads related content
    phase: nurture
    next: [books-sales-call]
  - id: inactive
    name: Stops opening emails
    phase: nurture
    emotion: -1
    next:
      - {to: deactivated, when: no click on "stay subscribed", after: 1d}
  - id: books-sales-call
    name: Books a sales call
    phase: sales
    outcome: success
  - id: deactivated
    name: Removed from the list
    phase: nurture
    outcome: exit
`

func rng(l1, c1, l2, c2 int) journey.Range {
	return journey.Range{Start: journey.Pos{Line: l1, Column: c1}, End: journey.Pos{Line: l2, Column: c2}}
}

func TestExampleLoadsWithExactRanges(t *testing.T) {
	f := ParseJourney("ex.journey.yaml", []byte(formatExample))
	if len(f.Diagnostics) != 0 {
		t.Fatalf("unexpected findings: %+v", f.Diagnostics)
	}
	j := f.Journey
	checks := []struct {
		name string
		got  journey.Range
		want journey.Range
	}{
		{"journey id", j.ID.Range, rng(2, 10, 2, 23)},
		{"flow phase id", j.Phases[0].ID.Range, rng(6, 10, 6, 17)},
		{"flow phase", j.Phases[0].Range, rng(6, 5, 6, 33)},
		{"stage id", j.Stages[1].ID.Range, rng(22, 9, 22, 30)},
		{"stage phase", j.Stages[0].Phase.Range, rng(12, 12, 12, 19)},
		{"flow transition to", j.Stages[0].Next[0].To.Range, rng(20, 14, 20, 35)},
		{"shorthand transition", j.Stages[1].Next[0].To.Range, rng(25, 12, 25, 28)},
		{"touchpoint channel", j.Stages[0].Touchpoints[0].Channel.Range, rng(16, 18, 16, 23)},
		{"utm value", j.Stages[0].Touchpoints[0].UTM.Values["campaign"].Range, rng(18, 53, 18, 66)},
		{"after", j.Stages[0].Next[0].After.Range, rng(20, 78, 20, 80)},
		{"emotion key", field(j.Stages[2].Meta, "emotion").Key, rng(29, 5, 29, 12)},
		{"emotion value", field(j.Stages[2].Meta, "emotion").Value, rng(29, 14, 29, 16)},
		{"stage object", j.Stages[4].Range, rng(36, 5, 39, 18)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: range %v-%v, want %v-%v", c.name, c.got.Start, c.got.End, c.want.Start, c.want.End)
		}
	}
	if got := *j.Stages[0].Next[1].Rate; got != 0.7 {
		t.Errorf("rate = %v", got)
	}
	if got := j.Stages[0].Next[0].AfterMinutes; got != 2*24*60 {
		t.Errorf("after = %v minutes", got)
	}
	if !j.Stages[1].Next[0].Shorthand {
		t.Error("shorthand transition not marked")
	}
}

func TestScalarRanges(t *testing.T) {
	src := "journey: x\n" +
		"title: \"quoted \\\" title\"\n" +
		"description: 'it''s'\n" +
		"owner: |\n  line one\n  line two\n\n" +
		"tags:\n  - a plain value\n    folded onto two lines\n  - *nope\n"
	p := parseYAML("t.yaml", []byte(src))
	if p.root == nil {
		// an undefined alias is a syntax error; use a document without it
		src = strings.Replace(src, "  - *nope\n", "  - éé ünï\n", 1)
		p = parseYAML("t.yaml", []byte(src))
	}
	if p.root == nil {
		t.Fatalf("no root: %+v", p.diags)
	}
	c := p.root.Content
	want := []journey.Range{
		rng(2, 8, 2, 25),  // "quoted \" title"
		rng(3, 14, 3, 21), // 'it''s'
		rng(4, 8, 6, 11),  // literal block
	}
	for i, w := range want {
		if got := p.src.rangeOf(c[3+2*i]); got != w {
			t.Errorf("value %d: %v-%v, want %v-%v", i, got.Start, got.End, w.Start, w.End)
		}
	}
	tags := c[9].Content
	if got := p.src.rangeOf(tags[0]); got != rng(9, 5, 10, 26) {
		t.Errorf("folded plain: %v-%v", got.Start, got.End)
	}
	if got := p.src.rangeOf(tags[1]); got != rng(11, 5, 11, 11) {
		t.Errorf("non-ASCII plain: %v-%v (columns count code points)", got.Start, got.End)
	}
}

type finding struct {
	rule, at, message, help string
}

func findings(f *File) []finding {
	var out []finding
	for _, d := range f.Diagnostics {
		f := finding{rule: d.Rule, at: fmt.Sprintf("%d:%d-%d:%d", d.Range.Start.Line, d.Range.Start.Column, d.Range.End.Line, d.Range.End.Column), message: d.Message}
		if d.Suggestion != nil {
			f.help = d.Suggestion.Help()
		}
		out = append(out, f)
	}
	return out
}

func TestSyntaxErrorsPointAtTheToken(t *testing.T) {
	tests := []struct {
		name, src, at, msg string
	}{
		{"second colon", "journey: a\ntitle: a: b\n", "2:9", "mapping values are not allowed"},
		{"tab indent", "journey: a\nstages:\n\t- id: x\n", "3:1", "cannot start any token"},
		{"bad indent deep in a block", "journey: a\nstages:\n  - id: x\n    name: y\n   phase: z\n", "5:4", "did not find expected"},
		{"unclosed quote", "journey: a\ntitle: \"never closed\nowner: x\n", "2:8", "end of stream"},
		{"unclosed flow", "journey: a\nphases: [a, b\nstages: []\n", "", ""},
		{"undefined alias", "journey: a\ntitle: *missing\n", "2:8", "unknown anchor"},
		// Repro 16: the bad token "d" is at column 74, not at the mapping's first key.
		{"bad token in a flow mapping", "journey: t\ntitle: T\nphases: [{id: p, name: P}]\nstages:\n  - {id: a, name: A, phase: p, entry: true, outcome: success, x-a: \"abc\" d}\n", "5:74", "did not find expected ',' or '}'"},
		{"bad token in a flow list", "journey: t\ntags: [a, \"b\" c, d]\n", "2:15", "did not find expected ',' or ']'"},
		{"bad token in a nested flow over lines", "journey: t\nphases: [{id: p,\n  name: 'P' x}]\n", "3:13", "did not find expected ',' or '}'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ParseJourney("t.journey.yaml", []byte(tt.src))
			got := findings(f)
			if len(got) != 1 || got[0].rule != "syntax" {
				t.Fatalf("want one syntax finding, got %+v", got)
			}
			if tt.at != "" && !strings.HasPrefix(got[0].at, tt.at+"-") {
				t.Errorf("at %s, want %s (%s)", got[0].at, tt.at, got[0].message)
			}
			if !strings.Contains(got[0].message, tt.msg) {
				t.Errorf("message %q lacks %q", got[0].message, tt.msg)
			}
		})
	}
}

func TestStructuralProblems(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'j'; i++ {
		prev := string(i - 1)
		bomb += fmt.Sprintf("%c: &%c [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", i, i, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"
	deepBlock := ""
	for i := 0; i < 150; i++ {
		deepBlock += strings.Repeat("  ", i) + "k:\n"
	}
	tests := []struct {
		name, src, rule, at, msg string
	}{
		{"duplicate key", "journey: a\ntitle: x\njourney: b\n", "syntax", "3:1-3:8", `duplicate key "journey"`},
		{"second document", formatExample + "---\njourney: b\n", "syntax", "40:1-40:4", "a second YAML document"},
		{"alias bomb", bomb, "syntax", "", "alias bomb"},
		{"deep flow nesting", deep, "syntax", "", ""},
		{"deep block nesting", deepBlock, "syntax", "", "nested more than 100 levels"},
		{"empty", "", "schema", "1:1-1:1", "the file is empty"},
		{"only a comment", "# nothing here\n", "schema", "1:1-1:1", "the file is empty"},
		{"lone carriage returns", "journey: a\rtitle: [\r", "syntax", "2:8-2:9", "did not find expected node content"},
		{"only a document marker", "---", "schema", "1:1-1:1", "the file is empty"},
		{"document marker and end", "---\n...\n", "schema", "1:1-1:1", "the file is empty"},
		{"binary", "journey: a\x00\x01\x02", "syntax", "1:11-1:12", "NUL byte"},
		{"invalid utf-8", "journey: a\ntitle: caf\xe9\n", "syntax", "2:11-2:12", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ParseJourney("t.journey.yaml", []byte(tt.src))
			got := findings(f)
			for _, g := range got {
				if g.rule == tt.rule && (tt.at == "" || g.at == tt.at) && strings.Contains(g.message, tt.msg) {
					return
				}
			}
			t.Errorf("want %s at %s containing %q, got %+v", tt.rule, tt.at, tt.msg, got)
		})
	}
}

func TestSchemaFindingsAreWordedAndPlaced(t *testing.T) {
	tests := []struct {
		name, from, to, at, msg string
	}{
		{"emotion above maximum", "    emotion: 1\n", "    emotion: 5\n", "14:14-14:15", "stages[0].emotion: 5 is above the maximum 2"},
		{"unknown key", "    phase: capture\n", "    phase: capture\n    nmae: x\n", "13:5-13:9", `stages[0]: unknown key "nmae"`},
		{"missing required key", "    name: Reads related content\n", "", "22:5-22:30", `stages[1]: missing required key "name"`},
		{"wrong type", "    entry: true\n", "    entry: yes please\n", "13:12-13:22", "stages[0].entry: expected true or false, got the text \"yes please\""},
		{"bad id", "  - id: inactive\n", "  - id: Inactive Stage\n", "26:9-26:23", `stages[2].id: "Inactive Stage" is not a valid id`},
		{"bad wait", "after: 1d}", "after: 1x}", "31:71-31:73", `"1x" is not a valid wait`},
		{"bad outcome", "    outcome: exit\n", "    outcome: won\n", "39:14-39:17", `stages[4].outcome: "won" is not one of`},
		{"rate above 1", "rate: 0.7}", "rate: 1.7}", "21:57-21:60", "1.7 is above the maximum 1"},
		{"transition of wrong type", "    next: [books-sales-call]\n", "    next: [42]\n", "25:12-25:14", "stages[1].next[0]: expected text or a mapping"},
		{"x- extension allowed", "owner: marketing\n", "owner: marketing\nx-jira: MKT-12\n", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(formatExample, tt.from, tt.to, 1)
			if src == formatExample {
				t.Fatal("replacement did not apply")
			}
			got := findings(ParseJourney("t.journey.yaml", []byte(src)))
			if tt.msg == "" {
				if len(got) != 0 {
					t.Fatalf("want no finding, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want exactly one finding, got %+v", got)
			}
			if got[0].rule != "schema" || got[0].at != tt.at || !strings.Contains(got[0].message, tt.msg) {
				t.Errorf("got %+v\nwant schema at %s containing %q", got[0], tt.at, tt.msg)
			}
		})
	}
}

// Every wrong-typed field yields findings, never a crash, and the model
// keeps whatever else could be read.
func TestWrongTypesEverywhere(t *testing.T) {
	lines := strings.Split(formatExample, "\n")
	keyValue := regexp.MustCompile(`^(\s*-?\s*)([a-z_]+): (.+)$`)
	for i, line := range lines {
		m := keyValue.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, bad := range []string{"[1, 2]", "{a: b}", "~", "3.5", "-7"} {
			mutated := append([]string(nil), lines...)
			mutated[i] = m[1] + m[2] + ": " + bad
			src := strings.Join(mutated, "\n")
			f := ParseJourney("t.journey.yaml", []byte(src))
			for _, d := range f.Diagnostics {
				if d.Range.Start.Line < 1 || d.Message == "" {
					t.Errorf("line %d = %q: finding without position or message: %+v", i+1, mutated[i], d)
				}
			}
		}
	}
}

func TestLoadWorkspace(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".journey.yaml", "journeys: [\"journeys/**/*.journey.yaml\"]\nteams: [marketing, sales]\n")
	write("journeys/a.journey.yaml", formatExample)
	write("journeys/deep/b.journey.yaml", strings.Replace(formatExample, "ebook-nurture", "other", 1))
	write("journeys/node_modules/c.journey.yaml", "broken: [")
	write("elsewhere/d.journey.yaml", formatExample)

	sets, err := Load(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 1 || sets[0].Config == nil {
		t.Fatalf("want one set with a config, got %d", len(sets))
	}
	var paths []string
	for _, f := range sets[0].Files {
		paths = append(paths, f.Path)
	}
	if got := strings.Join(paths, " "); got != "journeys/a.journey.yaml journeys/deep/b.journey.yaml" {
		t.Errorf("files = %s", got)
	}

	// A named file is reported; the rest of its workspace is read as context.
	sets, err = Load(Options{Dir: dir, Paths: []string{"journeys/a.journey.yaml"}})
	if err != nil {
		t.Fatal(err)
	}
	s := sets[0]
	if len(s.Files) != 2 || len(s.Requested) != 1 || len(s.Workspace.Journeys) != 2 {
		t.Errorf("files %d, requested %d, journeys %d", len(s.Files), len(s.Requested), len(s.Workspace.Journeys))
	}

	if _, err := Load(Options{Dir: dir, Paths: []string{"missing.journey.yaml"}}); err == nil {
		t.Error("a missing path must be an error")
	}

	sets, err = Load(Options{Dir: dir, Paths: []string{"-"}, Stdin: strings.NewReader(formatExample)})
	if err != nil || sets[0].Files[0].Path != StdinName || sets[0].Files[0].Journey == nil {
		t.Errorf("stdin: %v", err)
	}
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"**/*.journey.yaml", "a.journey.yaml", true},
		{"**/*.journey.yaml", "x/y/a.journey.yaml", true},
		{"journeys/**/*.journey.yaml", "journeys/a.journey.yaml", true},
		{"journeys/**/*.journey.yaml", "other/a.journey.yaml", false},
		{"*.journey.yaml", "x/a.journey.yaml", false},
	}
	for _, tt := range tests {
		if got := MatchGlob(tt.pattern, tt.name); got != tt.want {
			t.Errorf("MatchGlob(%q, %q) = %v", tt.pattern, tt.name, got)
		}
	}
}

func field(m journey.Meta, key string) journey.Field {
	f, _ := m.Field(key)
	return f
}
