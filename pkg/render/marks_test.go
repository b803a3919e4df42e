package render

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
)

const markedSrc = `journey: shop
title: Shop
phases:
  - {id: visit, name: Visit}
  - {id: buy, name: Buy}
stages:
  - id: lands
    name: Lands on the shop
    phase: visit
    entry: true
    next:
      - {to: adds, when: adds to cart, rate: 0.3}
      - {to: gives-up, when: leaves}
      - {journey: support, to: asks}
  - id: adds
    name: Adds to cart
    phase: buy
    next: [pays]
  - id: pays
    name: Pays
    phase: buy
    outcome: success
  - id: gives-up
    name: Gives up
    phase: buy
    outcome: failure
    reasons: [{id: price, name: Too dear, next: lands}]
`

var testLegend = Legend{
	Styles: []MarkStyle{
		{Class: "added", Text: "+ ADDED", Prefix: "+ ", Fill: "#dcfce7", Line: "#166534"},
		{Class: "removed", Text: "− REMOVED", Prefix: "− ", Fill: "#fee2e2", Line: "#991b1b", Dashed: true},
		{Class: "bad class", Text: "BAD", Fill: "#000000"},
		{Class: "odd", Text: "ODD", Prefix: "? ", Fill: "red; x", Line: `"#fff"`},
	},
	Unmarked: "UNCHANGED",
}

// markedJourney marks adds added (renamed from old-adds), gives-up removed,
// the transition into adds added with a note, the hand-off removed and the
// one into pays with the odd style.
func markedJourney(t *testing.T, ids bool) (*journey.Journey, *Marks) {
	j := parseJourney(t, markedSrc)
	lands, adds := j.Stage("lands"), j.Stage("adds")
	return j, &Marks{
		Legend: testLegend,
		Stages: map[string]Mark{
			"adds":     {Class: "added", RenamedFrom: "old-adds"},
			"gives-up": {Class: "removed", Note: "gone"},
		},
		Transitions: map[*journey.Transition]Mark{
			lands.Next[0]: {Class: "added", Note: "rate 20% → 30%"},
			lands.Next[2]: {Class: "removed"},
			adds.Next[0]:  {Class: "odd"},
		},
		IDs: ids,
	}
}

// lineOf is the line of text that contains every one of parts.
func lineOf(t *testing.T, text string, parts ...string) string {
	t.Helper()
next:
	for _, l := range strings.Split(text, "\n") {
		for _, p := range parts {
			if !strings.Contains(l, p) {
				continue next
			}
		}
		return l
	}
	t.Fatalf("no line with %q in:\n%s", parts, text)
	return ""
}

// Under marks the DOT of the flow view draws each mark's prefix, colours,
// dashing, class, note and former id; colour is the marks' alone (the
// success and failure stages are plain, the follow-up grey and dotted);
// the legend lists the valid styles; invalid classes and colours are
// dropped.
func TestMarksDOT(t *testing.T) {
	j, marks := markedJourney(t, true)
	dot := string(DOT(j, Options{Marks: marks}))
	checks := []struct {
		parts []string // a line with all of these
		not   []string // and none of these
	}{
		{[]string{"<b>+ Adds to cart</b>", "old-adds → adds", `fillcolor="#dcfce7"`, `color="#166534"`, `class="added"`}, nil},
		{[]string{"<b>− Gives up</b>", ">gone<", `style="rounded,filled,dashed"`, `class="removed"`, "peripheries=2"}, []string{`fillcolor="#fee2e2", color="#991b1b", peripheries`}},
		{[]string{"<b>Pays</b>", "peripheries=2", ">pays<"}, []string{"fillcolor", "class="}},
		{[]string{"<b>Lands on the shop</b>", "penwidth=2", ">lands<"}, []string{"fillcolor", colorEntryFill}},
		{[]string{"s0 -> s1", `label="+ adds to cart\n30%\nrate 20% → 30%"`, `color="#166534"`, "penwidth=2", `class="added"`}, []string{"style="}},
		{[]string{"s0 -> h0", `label="−"`, "style=dashed", `class="removed"`}, []string{"bold", colorHandoff}},
		{[]string{"s1 -> s2", `label="?"`, "penwidth=2", `class="odd"`}, []string{"color=", "red"}},
		{[]string{"s0 -> s3", "dir=back", "style=dotted", `color="` + colorMuted + `"`}, []string{colorReasonEdge}},
		{[]string{"graph [", "+ ADDED", "− REMOVED", "ODD", "UNCHANGED", `cellspacing="4" cellpadding="3"><tr><td`}, []string{"BAD", "SUCCESS", "HAND-OFF", "red; x"}},
	}
	for _, c := range checks {
		l := lineOf(t, dot, c.parts...)
		for _, n := range c.not {
			if strings.Contains(l, n) {
				t.Errorf("%q in %s", n, l)
			}
		}
	}
	if l := lineOf(t, dot, "<b>− Gives up</b>"); strings.Count(l, "fillcolor=") != 1 || strings.Count(l, ", color=") != 1 {
		t.Errorf("the removed failure stage has its role's colours too: %s", l)
	}
	if strings.Contains(dot, "bad class") {
		t.Errorf("an invalid class is written:\n%s", dot)
	}
	// Without IDs, a former id is written as "renamed from".
	j, marks = markedJourney(t, false)
	dot = string(DOT(j, Options{Marks: marks}))
	lineOf(t, dot, "<b>+ Adds to cart</b>", "renamed from old-adds")
	if strings.Contains(dot, ">pays<") {
		t.Errorf("ids are written without Marks.IDs:\n%s", dot)
	}
}

var linkLine = regexp.MustCompile(`^ +\S+ (-->|-\.->)`)

// Under marks Mermaid's nodes keep their role's shape and take the mark's
// class alone, a marked link is dashed when its style is and linkStyle
// colours it by its number; the document parses with Mermaid.
func TestMarksMermaid(t *testing.T) {
	j, marks := markedJourney(t, false)
	mmd := string(Mermaid(j, Options{Marks: marks}))
	lineOf(t, mmd, `s1["+ Adds to cart<br>renamed from old-adds"]:::added`)
	lineOf(t, mmd, `s3(["− Gives up<br>gone"]):::removed`)
	if l := lineOf(t, mmd, `s2(["Pays"])`); strings.Contains(l, ":::") {
		t.Errorf("an unmarked outcome has a class: %s", l)
	}
	if l := lineOf(t, mmd, `s0[/"Lands on the shop"/]`); strings.Contains(l, ":::") {
		t.Errorf("an unmarked entry has a class: %s", l)
	}
	// Number the links as Mermaid does, in order.
	number := map[string]int{}
	n := 0
	for _, l := range strings.Split(mmd, "\n") {
		if linkLine.MatchString(l) {
			number[strings.TrimSpace(l)] = n
			n++
		}
	}
	added := number[`s0 -->|"+ adds to cart<br>30%<br>rate 20% → 30%"| s1`]
	removed := number[`s0 -.->|"−"| h0`]
	odd := number[`s1 -->|"?"| s2`]
	if added != 0 || removed != 2 || odd != 3 || n != 5 {
		t.Fatalf("links numbered %v (%d links):\n%s", number, n, mmd)
	}
	for _, want := range []string{
		fmt.Sprintf("  linkStyle %d stroke:#166534,stroke-width:2px,color:#166534\n", added),
		fmt.Sprintf("  linkStyle %d stroke:#991b1b,stroke-width:2px,color:#991b1b\n", removed),
		fmt.Sprintf("  linkStyle %d stroke-width:2px\n", odd),
		"  classDef removed fill:#fee2e2,stroke:#991b1b,stroke-width:2px,stroke-dasharray:4 3,color:#1a202c\n",
		"  classDef odd stroke-width:2px,color:#1a202c\n",
		"  classDef handoff ",
	} {
		if !strings.Contains(mmd, want) {
			t.Errorf("no %q in:\n%s", want, mmd)
		}
	}
	for _, not := range []string{"classDef success", "classDef entry", "bad class"} {
		if strings.Contains(mmd, not) {
			t.Errorf("%q in:\n%s", not, mmd)
		}
	}

	node, script := mermaidChecker(t)
	p := filepath.Join(t.TempDir(), "marked.mmd")
	if err := os.WriteFile(p, []byte(mmd), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(node, script, p).CombinedOutput(); err != nil || !strings.HasSuffix(strings.TrimSpace(string(out)), ": ok") {
		t.Errorf("Mermaid does not parse the marked flow: %v\n%s\n%s", err, out, mmd)
	}
}

// A sheet names each journey's nodes, clusters and SVG ids apart, and
// counts the layout bounds over all of them: two flows that each fit are
// refused together when their sum does not.
func TestSheet(t *testing.T) {
	j, marks := markedJourney(t, true)
	dot := string(SheetDOT(&Sheet{Title: "Changes", Subtitle: "2 journeys", Legend: testLegend, Flows: []SheetFlow{
		{Journey: j, Caption: "shop", Detail: "(modified)", Options: Options{Marks: marks}},
		{Journey: j, Caption: "shop again"},
	}}))
	for _, want := range []string{
		"  subgraph cluster_j0 {\n    label=<<b>shop</b> <font point-size=\"12\">(modified)</font>>;",
		"    subgraph cluster_j0p0 {", "    subgraph cluster_j1p1 {",
		`j0s1 [label=<`, `id="j0-stage-adds"`, `id="j1-stage-adds"`, "j1s0 -> j1h0", "j0a1 [style=invis", "start_j1s0 -> j1s0",
		"<b>Changes</b>", "2 journeys", "+ ADDED",
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("no %q in:\n%s", want, dot)
		}
	}
	// The second flow has no marks: drawn as the flow view draws it.
	lineOf(t, dot, "j1s3 [label=<", `fillcolor="`+colorFailureBg+`"`)

	chain := func(n int) *journey.Journey {
		j := &journey.Journey{ID: journey.Text{Value: "chain"}}
		for i := 0; i < n; i++ {
			s := &journey.Stage{ID: journey.Text{Value: fmt.Sprint("s", i)}}
			if i+1 < n {
				s.Next = []*journey.Transition{{To: journey.Text{Value: fmt.Sprint("s", i+1)}}}
			}
			j.Stages = append(j.Stages, s)
		}
		return j
	}
	one := &Sheet{Flows: []SheetFlow{{Journey: chain(200)}}}
	if _, size := one.dot(); size.check() != nil || size.stages != 200 || size.edges != 199 {
		t.Errorf("one flow: %+v, %v", size, size.check())
	}
	two := &Sheet{Flows: []SheetFlow{{Journey: chain(200)}, {Journey: chain(200)}}}
	_, err := SheetSVG(two)
	var tooLarge *TooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Stages != 400 || tooLarge.Edges != 398 {
		t.Errorf("two flows: %v, want a TooLargeError of 400 stages and 398 edges", err)
	}
}
