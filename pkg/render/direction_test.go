package render

import (
	"bytes"
	"encoding/xml"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/load"
)

// exampleJourneys are every examples/**.journey.yaml.
func exampleJourneys(t *testing.T) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(filepath.Join("..", "..", "examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".journey.yaml") && d.Name() != ".journey.yaml" {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 8 {
		t.Fatalf("found %d examples, want at least 8: %v", len(paths), paths)
	}
	return paths
}

// svgTexts are the text elements of an SVG: their content and font size.
func svgTexts(t *testing.T, svg []byte) (texts []string, sizes []float64) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Strict = false
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local != "text" {
				continue
			}
			inText = true
			texts = append(texts, "")
			size := -1.0
			for _, a := range e.Attr {
				if a.Name.Local == "font-size" {
					size, _ = strconv.ParseFloat(a.Value, 64)
				}
			}
			sizes = append(sizes, size)
		case xml.CharData:
			if inText {
				texts[len(texts)-1] += string(e)
			}
		case xml.EndElement:
			if e.Name.Local == "text" {
				inText = false
			}
		}
	}
	return texts, sizes
}

var viewBoxRE = regexp.MustCompile(`viewBox="[-0-9.]+ [-0-9.]+ ([0-9.]+) ([0-9.]+)"`)

// At the default direction every example's flow fits a document: at most
// MaxFlowWidth units wide (pixels at scale 1), text of at least 12 units,
// and no text cut with an ellipsis.
func TestFlowFitsDocumentWidth(t *testing.T) {
	for _, path := range exampleJourneys(t) {
		j := mustLoad(t, path)
		svg, err := FlowSVG(j, Options{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		m := viewBoxRE.FindSubmatch(svg)
		if m == nil {
			t.Fatalf("%s: no viewBox", path)
		}
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		if w > MaxFlowWidth {
			t.Errorf("%s: the flow is %.0f wide (%.0f high), want at most %d", path, w, h, MaxFlowWidth)
		}
		texts, sizes := svgTexts(t, svg)
		if len(texts) < 10 {
			t.Fatalf("%s: %d texts in the SVG", path, len(texts))
		}
		for i, text := range texts {
			if strings.Contains(text, "…") {
				t.Errorf("%s: text cut with an ellipsis: %q", path, text)
			}
			if sizes[i] < textSize {
				t.Errorf("%s: text %q has font size %v, want at least %d", path, text, sizes[i], textSize)
			}
		}
		if bytes.Contains(svg, []byte("…")) {
			t.Errorf("%s: an ellipsis in the SVG", path)
		}
	}
}

const smallJourney = `journey: small
title: Newsletter sign-up
phases: [{id: discover, name: Discover}, {id: join, name: Join}]
stages:
  - {id: lands, name: Lands on the blog, phase: discover, entry: true, next: [{to: subscribes, when: clicks subscribe, rate: 0.1}, {to: leaves, when: closes the tab}]}
  - {id: subscribes, name: Subscribes to the newsletter, phase: join, next: [{to: confirms, when: clicks the link, after: 1h}]}
  - {id: confirms, name: Confirms the address, phase: join, outcome: success, next: [{to: lands, when: reads the next post}]}
  - {id: leaves, name: Leaves, phase: discover, outcome: exit}
`

func loadString(t *testing.T, src string) *load.File {
	t.Helper()
	f := load.ParseJourney("t.journey.yaml", []byte(src))
	if f.Journey == nil {
		t.Fatal(f.Diagnostics)
	}
	return f
}

// --direction: lr and tb as asked; auto keeps a small flow left to right
// and stacks a long one; DOT and Mermaid follow.
func TestFlowDirection(t *testing.T) {
	small := loadString(t, smallJourney).Journey
	long := mustLoad(t, "../../examples/saas/retention.journey.yaml")
	for _, c := range []struct {
		name, dir string
		tb        bool
	}{
		{"small", "", false}, {"small", DirectionAuto, false}, {"small", DirectionLR, false}, {"small", DirectionTB, true},
		{"long", "", true}, {"long", DirectionLR, false}, {"long", DirectionTB, true},
	} {
		j := small
		if c.name == "long" {
			j = long
		}
		dot := string(DOT(j, Options{Direction: c.dir}))
		mermaid := string(Mermaid(j, Options{Direction: c.dir}))
		want, wantM := "rankdir=LR", "flowchart LR\n"
		if c.tb {
			want, wantM = "rankdir=TB", "flowchart TB\n"
		}
		if !strings.Contains(dot, want) {
			t.Errorf("%s %q: DOT has no %s", c.name, c.dir, want)
		}
		if !strings.HasPrefix(mermaid, wantM) {
			t.Errorf("%s %q: Mermaid starts %q, want %q", c.name, c.dir, mermaid[:min(20, len(mermaid))], wantM)
		}
	}
}

// The legend shows the kinds drawn; EXIT and HAND-OFF have distinct
// glyphs; a return to an earlier phase is secondary and does not rank.
func TestFlowLegendAndReturns(t *testing.T) {
	dot := string(DOT(loadString(t, smallJourney).Journey, Options{}))
	header := lineOf(t, dot, "graph [")
	for _, want := range []string{entryBadge, "STAGE", successBadge, exitBadge} {
		if !strings.Contains(header, escapeDOTHTMLForTest(want)) {
			t.Errorf("legend lacks %q: %s", want, header)
		}
	}
	for _, not := range []string{"FAILURE", "HAND-OFF"} {
		if strings.Contains(header, not) {
			t.Errorf("legend shows %s, which the flow does not draw: %s", not, header)
		}
	}
	if strings.Fields(exitBadge)[0] == strings.Fields(handoffBadge)[0] {
		t.Errorf("EXIT and HAND-OFF share their glyph: %q, %q", exitBadge, handoffBadge)
	}
	back := lineOf(t, dot, "s0 -> s2")
	for _, want := range []string{"dir=back", "constraint=false", "style=dashed", colorReturn} {
		if !strings.Contains(back, want) {
			t.Errorf("the return edge lacks %s: %s", want, back)
		}
	}
}

func escapeDOTHTMLForTest(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// A failure stage lists the reasons that no edge names; a reason with a
// drawn follow-up is named once, on its edge.
func TestFailureReasonsOnce(t *testing.T) {
	src := `journey: f
title: F
phases: [{id: a, name: A}]
stages:
  - {id: tries, name: Tries, phase: a, entry: true, next: [gives-up]}
  - id: gives-up
    name: Gives up
    phase: a
    outcome: failure
    reasons:
      - {id: price, name: Too expensive, next: offer}
      - {id: time, name: No time right now}
  - {id: offer, name: Gets an offer, phase: a, outcome: exit}
`
	dot := string(DOT(loadString(t, src).Journey, Options{}))
	if n := strings.Count(dot, "Too expensive"); n != 1 {
		t.Errorf("the reason with a follow-up is named %d times, want once (on its edge):\n%s", n, dot)
	}
	if !strings.Contains(lineOf(t, dot, "s1 -> s2"), "Too expensive") {
		t.Errorf("the follow-up edge is not labelled with its reason")
	}
	if !strings.Contains(lineOf(t, dot, "<b>Gives up</b>"), "No time right now") {
		t.Errorf("the reason without a follow-up is not listed in its stage")
	}
}

// A long name is wrapped, not cut.
func TestFlowWrapsLongText(t *testing.T) {
	long := "Reads the very long onboarding e-mail that explains every feature of the product one by one and asks for a reply"
	src := `journey: w
title: "` + long + ` and a title that goes on and on well past the width of a legend chip"
phases: [{id: a, name: "` + long + `"}]
stages:
  - {id: s, name: "` + long + `", phase: a, entry: true, next: [{to: t, when: "` + long + `"}]}
  - {id: t, name: T, phase: a, outcome: success}
`
	j := loadString(t, src).Journey
	dot := string(DOT(j, Options{}))
	if strings.Contains(dot, "…") {
		t.Errorf("text cut in the DOT:\n%s", dot)
	}
	svg, err := FlowSVG(j, Options{})
	if err != nil {
		t.Fatal(err)
	}
	texts, _ := svgTexts(t, svg)
	all := strings.Join(texts, " ")
	for _, word := range strings.Fields(long) {
		if !strings.Contains(all, word) {
			t.Errorf("%q missing from the SVG's text", word)
		}
	}
}

// A sheet (the visual diff) is drawn top to bottom when one of its
// journeys would be, its frames stacked by an invisible edge; a sheet of
// small journeys stays left to right.
func TestSheetDirection(t *testing.T) {
	small := loadString(t, smallJourney).Journey
	long := mustLoad(t, "../../examples/saas/retention.journey.yaml")
	dot := string(SheetDOT(&Sheet{Title: "t", Flows: []SheetFlow{{Journey: long, Caption: "a"}, {Journey: small, Caption: "b"}}}))
	if !strings.Contains(dot, "rankdir=TB") {
		t.Errorf("a sheet with a long journey is not top to bottom")
	}
	if !regexp.MustCompile(`(?m)^  j0s\d+ -> j1s\d+ \[style=invis\];$`).MatchString(dot) {
		t.Errorf("the frames are not stacked:\n%s", dot)
	}
	dot = string(SheetDOT(&Sheet{Title: "t", Flows: []SheetFlow{{Journey: small, Caption: "a"}, {Journey: small, Caption: "b"}}}))
	if !strings.Contains(dot, "rankdir=LR") || strings.Contains(dot, "j0s0 -> j1") {
		t.Errorf("a sheet of small journeys is not left to right, or chained:\n%s", dot)
	}
}
