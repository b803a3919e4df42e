package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/journeykit/journey/pkg/load"
)

var (
	fuzzFence = regexp.MustCompile("(?ms)^```[a-z]*\n.*?^```\n")
	// A mention GitHub would ping: @ at the start of a word.
	fuzzMention = regexp.MustCompile(`(?:^|[^A-Za-z0-9_])@[A-Za-z0-9]`)
	// A link target that leaves the site or runs script.
	fuzzBadLink = regexp.MustCompile(`(?:^|[^\\])\]\((?:[/\\]{2}|(?i:javascript|data|vbscript):)`)
)

// FuzzMarkdown: the report of any journey the loader returns is written
// without a panic, the same twice, as valid UTF-8 without control
// characters, with no raw @mention outside code and no link off the site.
func FuzzMarkdown(f *testing.F) {
	examples, _ := filepath.Glob("../../examples/*/*.journey.yaml")
	for _, p := range examples {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("journey: x\ntitle: \"@octocat [a](//evil.example) `b` <img>\"\nlinks: [{title: \"@t\", url: \"//evil.example\"}, {title: x, url: \"/\\\\evil\"}]\nphases: [{id: p, name: \"@p|q\"}]\nstages:\n- {id: a, name: \"x@y @z\", phase: p, entry: true, pains: [\"@pain\"], next: [b]}\n- {id: b, phase: p, outcome: success}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := load.ParseJourney("f.journey.yaml", data)
		if file.Journey == nil {
			return
		}
		md := Markdown(file.Journey, Options{Findings: file.Diagnostics})
		if !bytes.Equal(md, Markdown(file.Journey, Options{Findings: file.Diagnostics})) {
			t.Fatal("two reports differ")
		}
		if !utf8.Valid(md) {
			t.Fatal("invalid UTF-8")
		}
		for _, r := range string(md) {
			if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f { // a tab is only whitespace in Markdown
				t.Fatalf("control character %U", r)
			}
		}
		// Outside the Mermaid block and code spans (an escaped backtick
		// opens none).
		prose := strings.NewReplacer(`\\`, ".", "\\`", "'").Replace(fuzzFence.ReplaceAllString(string(md), ""))
		parts := strings.Split(prose, "`")
		for i := 0; i < len(parts); i += 2 {
			if m := fuzzMention.FindString(parts[i]); m != "" {
				t.Fatalf("raw mention %q in %q", m, parts[i])
			}
		}
		if m := fuzzBadLink.FindString(string(md)); m != "" {
			t.Fatalf("link %q survived", m)
		}
	})
}
