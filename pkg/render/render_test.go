package render

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	goldenfile "github.com/journeykit/journey/internal/golden"

	"github.com/goccy/go-graphviz/cgraph"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// goldenJourneys are the examples whose renderings are kept as golden files.
var goldenJourneys = []string{
	"../../examples/edtech/webinar-funnel.journey.yaml",
	"../../examples/higher-ed/university-applicant.journey.yaml",
	"../../examples/saas/retention.journey.yaml",
}

func mustLoad(t testing.TB, path string) *journey.Journey {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := load.ParseJourney(path, data)
	if f.Journey == nil {
		t.Fatalf("%s: %v", path, f.Diagnostics)
	}
	return f.Journey
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

func TestGoldenRenderings(t *testing.T) {
	for _, path := range goldenJourneys {
		j := mustLoad(t, path)
		base := strings.TrimSuffix(filepath.Base(path), ".journey.yaml")
		for _, format := range []string{"dot", "mermaid", "svg"} {
			got, err := Render(j, "flow", format, Options{})
			if err != nil {
				t.Fatalf("%s %s: %v", base, format, err)
			}
			again, err := Render(j, "flow", format, Options{})
			if err != nil || !bytes.Equal(got, again) {
				t.Fatalf("%s %s: a second render differs", base, format)
			}
			golden(t, base+"."+Extension(format), got)
			if format == "svg" {
				wellFormed(t, got)
			}
		}
	}
}

// wellFormed decodes the whole document and returns its element names.
func wellFormed(t *testing.T, doc []byte) map[string]int {
	t.Helper()
	elements := map[string]int{}
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			elements[se.Name.Local]++
		}
	}
	return elements
}

var hostileNames = []string{
	`</text><script>alert(1)</script>`,
	`"]; a -> b [color=red`,
	`--> x[evil]`,
	`a | b | c`,
	"back`tick`s and ```fences```",
	"emoji 😀🚀 and ZWJ 👩‍💻",
	"right-to-left: مرحبا بالعالم שלום",
	strings.Repeat("long name ", 200),
	"new\nline and tab\t and \\N and \\l and {braces} and <b>html</b> & amp;",
	"control \x01 character",
}

func hostileJourney(t *testing.T) *journey.Journey {
	t.Helper()
	var b strings.Builder
	q := func(s string) string {
		var out strings.Builder
		out.WriteByte('"')
		for _, r := range []byte(s) {
			switch {
			case r == '"':
				out.WriteString(`\"`)
			case r == '\\':
				out.WriteString(`\\`)
			case r == '\n':
				out.WriteString(`\n`)
			case r == '\t':
				out.WriteString(`\t`)
			case r < 0x20:
				out.WriteString(`\x`)
				out.WriteString(strings.ToUpper(string("0123456789abcdef"[r>>4]) + string("0123456789abcdef"[r&15])))
			default:
				out.WriteByte(r)
			}
		}
		out.WriteByte('"')
		return out.String()
	}
	b.WriteString("journey: hostile\ntitle: " + q(hostileNames[0]) + "\nowner: " + q(hostileNames[1]) + "\n")
	b.WriteString("phases:\n")
	for i, n := range hostileNames {
		b.WriteString("  - {id: p" + string(rune('a'+i)) + ", name: " + q(n) + "}\n")
	}
	b.WriteString("stages:\n")
	for i, n := range hostileNames {
		id := "s" + string(rune('a'+i))
		b.WriteString("  - id: " + id + "\n    name: " + q(n) + "\n    phase: p" + string(rune('a'+i)) + "\n    owner: " + q(n) + "\n")
		if i == 0 {
			b.WriteString("    entry: true\n")
		}
		if i == len(hostileNames)-1 {
			b.WriteString("    outcome: failure\n    reasons: [{id: r, name: " + q(n) + ", next: sa}]\n")
			continue
		}
		b.WriteString("    next:\n      - {to: s" + string(rune('a'+i+1)) + ", when: " + q(n) + ", after: 2d, rate: 0.5}\n")
		b.WriteString("      - {to: x, journey: other, when: " + q(n) + "}\n")
	}
	f := load.ParseJourney("hostile.journey.yaml", []byte(b.String()))
	if f.Journey == nil {
		t.Fatalf("%v\n%s", f.Diagnostics, b.String())
	}
	// The loader rejects invalid UTF-8; the renderers must cope anyway.
	f.Journey.Stages[1].Doing = "invalid \xff\xfe utf-8"
	f.Journey.Stages[1].Name += " \xff"
	return f.Journey
}

// Names from a user's file never break out of their place in any format.
func TestHostileNames(t *testing.T) {
	j := hostileJourney(t)

	dot := DOT(j, Options{})
	g, err := cgraph.ParseBytes(dot)
	if err != nil || g == nil {
		t.Fatalf("DOT does not parse: %v\n%s", err, dot)
	}
	for i := range hostileNames {
		if n, err := g.NodeByName("s" + strconv.Itoa(i)); err != nil || n == nil {
			t.Errorf("node s%d missing from the parsed DOT: a name broke a statement", i)
		}
	}
	if n, _ := g.NodeByName("a"); n != nil {
		t.Errorf("a name injected node a")
	}
	g.Close()

	svg, err := FlowSVG(j, Options{})
	if err != nil {
		t.Fatal(err)
	}
	elements := wellFormed(t, svg)
	if elements["script"] > 0 || elements["b"] > 0 {
		t.Errorf("injected elements in the SVG: %v", elements)
	}

	mermaid := string(Mermaid(j, Options{}))
	line := regexp.MustCompile(`^(flowchart (LR|TB)|  subgraph p\d+\["[^"]*"\]|  end|\s+s\d+(\["[^"]*"\]|\(\["[^"]*"\]\)(:::\w+)?|\[/"[^"]*"/\]:::entry)|  h\d+>"[^"]*"\]:::handoff|  [sh]\d+ (-->|-\.->)(\|"[^"]*"\|)? [sh]\d+|  classDef \w+ [^"]*)$`)
	for _, l := range strings.Split(strings.TrimSuffix(mermaid, "\n"), "\n") {
		if !line.MatchString(l) {
			t.Errorf("Mermaid line out of shape: %q", l)
		}
	}
	for _, bad := range []string{"<script", "`", "-->x", "|b|"} {
		if strings.Contains(mermaid, bad) {
			t.Errorf("Mermaid contains %q", bad)
		}
	}
}

func TestPersonaFilter(t *testing.T) {
	src := `journey: p
title: P
personas: [{id: student, name: Student}, {id: parent, name: Parent}]
phases: [{id: a, name: A}]
stages:
  - {id: visits, name: Visits, phase: a, entry: true, next: [applies, pays]}
  - {id: applies, name: Applies, phase: a, personas: [student], outcome: success}
  - {id: pays, name: Pays the deposit, phase: a, personas: [parent], outcome: success}
`
	f := load.ParseJourney("p.journey.yaml", []byte(src))
	dot := string(DOT(f.Journey, Options{Persona: "student"}))
	if !strings.Contains(dot, "Applies") || strings.Contains(dot, "Pays the deposit") {
		t.Errorf("persona filter: %s", dot)
	}
}

func TestFormatRate(t *testing.T) {
	for in, want := range map[float64]string{0.3: "30%", 0.07: "7%", 0.125: "12.5%", 1: "100%", 0: "0%", 0.333: "33.3%"} {
		if got := FormatRate(in); got != want {
			t.Errorf("FormatRate(%v) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkFlowSVG60(b *testing.B) {
	j := syntheticJourney(b, 60)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := FlowSVG(j, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
