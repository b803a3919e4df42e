package diff

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

var (
	fence    = regexp.MustCompile("(?ms)^```[a-z]*\n.*?^```\n")
	codeSpan = regexp.MustCompile("`[^`\n]*`")
	// GitHub pings @name when @ starts a word: at the start of the text
	// or after a character that is not a letter, digit or underscore.
	mention = regexp.MustCompile(`(?:^|[^A-Za-z0-9_])@[A-Za-z0-9]`)
	// A link or image whose ] is not escaped.
	link = regexp.MustCompile(`(?:^|[^\\])\]\(`)
)

// markdownProblem returns what is wrong in a comment outside its code
// blocks and code spans (where GitHub pings no one and makes no link), or
// "".
func markdownProblem(md string) string {
	prose := codeSpan.ReplaceAllString(fence.ReplaceAllString(md, ""), "")
	if m := mention.FindString(prose); m != "" {
		return "a raw mention " + m
	}
	if link.MatchString(prose) {
		return "a link"
	}
	for _, tag := range []string{"<img", "<a ", "<script", "<details", "<!--"} {
		if strings.Contains(strings.ToLower(prose), tag) {
			return "raw HTML " + tag
		}
	}
	return ""
}

const hostile = `journey: trial
title: Trial
owner: growth
phases: [{id: p, name: P}]
stages:
  - id: a
    name: "Hi @octocat and @github/security, see [this](//evil.example) <img src=x onerror=alert(1)>"
    phase: p
    entry: true
    next: [b]
  - id: b
    name: B
    phase: p
    outcome: success
`

// Text from journey files never pings anyone or makes a link or an HTML
// element in the diff comment (issue 11, item 15).
func TestMarkdownEscapesUserText(t *testing.T) {
	old := strings.Replace(hostile, "name: B\n", "name: \"B @alice\"\n", 1)
	r := compare(t, old, strings.Replace(hostile, "@octocat", "@octocat @mona ![x](//evil.example/p.png)", 1))
	var b bytes.Buffer
	WriteMarkdown(&b, r)
	md := b.String()
	if !strings.Contains(md, "octocat") {
		t.Fatalf("the change is not in the comment:\n%s", md)
	}
	if p := markdownProblem(md); p != "" {
		t.Errorf("%s in:\n%s", p, md)
	}
}

// The checker itself finds what it looks for.
func TestMarkdownProblemFinds(t *testing.T) {
	for md, want := range map[string]bool{
		"hi @octocat":                        true,
		"(@octocat)":                         true,
		"see [x](//evil.example)":            true,
		"a <img src=x>":                      true,
		"mail a@b.example":                   false,
		"`@octocat`":                         false,
		"```mermaid\n@octocat\n```\n":        false,
		`\[x\](//evil.example)`:              false,
		"hi &#64;octocat":                    false,
		"hi @\u200boctocat (broken visibly)": false,
	} {
		if got := markdownProblem(md) != ""; got != want {
			t.Errorf("%q: problem %v, want %v", md, got, want)
		}
	}
}

// The visual diff of journeys with hostile text is well-formed XML.
func TestSVGHostileText(t *testing.T) {
	for _, pair := range [][2]string{
		{base, hostile},
		{hostile, strings.ReplaceAll(hostile, "name: B", "name: \"]]> <!-- & \\u0000 \\e[31m </svg>\"")},
	} {
		svg, err := SVG(compare(t, pair[0], pair[1]))
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(bytes.NewReader(svg))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("SVG not well-formed: %v", err)
			}
		}
	}
}

// FuzzDiff compares two fuzzed journeys loaded through pkg/load: no panic;
// the JSON is valid; the Markdown comment stays within its limit (the real
// one and a small one) and never has a raw mention, a link or HTML from
// the files. The visual diff's DOT is written, but not laid out: under the
// fuzzer's coverage instrumentation the WebAssembly Graphviz takes half a
// minute a run (11 runs in 5 minutes); TestSVGHostileText draws the hostile
// seeds.
//
//	go test ./pkg/diff -run '^$' -fuzz '^FuzzDiff$' -fuzztime 5m -parallel 1
func FuzzDiff(f *testing.F) {
	for _, p := range []string{"testdata/edtech/old.journey.yaml", "testdata/edtech/new.journey.yaml"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, []byte(base))
		}
	}
	if a, err := os.ReadFile("testdata/rename/old.journey.yaml"); err == nil {
		if b, err := os.ReadFile("testdata/rename/new.journey.yaml"); err == nil {
			f.Add(a, b)
		}
	}
	old, nw := syntheticChanged(30)
	f.Add([]byte(old), []byte(nw))
	f.Add([]byte(base), []byte(hostile))
	f.Add([]byte(hostile), []byte(strings.ReplaceAll(hostile, "name: B", "name: \"@x `y` | z\"")))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if len(a) > 1<<16 || len(b) > 1<<16 {
			return
		}
		version := func(name string, src []byte) Version {
			var v Version
			if j := load.ParseJourney(name, src).Journey; j != nil {
				v.Journeys = []*journey.Journey{j}
			}
			return v
		}
		r := CompareWith(version("a.journey.yaml", a), version("b.journey.yaml", b), Options{MaxConversionDrop: 0.05})
		var js, text bytes.Buffer
		if err := WriteJSON(&js, r); err != nil || !json.Valid(js.Bytes()) {
			t.Fatalf("JSON: %v\n%s", err, js.String())
		}
		if err := WriteText(&text, r, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		// One workflow command per breaking change, then the summary:
		// nothing from the files may start a line of its own.
		var gh bytes.Buffer
		if err := WriteGitHub(&gh, r, GitHubOptions{}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(gh.String(), "\n"), "\n")
		if len(lines) != r.Summary.Breaking+1 || strings.ContainsAny(gh.String(), "\r\x1b") {
			t.Fatalf("github: %d lines for %d breaking changes:\n%q", len(lines), r.Summary.Breaking, gh.String())
		}
		for _, l := range lines[:len(lines)-1] {
			if !strings.HasPrefix(l, "::warning ") {
				t.Fatalf("github: line %q is not a workflow command", l)
			}
		}
		// The visual diff's DOT (the union of both versions, drawn by
		// pkg/render): no panic, and a graph.
		if dot := DOT(r); !bytes.HasPrefix(dot, []byte("digraph journeys {\n")) || !bytes.HasSuffix(dot, []byte("}\n")) {
			t.Fatalf("DOT:\n%s", dot)
		}
		var md bytes.Buffer
		WriteMarkdown(&md, r)
		if n := utf8.RuneCount(md.Bytes()); n > MaxMarkdown-MarkerRoom {
			t.Fatalf("Markdown: %d characters", n)
		}
		if p := markdownProblem(md.String()); p != "" {
			t.Fatalf("Markdown: %s in:\n%s", p, md.String())
		}
		if small := markdown(r, 1500); utf8.RuneCountInString(small) > 1500 {
			t.Fatalf("Markdown with a limit of 1500: %d characters", utf8.RuneCountInString(small))
		}
	})
}
