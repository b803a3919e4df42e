package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// The landscape view draws the journeys of a workspace as one picture:
// each journey is one node (title, id and owner, stage count, entries,
// outcomes by kind, status) and each hand-off (a transition with
// `journey:` into another journey) is an edge labelled with its stage
// pair, "from stage → to stage". Phases and stages are not drawn. A
// hand-off into a journey that is not among those drawn ends at a dashed
// node that names it. It is laid out by Graphviz like the flow view, in
// the flow view's colours and type.

// MaxLandscapeElements bounds the journeys plus hand-offs of a landscape
// laid out as a picture (DOT and Mermaid have no such bound), as
// MaxLayoutElements bounds a flow.
const MaxLandscapeElements = MaxLayoutElements

// LandscapeTooLargeError is a landscape with more journeys and hand-offs
// than MaxLandscapeElements.
type LandscapeTooLargeError struct {
	Journeys, Handoffs int
}

func (e *LandscapeTooLargeError) Error() string {
	return fmt.Sprintf("%d journeys and %d hand-offs are too many to lay out as one picture (the limit is %d together: Graphviz would take minutes)",
		e.Journeys, e.Handoffs, MaxLandscapeElements)
}

// Badges and colours of the journeys' statuses.
const (
	statusActive  = "ACTIVE"
	statusDraft   = "DRAFT"
	statusRetired = "RETIRED"
	landscapeWrap = 220 // width of a journey node's lines
	landLabelWrap = 130 // width of a hand-off label's lines
)

// The landscape's texts are the flow's: textSize, wrapText, htmlLines,
// textLine and handoffBadge (flow.go).

// landscape is the workspace as the landscape view draws it.
type landscape struct {
	journeys []*journey.Journey
	node     []string                    // DOT node name of each journey
	byID     map[string]*journey.Journey // the journey a hand-off to an id reaches
	index    map[*journey.Journey]int
	edges    []landscapeEdge
	outside  []string          // ids of hand-off targets not drawn, in order of appearance
	outNode  map[string]string // outside id -> node name
}

// landscapeEdge is one hand-off.
type landscapeEdge struct {
	from, to         string // node names
	fromName, toName string // the stages' names (ids when unnamed)
	fromID, toID     string
	fromJ, toJ       string // journey ids
	when             string
}

// newLandscape indexes js (nil entries skipped). A hand-off to an id
// that several journeys share reaches the first active one, else the
// first.
func newLandscape(js []*journey.Journey) *landscape {
	l := &landscape{byID: map[string]*journey.Journey{}, index: map[*journey.Journey]int{}, outNode: map[string]string{}}
	for _, j := range js {
		if j == nil {
			continue
		}
		if _, dup := l.index[j]; dup {
			continue
		}
		l.index[j] = len(l.journeys)
		l.node = append(l.node, "j"+strconv.Itoa(len(l.journeys)))
		l.journeys = append(l.journeys, j)
		if prev := l.byID[j.ID.Value]; prev == nil || (prev.Retired() && !j.Retired()) {
			l.byID[j.ID.Value] = j
		}
	}
	type key struct{ from, fromStage, to, toStage string }
	seen := map[key]bool{}
	for i, j := range l.journeys {
		for _, s := range j.Stages {
			for _, t := range s.Next {
				if !t.IsHandoff() || t.Journey.Value == j.ID.Value {
					continue // not a hand-off, or a transition inside j
				}
				k := key{l.node[i], s.ID.Value, t.Journey.Value, t.To.Value}
				if seen[k] {
					continue
				}
				seen[k] = true
				e := landscapeEdge{from: l.node[i], fromName: stageName(s), fromID: s.ID.Value, fromJ: j.ID.Value,
					toName: t.To.Value, toID: t.To.Value, toJ: t.Journey.Value, when: t.When}
				if target := l.byID[t.Journey.Value]; target != nil {
					e.to = l.node[l.index[target]]
					if ts := target.Stage(t.To.Value); ts != nil {
						e.toName = stageName(ts)
					}
				} else {
					n, ok := l.outNode[t.Journey.Value]
					if !ok {
						n = "x" + strconv.Itoa(len(l.outside))
						l.outNode[t.Journey.Value] = n
						l.outside = append(l.outside, t.Journey.Value)
					}
					e.to = n
				}
				l.edges = append(l.edges, e)
			}
		}
	}
	return l
}

func stageName(s *journey.Stage) string {
	if s.Name != "" {
		return s.Name
	}
	return s.ID.Value
}

// journeyStats are the counts a journey's node shows.
type journeyStats struct {
	stages, entries, success, failure, exit int
	handedIn                                bool // a drawn hand-off enters it
}

func (l *landscape) stats(i int) journeyStats {
	var st journeyStats
	for _, s := range l.journeys[i].Stages {
		st.stages++
		if s.Entry {
			st.entries++
		}
		switch s.Outcome {
		case journey.OutcomeSuccess:
			st.success++
		case journey.OutcomeFailure:
			st.failure++
		case journey.OutcomeExit:
			st.exit++
		}
	}
	for _, e := range l.edges {
		if e.to == l.node[i] {
			st.handedIn = true
		}
	}
	return st
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// statusOf is a journey's status badge, its colour, and the node's line,
// fill and style.
func statusOf(j *journey.Journey) (badge, color, line, fill, style string) {
	switch j.Status {
	case "draft":
		return statusDraft, colorMuted, colorMuted, colorStageFill, "rounded,filled,dashed"
	case "retired":
		return statusRetired, colorExit, colorExit, colorExitBg, "rounded,filled,dashed"
	}
	return statusActive, colorEntryLine, colorStageLine, colorStageFill, "rounded,filled"
}

// nodeLines are the lines of journey i's node.
func (l *landscape) nodeLines(i int) []textLine {
	j := l.journeys[i]
	st := l.stats(i)
	badge, color, _, _, _ := statusOf(j)
	lines := []textLine{{badge, true, color}}
	title := j.Title
	if title == "" {
		title = j.ID.Value
	}
	for _, s := range wrapText(title, textSize, landscapeWrap, true) {
		lines = append(lines, textLine{s, true, ""})
	}
	sub := j.ID.Value
	if j.Owner.Value != "" {
		sub += " · owner " + j.Owner.Value
	}
	for _, s := range wrapText(sub, textSize, landscapeWrap, false) {
		lines = append(lines, textLine{s, false, colorMuted})
	}
	lines = append(lines, textLine{plural(st.stages, "stage", "stages"), false, colorInk})
	switch {
	case st.entries > 0:
		lines = append(lines, textLine{"● " + plural(st.entries, "entry", "entries"), false, colorEntryLine})
	case st.handedIn:
		lines = append(lines, textLine{"● no entry: entered by hand-off", false, colorEntryLine})
	default:
		lines = append(lines, textLine{"● no entry", false, colorEntryLine})
	}
	var outcomes []textLine
	if st.success > 0 {
		outcomes = append(outcomes, textLine{"■ " + strconv.Itoa(st.success) + " success", false, colorSuccess})
	}
	if st.failure > 0 {
		outcomes = append(outcomes, textLine{"× " + strconv.Itoa(st.failure) + " failure", false, colorFailure})
	}
	if st.exit > 0 {
		outcomes = append(outcomes, textLine{"◌ " + strconv.Itoa(st.exit) + " exit", false, colorExit})
	}
	if len(outcomes) == 0 {
		outcomes = append(outcomes, textLine{"no outcome", false, colorMuted})
	}
	// Outcomes share one line, each in its kind's colour (one textLine
	// per part, joined by joinedLine).
	lines = append(lines, textLine{joinedLine, false, ""})
	lines = append(lines, outcomes...)
	return lines
}

// joinedLine marks, in nodeLines, that the lines after it share one line.
const joinedLine = "\x00"

// header is the landscape's title and legend.
func (l *landscape) header() string {
	sub := plural(len(l.journeys), "journey", "journeys") + " · " + plural(len(l.edges), "hand-off", "hand-offs")
	if len(l.outside) > 0 {
		sub += " · " + plural(len(l.outside), "journey", "journeys") + " handed off to but not drawn"
	}
	var active, draft, retired bool
	for _, j := range l.journeys {
		switch j.Status {
		case "draft":
			draft = true
		case "retired":
			retired = true
		default:
			active = true
		}
	}
	var cells []string
	for _, c := range []struct {
		on               bool
		fill, line, text string
	}{
		{active, colorStageFill, colorEntryLine, statusActive},
		{draft, colorStageFill, colorMuted, statusDraft},
		{retired, colorExitBg, colorExit, statusRetired},
		{len(l.edges) > 0, colorHandoffBg, colorHandoff, handoffBadge + ": from stage → to stage"},
	} {
		if c.on {
			cells = append(cells, legendCell(c.fill, c.line, escape.DOTHTML(c.text)))
		}
	}
	// The flow view's header: the title, a line under it, and the
	// legend's cells in a table of their own.
	t := `<table border="0" cellspacing="2" cellpadding="2">` +
		`<tr><td align="left"><font point-size="18"><b>Journey landscape</b></font></td></tr>` +
		`<tr><td align="left"><font color="` + colorMuted + `">` + escape.DOTHTML(sub) + `</font></td></tr>`
	if len(cells) > 0 {
		// Graphviz stretches a table to its cell: a cell of fixed size,
		// aligned left, keeps the chips at their own width under a wider
		// title (as the flow view's legend does).
		w, h := chipsSize(cells)
		t += fmt.Sprintf(`<tr><td align="left" fixedsize="true" width="%d" height="%d">`, w, h) +
			`<table border="0" cellspacing="4" cellpadding="3"><tr>` + strings.Join(cells, "") + `</tr></table></td></tr>`
	}
	return t + `</table>`
}

// LandscapeDOT writes the landscape of js as a Graphviz DOT graph. The
// journeys' SVG ids are "journey-<id>".
func LandscapeDOT(js []*journey.Journey) []byte {
	return newLandscape(js).dot()
}

// LandscapeSVG lays out the landscape of js with Graphviz. More than
// MaxLandscapeElements journeys and hand-offs are refused with a
// *LandscapeTooLargeError before Graphviz starts.
func LandscapeSVG(js []*journey.Journey) ([]byte, error) {
	l := newLandscape(js)
	if n, e := len(l.journeys)+len(l.outside), len(l.edges); n+e > MaxLandscapeElements {
		return nil, &LandscapeTooLargeError{Journeys: n, Handoffs: e}
	}
	return LayoutSVGWithFont(l.dot())
}

func (l *landscape) dot() []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("digraph landscape {\n")
	// The flow view's defaults (see writeGraphDefaults), with more room
	// between the ranks for the hand-offs' labels.
	w("  graph [rankdir=LR, newrank=true, fontname=%s, fontsize=%d, nodesep=0.4, ranksep=0.6, pad=0.3, bgcolor=\"white\", labelloc=t, labeljust=l, label=<%s>];\n",
		graphvizFont, textSize, l.header())
	w("  node [shape=box, style=\"rounded,filled\", fontname=%s, fontsize=%d, fontcolor=%q, color=%q, fillcolor=%q, penwidth=1.2, margin=\"0.14,0.07\"];\n",
		graphvizFont, textSize, colorInk, colorStageLine, colorStageFill)
	w("  edge [fontname=%s, fontsize=%d, fontcolor=%q, color=%q, arrowsize=0.7, penwidth=1.1];\n",
		graphvizFont, textSize, colorMuted, colorMuted)
	for i, j := range l.journeys {
		_, _, line, fill, style := statusOf(j)
		var rows []string
		joined := false
		var parts []string
		// The widest line as the PNG draws it (svgtext): Graphviz's own
		// estimate is short for text its Arial metrics do not cover (CJK),
		// so the node gets at least this width.
		widest, partsWidth := 0.0, 0.0
		for _, ln := range l.nodeLines(i) {
			if ln.text == joinedLine {
				joined = true
				continue
			}
			tw := svgtext.TextWidth(ln.text, textSize, ln.bold)
			if joined {
				if partsWidth > 0 {
					tw += svgtext.TextWidth(" · ", textSize, false)
				}
				partsWidth += tw
			}
			widest = max(widest, tw, partsWidth)
			t := escape.DOTHTML(ln.text)
			if ln.bold {
				t = "<b>" + t + "</b>"
			}
			if ln.color != "" {
				t = `<font color="` + ln.color + `">` + t + `</font>`
			}
			if joined {
				parts = append(parts, t)
				continue
			}
			rows = append(rows, t)
		}
		if len(parts) > 0 {
			// The separator in a font element of its own, muted.
			rows = append(rows, strings.Join(parts, `<font color="`+colorMuted+`">`+escape.DOTHTML(" · ")+`</font>`))
		}
		tooltip := j.ID.Value
		if j.Description != "" {
			tooltip += "\n" + j.Description
		}
		attrs := []string{
			"label=<" + strings.Join(rows, "<br/>") + ">",
			"style=\"" + style + "\"", "color=\"" + line + "\"", "fillcolor=\"" + fill + "\"",
			"margin=\"0.18,0.1\"",
			// 72 points an inch; margins and border.
			"width=" + strconv.FormatFloat(math.Ceil(widest+2*0.18*72+4)/72, 'f', 2, 64),
			"id=" + escape.DOTString("journey-"+j.ID.Value),
			"tooltip=" + escape.DOTString(svgtext.Truncate(tooltip, 500)),
		}
		if !j.Retired() && j.Status != "draft" {
			attrs = append(attrs, "penwidth=1.6")
		}
		w("  %s [%s];\n", l.node[i], strings.Join(attrs, ", "))
	}
	for _, id := range l.outside {
		w("  %s [style=\"rounded,dashed\", color=%q, fontcolor=%q, label=<<b>%s</b><br/>%s>, tooltip=%s];\n",
			l.outNode[id], colorMuted, colorMuted,
			htmlLines(wrapText(id, textSize, landscapeWrap, true), ""), escape.DOTHTML("not among the drawn journeys"),
			escape.DOTString("journey "+id+" is handed off to but not drawn"))
	}
	for _, e := range l.edges {
		label := edgePair(e)
		tooltip := "hand-off: " + e.fromJ + " / " + e.fromID + " → " + e.toJ + " / " + e.toID
		if e.when != "" {
			tooltip += "\nwhen " + e.when
		}
		w("  %s -> %s [label=%s, tooltip=%s, style=bold, color=%q, fontcolor=%q];\n", e.from, e.to,
			escape.DOTString(label), escape.DOTString(svgtext.Truncate(tooltip, 500)), colorHandoff, colorHandoff)
	}
	l.writeGrid(w)
	w("}\n")
	return []byte(b.String())
}

// writeGrid places the journeys that no hand-off touches, when there are
// six or more, in a grid rather than in one column as tall as all of them:
// invisible edges put the k-th of them rows ranks to the right of the
// (k-rows)-th. About 0.6 columns per row makes the grid about as wide as
// high, the landscape's nodes being about twice as wide as high.
func (l *landscape) writeGrid(w func(format string, args ...any)) {
	linked := map[string]bool{}
	for _, e := range l.edges {
		linked[e.from], linked[e.to] = true, true
	}
	var alone []string
	for _, n := range l.node {
		if !linked[n] {
			alone = append(alone, n)
		}
	}
	if len(alone) < 6 {
		return
	}
	rows := int(math.Ceil(math.Sqrt(float64(len(alone)) / 0.6)))
	// Written last first: Graphviz then orders each column top down.
	for k := len(alone) - 1; k >= rows; k-- {
		w("  %s -> %s [style=invis];\n", alone[k-rows], alone[k])
	}
}

// edgePair is a hand-off's label: "from stage →" and "to stage", each
// wrapped.
func edgePair(e landscapeEdge) string {
	from := wrapText(e.fromName+" →", textSize, landLabelWrap, false)
	to := wrapText(e.toName, textSize, landLabelWrap, false)
	return strings.Join(append(from, to...), "\n")
}

// LandscapeMermaid writes the landscape of js as a Mermaid flowchart:
// node ids j0, j1... in order (x0, x1... for journeys handed off to but
// not drawn), every label escaped, a class per status.
func LandscapeMermaid(js []*journey.Journey) []byte {
	l := newLandscape(js)
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("flowchart LR\n")
	for i, j := range l.journeys {
		title := j.Title
		if title == "" {
			title = j.ID.Value
		}
		var row []string
		st := l.stats(i)
		row = append(row, plural(st.stages, "stage", "stages"), plural(st.entries, "entry", "entries"))
		if st.success > 0 {
			row = append(row, strconv.Itoa(st.success)+" success")
		}
		if st.failure > 0 {
			row = append(row, strconv.Itoa(st.failure)+" failure")
		}
		if st.exit > 0 {
			row = append(row, strconv.Itoa(st.exit)+" exit")
		}
		badge, _, _, _, _ := statusOf(j)
		label := escape.Mermaid(svgtext.Truncate(title, 80)) + "<br>" +
			escape.Mermaid(svgtext.Truncate(j.ID.Value, 80)+" · "+strings.ToLower(badge)) + "<br>" +
			escape.Mermaid(strings.Join(row, " · "))
		w("  %s[\"%s\"]:::%s\n", l.node[i], label, strings.ToLower(badge))
	}
	for _, id := range l.outside {
		w("  %s[\"%s\"]:::outside\n", l.outNode[id], escape.Mermaid(svgtext.Truncate(id, 80))+"<br>"+escape.Mermaid("not among the drawn journeys"))
	}
	for _, e := range l.edges {
		label := svgtext.Truncate(e.fromName, 60) + " → " + svgtext.Truncate(e.toName, 60)
		w("  %s ==>|\"%s\"| %s\n", e.from, escape.Mermaid(label), e.to)
	}
	w("  classDef active fill:%s,stroke:%s,stroke-width:2px,color:%s\n", colorStageFill, colorStageLine, colorInk)
	w("  classDef draft fill:%s,stroke:%s,stroke-dasharray:4 3,color:%s\n", colorStageFill, colorMuted, colorInk)
	w("  classDef retired fill:%s,stroke:%s,stroke-dasharray:4 3,color:%s\n", colorExitBg, colorExit, colorInk)
	w("  classDef outside fill:%s,stroke:%s,stroke-dasharray:2 2,color:%s\n", colorStageFill, colorMuted, colorMuted)
	if len(l.edges) > 0 {
		w("  linkStyle default stroke:%s,stroke-width:2px,color:%s\n", colorHandoff, colorHandoff)
	}
	return []byte(b.String())
}
