package canvas

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/golden"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

func loadJourney(t testing.TB, path string) *journey.Journey {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := load.ParseJourney(path, data)
	if f.Journey == nil {
		t.Fatalf("%s: no journey: %v", path, f.Diagnostics)
	}
	return f.Journey
}

func parse(t testing.TB, src string) *journey.Journey {
	t.Helper()
	f := load.ParseJourney("test.journey.yaml", []byte(src))
	if f.Journey == nil {
		t.Fatalf("no journey: %v", f.Diagnostics)
	}
	return f.Journey
}

// goldens: journey file, options, golden file.
var goldens = []struct {
	file, persona, golden string
	phases                []string
}{
	{"ebook-nurture.journey.yaml", "", "ebook-nurture.svg", nil},
	{"university-applicant.journey.yaml", "", "university-applicant.svg", nil},
	{"university-applicant.journey.yaml", "international-applicant", "university-applicant.international-applicant.svg", nil},
	{"saas-retention.journey.yaml", "", "saas-retention.svg", nil},
	// A service blueprint: backstage and support lanes under the line of
	// visibility.
	{"smb-phone-onboarding.journey.yaml", "", "smb-phone-onboarding.svg", nil},
	// A slide: two phases of the blueprint, the transitions and failure
	// follow-ups into the others named with their phase.
	{"smb-phone-onboarding.journey.yaml", "", "smb-phone-onboarding.phases-onboarding-advocacy.svg", []string{"onboarding", "advocacy"}},
}

func TestGolden(t *testing.T) {
	for _, g := range goldens {
		t.Run(g.golden, func(t *testing.T) {
			j := loadJourney(t, filepath.Join("testdata", g.file))
			o := Options{Persona: g.persona, Phases: g.phases}
			got, err := SVG(j, o)
			if err != nil {
				t.Fatal(err)
			}
			checkXML(t, got)
			checkLayout(t, layout(j, o))
			path := filepath.Join("testdata", g.golden)
			golden.Check(t, path, got)
		})
	}
}

// checkXML decodes the whole document and rejects script elements.
func checkXML(t *testing.T, svg []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if el.Name.Local != "svg" || el.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root element is %v", el.Name)
				}
			}
			depth++
			switch strings.ToLower(el.Name.Local) {
			case "script", "foreignobject", "style":
				t.Errorf("unexpected <%s> element", el.Name.Local)
			}
			for _, a := range el.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") {
					t.Errorf("event attribute %s on <%s>", a.Name.Local, el.Name.Local)
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 || depth != 0 {
		t.Fatalf("%d root elements, depth %d at the end", roots, depth)
	}
}

// placed is a drawn box with the box it must stay in.
type placed struct {
	what      string
	b, within box
}

// boxes lists every text line and badge with its cell.
func (sh *sheet) boxes() []placed {
	var out []placed
	addCell := func(where string, c *cell) {
		for _, l := range c.c.lines {
			out = append(out, placed{where + " text " + strings.ToValidUTF8(l.text, "?"), l.box(), c.box})
		}
		for _, bd := range c.c.badges {
			out = append(out, placed{where + " badge " + bd.label, bd.box(), c.box})
		}
		for _, s := range c.c.swatches {
			out = append(out, placed{where + " swatch", box{s.x - 18, s.y - 6, 36, 12}, c.box})
		}
	}
	for _, l := range sh.head.lines {
		out = append(out, placed{"title " + l.text, l.box(), sh.headBox})
	}
	addCell("corner", sh.corner)
	for _, g := range sh.groups {
		for _, l := range g.text.lines {
			out = append(out, placed{"phase " + g.name + " " + l.text, l.box(), g.box})
		}
	}
	for _, l := range sh.lanes {
		addCell(l.key+" label", l.head)
		for i, c := range l.cells {
			addCell(l.key+" cell "+itoa(i), c)
		}
	}
	return out
}

// checkLayout asserts that every box stays inside its cell, that no two
// boxes overlap, that cells tile the grid without overlapping, and that
// everything is on the sheet.
func checkLayout(t *testing.T, sh *sheet) {
	t.Helper()
	page := box{0, 0, sh.w, sh.h}
	ps := sh.boxes()
	for _, p := range ps {
		if !p.b.inside(p.within) {
			t.Errorf("%.60q at %+v leaves its cell %+v", p.what, p.b, p.within)
		}
		if !p.within.inside(page) {
			t.Errorf("cell of %.60q %+v is off the sheet %+v", p.what, p.within, page)
		}
	}
	// Boxes in different cells cannot overlap when cells do not: compare
	// boxes within one cell, and the cells.
	byCell := map[box][]placed{}
	var cells []box
	for _, p := range ps {
		if _, ok := byCell[p.within]; !ok {
			cells = append(cells, p.within)
		}
		byCell[p.within] = append(byCell[p.within], p)
	}
	for _, c := range cells {
		in := byCell[c]
		for i := range in {
			for k := i + 1; k < len(in); k++ {
				if in[i].b.overlaps(in[k].b) && !badgeText(in[i], in[k]) {
					t.Errorf("%.60q %+v overlaps %.60q %+v", in[i].what, in[i].b, in[k].what, in[k].b)
				}
			}
		}
	}
	var all []box
	all = append(all, sh.headBox, sh.corner.box)
	for _, g := range sh.groups {
		all = append(all, g.box)
	}
	for _, l := range sh.lanes {
		all = append(all, l.head.box)
		for _, c := range l.cells {
			all = append(all, c.box)
		}
	}
	for i := range all {
		if !all[i].inside(page) {
			t.Errorf("box %+v is off the sheet", all[i])
		}
		for k := i + 1; k < len(all); k++ {
			if all[i].overlaps(all[k]) {
				t.Errorf("cells %+v and %+v overlap", all[i], all[k])
			}
		}
	}
}

// badgeText reports whether one of a and b is a badge and the other its
// own label.
func badgeText(a, b placed) bool {
	if strings.Contains(b.what, " badge ") {
		a, b = b, a
	}
	return strings.Contains(a.what, " badge ") && strings.Contains(b.what, " text ") && b.b.inside(a.b)
}

const hostile = "</text><script>alert(1)</script>"

func hostileJourney() string {
	long := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 40) // 2,280 chars
	return `journey: hostile
title: "` + hostile + ` \"]; a -> b [ --> | ` + "`rm -rf`" + ` 😀"
owner: "<b>owner</b> & co"
personas:
  - {id: p1, name: "` + hostile + `"}
  - {id: p2, name: "مسافر عربي"}
phases:
  - {id: p, name: "` + hostile + `", goal: "--> | ` + "``" + ` \u0007bell"}
  - {id: empty, name: "עברית ריקה"}
stages:
  - id: a
    name: "` + hostile + `"
    phase: p
    entry: true
    aha: true
    outcome: failure
    doing: "\"]; a -> b [ and --> and | and ` + "`backticks`" + `"
    thinking: "😀😀😀 emoji thinking 😀 and Arabic مرحبا بالعالم and Hebrew שלום עולם"
    feeling: "control \u0001\u0002\u001b[31m chars and tab\there"
    emotion: {p1: 2, p2: -2}
    channel: "<web>"
    touchpoints:
      - {channel: "</text>", action: "` + hostile + `"}
      - {channel: email, action: "` + strings.Repeat("x", 300) + `"}
    pains:
` + strings.Repeat("      - \""+hostile+"\"\n", 20) + `
    opportunities: ["-->", "|", "` + "`x`" + `"]
    questions: ["]]>", "<![CDATA[x]]>"]
    metrics:
      - {name: "` + hostile + `", target: "50%", unit: "<u>"}
    next: [b, {to: c, when: "` + hostile + `", after: 2d, rate: 0.5}, {journey: "</g>", to: "<x>"}]
    reasons:
      - {id: r1, name: "` + hostile + `", next: c}
  - id: c
    name: "` + hostile + ` in an empty phase"
    phase: empty
    emotion: -1
  - id: "B Bad Id!"
    name: "` + long + `"
    phase: nowhere
    emotion: 7
    doing: "` + long + `"
  - id: b
    name: "` + strings.Repeat("😀", 300) + `"
    phase: p
    emotion: {p1: 0, p2: 0, p3: 1}
    owner: "` + hostile + `"
`
}

func TestHostileNames(t *testing.T) {
	j := parse(t, hostileJourney())
	// The YAML parser rejects raw invalid bytes and control characters;
	// put them into the model directly too.
	j.Stages[0].Feeling = "ctl \x01\x02\x1b[31m \x7f and invalid \xff\xfe\xc3 bytes"
	j.Stages[1].Thinking = "bad \xe2\x28\xa1 sequence"
	j.Stages[1].Name = "\xff\xfe bad bytes " + j.Stages[1].Name
	j.Stages[1].Touchpoints = []*journey.Touchpoint{{Channel: journey.Text{Value: "e\xffmail"}, Action: "\x01\x02"}}
	j.Stages[0].Pains = append(j.Stages[0].Pains, "\x00nul")
	for _, o := range []Options{{}, {Persona: "p1"}, {Persona: "p2"}, {Persona: hostile}, {Phases: []string{"p"}}, {Phases: []string{"empty", hostile}}} {
		persona := o.Persona
		svg, err := SVG(j, o)
		if err != nil {
			t.Fatal(err)
		}
		checkXML(t, svg)
		if bytes.Contains(svg, []byte("<script")) {
			t.Error("raw <script in the output")
		}
		sh := layout(j, o)
		checkLayout(t, sh)
		checkCurves(t, sh)
		// Long texts are cut with an ellipsis.
		if persona == "" && o.Phases == nil && !bytes.Contains(svg, []byte("…")) {
			t.Error("no ellipsis: the 2,000-character name was not truncated")
		}
	}
	// The stage with an invalid id gets no id attribute; the others do.
	svg, _ := SVG(j, Options{})
	if !bytes.Contains(svg, []byte(`id="stage-a"`)) || bytes.Contains(svg, []byte(`id="stage-B`)) {
		t.Error("stage id attributes are wrong")
	}
	// 21 pains: 12 shown and a note.
	if !bytes.Contains(svg, []byte("+9 more")) {
		t.Error("list items are not capped")
	}
}

func TestPersonaFilter(t *testing.T) {
	j := loadJourney(t, "testdata/university-applicant.journey.yaml")
	all := layout(j, Options{})
	intl := layout(j, Options{Persona: "international-applicant"})
	if len(all.emo.curves) != 3 {
		t.Fatalf("%d curves without a persona, want 3", len(all.emo.curves))
	}
	if len(intl.emo.curves) != 1 || intl.emo.curves[0].name != "International applicant" {
		t.Fatalf("persona filter: curves %v", intl.emo.curves)
	}
	stages := func(sh *sheet) []string {
		var ids []string
		for _, c := range sh.cols {
			if c.stage != nil {
				ids = append(ids, c.stage.ID.Value)
			}
		}
		return ids
	}
	for _, id := range stages(intl) {
		if id == "visits-campus" {
			t.Error("the international applicant does not visit the campus")
		}
	}
	if len(stages(all)) != len(j.Stages) || len(stages(intl)) != len(j.Stages)-1 {
		t.Errorf("stages: all %v, international %v", stages(all), stages(intl))
	}
	// The curve holds the persona's values: submits-application is -2.
	c := intl.emo.curves[0]
	for i, col := range intl.cols {
		if col.stage != nil && col.stage.ID.Value == "submits-application" && (!c.has[i] || c.val[i] != -2) {
			t.Errorf("international applicant at submits-application: %v %v", c.has[i], c.val[i])
		}
		// "rejected" has a single value, which every persona shares.
		if col.stage != nil && col.stage.ID.Value == "rejected" && (!c.has[i] || c.val[i] != -2) {
			t.Errorf("single emotion not applied to the persona")
		}
	}

	// A single integer emotion under a filter is that persona's value.
	j2 := parse(t, `journey: x
title: X
personas: [{id: a, name: A}, {id: b, name: B}]
phases: [{id: p, name: P}]
stages:
  - {id: s1, name: One, phase: p, entry: true, emotion: 1, next: [s2, s3]}
  - {id: s2, name: Two, phase: p, personas: [b], emotion: -1, next: [s3]}
  - {id: s3, name: Three, phase: p, emotion: 2}
`)
	sh := layout(j2, Options{Persona: "a"})
	if len(sh.cols) != 2 || len(sh.emo.curves) != 1 {
		t.Fatalf("persona a: %d columns, %d curves", len(sh.cols), len(sh.emo.curves))
	}
	if c := sh.emo.curves[0]; c.val[0] != 1 || c.val[1] != 2 || len(c.segs) != 1 || len(c.segs[0]) != 2 {
		t.Errorf("persona a curve: %+v", c)
	}
	svg, _ := SVG(j2, Options{Persona: "a"})
	if bytes.Contains(svg, []byte("Two")) {
		t.Error("stage of persona b drawn for persona a")
	}
}

func TestEmotionBreaksAndLanes(t *testing.T) {
	j := parse(t, `journey: x
title: X
owner: team
phases: [{id: p, name: P}, {id: q, name: Q}, {id: r, name: R}]
stages:
  - {id: s1, name: One, phase: p, entry: true, emotion: 1, next: [s2]}
  - {id: s2, name: Two, phase: p, next: [s3]}
  - {id: s3, name: Three, phase: r, emotion: -1, next: [s4]}
  - {id: s4, name: Four, phase: r, emotion: 0, next: [s5]}
  - {id: s5, name: Five, phase: gone}
`)
	sh := layout(j, Options{})
	var keys []string
	for _, l := range sh.lanes {
		keys = append(keys, l.key)
	}
	if got := strings.Join(keys, ","); got != "stage,emotion,key,next,owner" {
		t.Errorf("lanes %s", got)
	}
	// s2 is a gap in the curve: a line [s3 s4] and stubs s1 -> s2,
	// s3 -> s2 (columns 0, 1, 3), s4 -> s5 (column 5, Other).
	c := sh.emo.curves[0]
	if len(c.segs) != 1 || len(c.segs[0]) != 2 || len(c.stubs) != 3 {
		t.Errorf("segments %v, stubs %v", c.segs, c.stubs)
	}
	// Columns: p(s1 s2), q (empty), r(s3 s4), Other(s5).
	if len(sh.cols) != 6 || sh.cols[2].stage != nil || sh.cols[2].w != emptyColW || sh.groups[3].name != "Other" {
		t.Errorf("columns wrong")
	}
	// Without the transition s3 -> s4, no line joins them.
	j.Stages[2].Next = nil
	if c := layout(j, Options{}).emo.curves[0]; len(c.segs) != 0 {
		t.Errorf("segments without a transition %v", c.segs)
	}
	// Without any emotion there is no emotion lane.
	j.Stages[0].Emotion.Set = false
	j.Stages[2].Emotion.Set = false
	j.Stages[3].Emotion.Set = false
	if sh := layout(j, Options{}); sh.emo != nil {
		t.Error("emotion lane without emotions")
	}
	checkLayout(t, sh)
}

func TestDeterministic(t *testing.T) {
	j := loadJourney(t, "testdata/university-applicant.journey.yaml")
	first, _ := SVG(j, Options{})
	for i := 0; i < 5; i++ {
		j := loadJourney(t, "testdata/university-applicant.journey.yaml")
		again, _ := SVG(j, Options{})
		if !bytes.Equal(first, again) {
			t.Fatal("output differs between runs")
		}
	}
	h := parse(t, hostileJourney())
	a, _ := SVG(h, Options{})
	b, _ := SVG(h, Options{})
	if !bytes.Equal(a, b) {
		t.Fatal("hostile output differs between runs")
	}
}

func TestNil(t *testing.T) {
	if _, err := SVG(nil, Options{}); err == nil {
		t.Error("no error for a nil journey")
	}
}
