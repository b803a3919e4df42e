package render

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-graphviz/cgraph"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// examplesWorkspace loads every journey of examples/, as journey render
// examples does.
func examplesWorkspace(t testing.TB) []*journey.Journey {
	t.Helper()
	sets, err := load.Load(load.Options{Paths: []string{filepath.Join("..", "..", "examples")}})
	if err != nil {
		t.Fatal(err)
	}
	var js []*journey.Journey
	for _, s := range sets {
		for _, f := range s.Files {
			if f.Journey == nil {
				t.Fatalf("%s: %v", f.Path, f.Diagnostics)
			}
			js = append(js, f.Journey)
		}
	}
	if len(js) < 8 {
		t.Fatalf("%d journeys in examples/", len(js))
	}
	return js
}

// The landscape of examples/: one node per journey, one edge per
// hand-off, labelled with its stage pair; goldens in each format.
func TestLandscapeGolden(t *testing.T) {
	js := examplesWorkspace(t)
	for _, format := range []string{"dot", "mermaid", "svg"} {
		got, err := RenderWorkspace(js, "landscape", format, Options{})
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		again, err := RenderWorkspace(js, "landscape", format, Options{})
		if err != nil || !bytes.Equal(got, again) {
			t.Fatalf("%s: a second render differs", format)
		}
		golden(t, "landscape-examples."+Extension(format), got)
		if format != "svg" {
			continue
		}
		wellFormed(t, got)
		for _, j := range js {
			// Graphviz writes - as &#45; in attributes.
			if !bytes.Contains(got, []byte(`id="`+strings.ReplaceAll("journey-"+j.ID.Value, "-", "&#45;")+`"`)) {
				t.Errorf("no node for journey %s", j.ID.Value)
			}
		}
		// The three hand-offs of the examples, with their stage pairs;
		// no phase is drawn.
		if n := bytes.Count(got, []byte(`class="edge"`)); n != 3 {
			t.Errorf("%d edges, want the 3 hand-offs", n)
		}
		for _, want := range []string{"Starts a 14&#45;day free trial", "pays the first month →", "meeting and site survey", "no entry: entered by hand&#45;off", "DRAFT"} {
			if !bytes.Contains(got, []byte(want)) {
				t.Errorf("the landscape does not say %q", want)
			}
		}
		if bytes.Contains(got, []byte("cluster")) {
			t.Errorf("the landscape draws clusters (phases)")
		}
	}
	data, err := RenderWorkspace(js, "landscape", "png", Options{Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Fatalf("PNG: %v", err)
	}
}

// A hand-off into a journey that is not drawn ends at a dashed node that
// names it; a transition into the journey's own id is not a hand-off.
func TestLandscapeOutsideAndSelf(t *testing.T) {
	a := load.ParseJourney("a.journey.yaml", []byte(`journey: a
title: A
phases: [{id: p, name: P}]
stages:
  - {id: s, name: S, phase: p, entry: true, next: [{to: t, journey: gone}, {to: u, journey: a}]}
  - {id: u, name: U, phase: p, outcome: success}
`)).Journey
	if a == nil {
		t.Fatal("a does not load")
	}
	dot := string(LandscapeDOT([]*journey.Journey{a}))
	if !strings.Contains(dot, `x0 [style="rounded,dashed"`) || !strings.Contains(dot, "<b>gone</b>") {
		t.Errorf("no node for the journey handed off to:\n%s", dot)
	}
	if strings.Count(dot, "style=bold") != 1 || strings.Contains(dot, " j0 -> j0") {
		t.Errorf("want exactly one hand-off edge:\n%s", dot)
	}
	if got := string(LandscapeMermaid([]*journey.Journey{a})); !strings.Contains(got, `x0["gone<br>not among the drawn journeys"]:::outside`) {
		t.Errorf("Mermaid:\n%s", got)
	}
	// One journey through View.Draw is its own landscape; none is an
	// empty one.
	if _, err := Render(a, "landscape", "svg", Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := RenderWorkspace(nil, "landscape", "svg", Options{}); err != nil {
		t.Fatal(err)
	}
}

// otherHostile is the journey "other" that hostileJourney hands off to,
// with hostile names of its own.
func otherHostile(t *testing.T) *journey.Journey {
	t.Helper()
	var b strings.Builder
	b.WriteString("journey: other\ntitle: " + strconv.Quote(hostileNames[2]) + "\nowner: " + strconv.Quote(hostileNames[3]) + "\nstatus: retired\n")
	b.WriteString("description: " + strconv.Quote(hostileNames[0]) + "\nphases: [{id: p, name: P}]\nstages:\n")
	b.WriteString("  - {id: x, name: " + strconv.Quote(hostileNames[1]) + ", phase: p, outcome: exit}\n")
	f := load.ParseJourney("other.journey.yaml", []byte(b.String()))
	if f.Journey == nil {
		t.Fatalf("%v\n%s", f.Diagnostics, b.String())
	}
	return f.Journey
}

// Names from users' files never break out of their place in any format
// of the landscape.
func TestLandscapeHostileNames(t *testing.T) {
	js := []*journey.Journey{hostileJourney(t), otherHostile(t)}
	dot := LandscapeDOT(js)
	g, err := cgraph.ParseBytes(dot)
	if err != nil || g == nil {
		t.Fatalf("DOT does not parse: %v\n%s", err, dot)
	}
	for _, n := range []string{"j0", "j1"} {
		if node, err := g.NodeByName(n); err != nil || node == nil {
			t.Errorf("node %s missing from the parsed DOT: a name broke a statement", n)
		}
	}
	if n, _ := g.NodeByName("a"); n != nil {
		t.Errorf("a name injected node a")
	}
	g.Close()
	svg, err := LandscapeSVG(js)
	if err != nil {
		t.Fatal(err)
	}
	elements := wellFormed(t, svg)
	if elements["script"] > 0 {
		t.Errorf("a name injected a script element")
	}
	mmd := string(LandscapeMermaid(js))
	for _, bad := range []string{"<script", `"]; a`, "-->", "```"} {
		if strings.Contains(mmd, bad) {
			t.Errorf("Mermaid carries %q unescaped:\n%s", bad, mmd)
		}
	}
	if _, err := RenderWorkspace(js, "landscape", "png", Options{Scale: 0.5}); err != nil {
		t.Fatalf("PNG: %v", err)
	}
}

// Past MaxLandscapeElements, the picture is refused before Graphviz runs;
// DOT and Mermaid are still written.
func TestLandscapeTooLarge(t *testing.T) {
	var js []*journey.Journey
	for i := range MaxLandscapeElements + 1 {
		id := "j" + strconv.Itoa(i)
		f := load.ParseJourney(id+".journey.yaml", []byte("journey: "+id+"\ntitle: T\nphases: [{id: p, name: P}]\nstages: [{id: s, name: S, phase: p, entry: true}]\n"))
		js = append(js, f.Journey)
	}
	_, err := LandscapeSVG(js)
	var big *LandscapeTooLargeError
	if !errors.As(err, &big) || big.Journeys != MaxLandscapeElements+1 {
		t.Fatalf("err = %v", err)
	}
	if dot := LandscapeDOT(js); !bytes.Contains(dot, []byte("j600 [")) {
		t.Errorf("DOT of a large landscape is incomplete")
	}
}

// The landscape's Mermaid parses with Mermaid itself.
func TestLandscapeMermaidParses(t *testing.T) {
	node, script := mermaidChecker(t)
	dir := t.TempDir()
	var files []string
	for name, js := range map[string][]*journey.Journey{
		"examples.mmd": examplesWorkspace(t),
		"hostile.mmd":  {hostileJourney(t), otherHostile(t)},
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, LandscapeMermaid(js), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	out, err := exec.Command(node, append([]string{script}, files...)...).CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(files) {
		t.Fatalf("checker output: %v\n%s", err, out)
	}
	for _, line := range lines {
		if !strings.HasSuffix(line, ": ok") {
			t.Errorf("%s", line)
		}
	}
}

// Journeys that no hand-off touches are laid out in a grid, not in one
// column as tall as all of them.
func TestLandscapeGrid(t *testing.T) {
	var js []*journey.Journey
	for i := range 20 {
		id := "j" + strconv.Itoa(i)
		js = append(js, load.ParseJourney(id+".journey.yaml", []byte("journey: "+id+"\ntitle: Journey number "+strconv.Itoa(i)+"\nphases: [{id: p, name: P}]\nstages: [{id: s, name: S, phase: p, entry: true}]\n")).Journey)
	}
	svg, err := LandscapeSVG(js)
	if err != nil {
		t.Fatal(err)
	}
	var w, h float64
	if _, err := fmt.Sscanf(string(svg[bytes.Index(svg, []byte("viewBox=")):]), `viewBox="0.00 0.00 %f %f"`, &w, &h); err != nil {
		t.Fatal(err)
	}
	if h > 2*w {
		t.Errorf("20 journeys without hand-offs are %.0f×%.0f: a column, not a grid", w, h)
	}
	if dir := os.Getenv("JOURNEY_LANDSCAPE_DUMP"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "grid.svg"), svg, 0o644)
	}
}
