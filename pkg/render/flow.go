package render

import (
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// Palette: every text colour on its fill passes WCAG AA (contrast >= 4.5:1);
// shape, border and a text badge carry the same meaning for readers who do
// not see the colours.
const (
	colorInk        = "#1a202c" // text
	colorMuted      = "#4a5568" // secondary text, edges
	colorStageFill  = "#ffffff"
	colorStageLine  = "#4a5568"
	colorEntryLine  = "#1e40af"
	colorEntryFill  = "#eff6ff"
	colorSuccess    = "#166534"
	colorSuccessBg  = "#dcfce7"
	colorFailure    = "#991b1b"
	colorFailureBg  = "#fee2e2"
	colorExit       = "#374151"
	colorExitBg     = "#f3f4f6"
	colorHandoff    = "#6b21a8"
	colorHandoffBg  = "#f3e8ff"
	colorPhaseFill  = "#f8fafc"
	colorPhaseLine  = "#cbd5e1"
	colorReasonEdge = "#991b1b"
)

// graphvizFont is the font Graphviz measures text with: its built-in Arial
// metrics are those of the embedded Liberation Sans. FlowSVG swaps the name
// for svgtext.FontFamily in the output.
const graphvizFont = `"Arial"`

// Options select what a view draws.
type Options struct {
	// Persona, when set, draws only the stages that persona passes (stages
	// that name no personas are passed by all) and the edges between them.
	Persona string
	// Marks, when set, style stages and transitions of the flow view (the
	// diff's changes): see Marks. The canvas view ignores them.
	Marks *Marks
	// Scale is a PNG's pixels per SVG unit (0: PNGScale); Width, when set,
	// is the PNG's width in pixels instead.
	Scale float64
	Width int
	// Direction is the flow view's direction: DirectionAuto ("" too),
	// DirectionLR or DirectionTB (see Directions).
	Direction string
	// Phases, when set, draws only these phases (by id) of the flow and
	// the canvas: a map cut into slides (see CutPhases in phases.go).
	Phases []string
}

// Directions of the flow view, in help order. Left to right, the phases
// are columns; top to bottom, they are bands stacked in file order. Auto
// is left to right while the estimated drawing stays within
// MaxFlowWidth and a page-like aspect (at most maxFlowAspect times as
// wide as high), else top to bottom. The estimate (see flowGraph.lrSize)
// needs no layout, so DOT and Mermaid follow the same choice.
const (
	DirectionAuto = "auto"
	DirectionLR   = "lr"
	DirectionTB   = "tb"
)

// Directions lists the values of Options.Direction.
var Directions = []string{DirectionAuto, DirectionLR, DirectionTB}

// MaxFlowWidth is the widest flow drawing, in SVG units (pixels at scale
// 1), that auto draws left to right: at 1,800 a picture shown at 900
// pixels (a README) keeps its 12-unit text at 6 pixels or more.
const MaxFlowWidth = 1800

// maxFlowAspect is the widest aspect (width over height) auto draws left
// to right.
const maxFlowAspect = 5.0

// Text of the flow view: every text is at least textSize units high
// (pixels at scale 1), and text is wrapped, never cut, up to
// maxTextRunes: a longer name (far past any real one) is shortened to keep
// the layout's size bounded.
const (
	textSize       = 12
	titleSize      = 18
	phaseTitleSize = 14
	nodeWrap       = 170 // width of a stage's lines
	labelWrap      = 140 // width of an edge label's lines
	titleWrap      = 760 // width of the picture's title and subtitle
	maxTextRunes   = 400
	colorReturn    = "#64748b" // return edges: lighter than colorMuted, AA on white
)

// wrapText is s wrapped at width for size and bold, shortened past
// maxTextRunes.
func wrapText(s string, size, width float64, bold bool) []string {
	return svgtext.Wrap(svgtext.Truncate(s, maxTextRunes), size, width, bold)
}

// flowGraph is the journey as the flow view draws it: the stages kept by
// the options, with stable DOT node names.
type flowGraph struct {
	j      *journey.Journey
	stages []*journey.Stage
	name   map[string]string // stage id -> DOT node name
	emo    func(*journey.Stage) (int, bool)
	// prefix starts every node and cluster name: "" for one journey,
	// "j0", "j1"... for the journeys of a Sheet.
	prefix string
	marks  *Marks
	styles map[string]*MarkStyle // marks.Styles by class
	// columns are the phases that have stages, in file order, and
	// phaseIndex each such stage's column.
	columns    [][]*journey.Stage
	phaseIndex map[string]int
	// tb draws top to bottom (phases as stacked bands).
	tb bool
}

func newFlowGraph(j *journey.Journey, opts Options) *flowGraph {
	g := newFlowGraphIn(j, opts, "")
	g.tb = g.topToBottom(opts.Direction)
	return g
}

// newFlowGraphIn is newFlowGraph with node names that start with prefix,
// drawn left to right.
func newFlowGraphIn(j *journey.Journey, opts Options, prefix string) *flowGraph {
	g := &flowGraph{j: j, name: map[string]string{}, prefix: prefix, marks: opts.Marks, phaseIndex: map[string]int{}}
	for _, s := range j.Stages {
		if s.ID.Value == "" || g.name[s.ID.Value] != "" || !s.Passes(opts.Persona) {
			continue
		}
		g.name[s.ID.Value] = prefix + "s" + strconv.Itoa(len(g.stages))
		g.stages = append(g.stages, s)
	}
	g.emo = func(s *journey.Stage) (int, bool) { return s.EmotionFor(opts.Persona) }
	if g.marks != nil {
		g.styles = g.marks.byClass()
	}
	inPhase := map[string][]*journey.Stage{}
	for _, s := range g.stages {
		inPhase[s.Phase.Value] = append(inPhase[s.Phase.Value], s)
	}
	for _, ph := range j.Phases {
		stages := inPhase[ph.ID.Value]
		delete(inPhase, ph.ID.Value)
		if len(stages) == 0 {
			continue
		}
		for _, st := range stages {
			g.phaseIndex[st.ID.Value] = len(g.columns)
		}
		g.columns = append(g.columns, stages)
	}
	return g
}

// topToBottom resolves a direction: auto is top to bottom when the left
// to right drawing would be wider than MaxFlowWidth or than maxFlowAspect
// times its height.
func (g *flowGraph) topToBottom(direction string) bool {
	switch direction {
	case DirectionTB:
		return true
	case DirectionLR:
		return false
	}
	w, h := g.lrSize()
	return w > MaxFlowWidth || w > maxFlowAspect*h
}

// backward is an edge that goes back to an earlier phase: it does not
// constrain the ranks and is drawn as a return.
func (g *flowGraph) backward(from, to string) bool {
	fi, ok1 := g.phaseIndex[from]
	ti, ok2 := g.phaseIndex[to]
	return ok1 && ok2 && ti < fi
}

// DOT writes the flow view of j as a Graphviz DOT graph (styled by
// opts.Marks when set; a marked element's SVG class is its style's).
func DOT(j *journey.Journey, opts Options) []byte {
	dot, _ := flowDOT(j, opts)
	return dot
}

// flowDOT is DOT and the estimated cost of its layout (see layoutCost).
func flowDOT(j *journey.Journey, opts Options) ([]byte, int) {
	g := newFlowGraph(j, opts)
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w("digraph journey {\n")
	writeGraphDefaults(&b, g.header(opts), g.tb)
	cost := g.writeBody(&b, "  ")
	w("}\n")
	return []byte(b.String()), cost
}

// writeGraphDefaults writes the graph, node and edge defaults of the flow
// view, label being the graph's HTML-like label.
func writeGraphDefaults(b *strings.Builder, label string, tb bool) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	rankdir, ranksep := "LR", "0.4"
	if tb {
		rankdir, ranksep = "TB", "0.35"
	}
	w("  graph [rankdir=%s, newrank=true, fontname=%s, fontsize=%d, nodesep=0.3, ranksep=%s, pad=0.3, bgcolor=\"white\", labelloc=t, labeljust=l, label=<%s>];\n",
		rankdir, graphvizFont, textSize, ranksep, label)
	w("  node [shape=box, style=\"rounded,filled\", fontname=%s, fontsize=%d, fontcolor=%q, color=%q, fillcolor=%q, penwidth=1.2, margin=\"0.14,0.07\"];\n",
		graphvizFont, textSize, colorInk, colorStageLine, colorStageFill)
	w("  edge [fontname=%s, fontsize=%d, fontcolor=%q, color=%q, arrowsize=0.7, penwidth=1.1];\n",
		graphvizFont, textSize, colorMuted, colorMuted)
}

// htmlLines joins escaped lines for an HTML-like label, each aligned by
// align ("" centres).
func htmlLines(lines []string, align string) string {
	br := "<br/>"
	if align != "" {
		br = `<br align="` + align + `"/>`
	}
	esc := make([]string, len(lines))
	for i, l := range lines {
		esc[i] = escape.DOTHTML(l)
	}
	s := strings.Join(esc, br)
	if align != "" && len(lines) > 1 {
		s += br
	}
	return s
}

// writeBody writes the phases, stages and transitions of the flow, each
// line indented by ind, and returns the estimated cost of their layout.
func (g *flowGraph) writeBody(b *strings.Builder, ind string) int {
	j := g.j
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }

	// Phases as clusters, in file order; stages of an unknown phase go
	// outside any cluster.
	titleWidth := 260.0
	if g.tb {
		titleWidth = 600
	}
	col := 0
	for i, ph := range j.Phases {
		if col >= len(g.columns) || g.columns[col][0].Phase.Value != ph.ID.Value {
			continue
		}
		stages := g.columns[col]
		col++
		w("%ssubgraph cluster_%sp%d {\n", ind, g.prefix, i)
		name := ph.Name
		if name == "" {
			name = ph.ID.Value
		}
		w("%s  label=<<b>%s</b>>; fontsize=%d; fontcolor=%q; style=\"rounded,filled\"; color=%q; fillcolor=%q; margin=12;\n",
			ind, htmlLines(wrapText(name, phaseTitleSize, titleWidth, true), "left"), phaseTitleSize, colorInk, colorPhaseLine, colorPhaseFill)
		for _, s := range stages {
			g.writeNode(b, s, ind+"  ")
		}
		w("%s}\n", ind)
	}
	for _, s := range g.stages {
		if _, ok := g.phaseIndex[s.ID.Value]; !ok {
			g.writeNode(b, s, ind)
		}
	}
	columns := g.columns
	// Phase columns in file order: an invisible anchor between two
	// consecutive phases sits after the last stages of the first (those
	// with no transition to a stage of the same phase) and before the first
	// stages of the second (no transition from one of the same phase); the
	// transitions inside a phase rank its other stages. Anchoring every
	// stage instead costs Graphviz one long invisible edge per stage: 100
	// stages took 20 times longer to lay out (mincross and positioning on
	// the virtual nodes of those edges). Edges that go back to an earlier
	// phase do not constrain the ranks (see backward). Top to bottom, the
	// same anchors stack the phases as bands.
	for i := 1; i < len(columns); i++ {
		a := g.prefix + "a" + strconv.Itoa(i)
		w("%s%s [style=invis, shape=point, width=0, height=0, label=\"\"];\n", ind, a)
		for _, st := range g.phaseEnds(columns[i-1], true) {
			w("%s%s -> %s [style=invis];\n", ind, g.name[st.ID.Value], a)
		}
		for _, st := range g.phaseEnds(columns[i], false) {
			w("%s%s -> %s [style=invis];\n", ind, a, g.name[st.ID.Value])
		}
	}

	// Start markers point at the entries.
	for _, s := range g.stages {
		if s.Entry {
			n := g.name[s.ID.Value]
			w("%sstart_%s [shape=point, fillcolor=%q, color=%q, width=0.16, tooltip=\"start\"];\n", ind, n, colorEntryLine, colorEntryLine)
			w("%sstart_%s -> %s [color=%q, penwidth=1.6];\n", ind, n, n, colorEntryLine)
		}
	}

	// Hand-off targets: one node per (journey, stage) pair.
	handoffs := map[string]string{}
	for _, s := range g.stages {
		for _, t := range s.Next {
			if !t.IsHandoff() {
				continue
			}
			key := t.Journey.Value + "\x00" + t.To.Value
			if _, ok := handoffs[key]; ok {
				continue
			}
			n := g.prefix + "h" + strconv.Itoa(len(handoffs))
			handoffs[key] = n
			w("%s%s [shape=cds, style=filled, fillcolor=%q, color=%q, fontcolor=%q, margin=\"0.3,0.1\", height=0.75, label=<<b>%s</b><br/><b>%s</b><br/>%s>, tooltip=%s];\n",
				ind, n, colorHandoffBg, colorHandoff, colorHandoff, escape.DOTHTML(handoffBadge+" TO"),
				htmlLines(wrapText(t.Journey.Value, textSize, nodeWrap, true), ""), htmlLines(wrapText(t.To.Value, textSize, nodeWrap, false), ""),
				escape.DOTString("hand-off into journey "+t.Journey.Value+", stage "+t.To.Value))
		}
	}

	for _, s := range g.stages {
		from := g.name[s.ID.Value]
		for _, t := range s.Next {
			to := g.name[t.To.Value]
			if t.IsHandoff() {
				to = handoffs[t.Journey.Value+"\x00"+t.To.Value]
			}
			if to == "" {
				continue // unknown or filtered-out target
			}
			attrs := []string{}
			mark, style := g.transitionMark(t)
			back := !t.IsHandoff() && g.backward(s.ID.Value, t.To.Value)
			if label := markedLabel(transitionLabel(t), mark, style); label != "" {
				attrs = append(attrs, "label="+escape.DOTString(label))
			}
			switch {
			case t.IsHandoff() && style == nil:
				attrs = append(attrs, "style=bold", "color=\""+colorHandoff+"\"")
			case t.IsHandoff():
			case back:
				attrs = append(attrs, returnAttrs(style == nil, to)...)
			}
			if style != nil {
				attrs = append(attrs, style.edgeAttrs()...)
			}
			if back {
				w("%s%s -> %s", ind, to, from)
			} else {
				w("%s%s -> %s", ind, from, to)
			}
			if len(attrs) > 0 {
				w(" [%s]", strings.Join(attrs, ", "))
			}
			w(";\n")
		}
		for _, r := range s.Reasons {
			to := g.name[r.Next.Value]
			if to == "" {
				continue
			}
			label := r.Name
			if label == "" {
				label = r.ID.Value
			}
			// Under marks, colour means a mark: a follow-up is dotted
			// and grey, not red like a removal.
			look, color := "dashed", colorReasonEdge
			if g.marks != nil {
				look, color = "dotted", colorMuted
			}
			back := g.backward(s.ID.Value, r.Next.Value)
			attrs := []string{"style=" + look, "color=\"" + color + "\"", "fontcolor=\"" + color + "\"",
				"label=" + escape.DOTString(strings.Join(wrapText(label, textSize, labelWrap, false), "\n"))}
			tail, head := from, to
			if back {
				attrs = append(attrs, returnAttrs(false, to)...)
				tail, head = to, from
			}
			w("%s%s -> %s [%s];\n", ind, tail, head, strings.Join(attrs, ", "))
		}
	}
	return g.layoutCost(columns)
}

// returnAttrs are the DOT attributes of an edge back to an earlier phase
// (to is the stage it returns to), which the caller writes reversed, from
// that stage to the one it leaves, with dir=back: it does not constrain
// the ranks, and it is drawn as a secondary line (lighter and dashed when
// plain). Written forwards, Graphviz routed such edges in loops through the
// phases between (and past a stage's border); reversed, they run beside
// the drawing. The returns into one stage meet before it (sametail, the
// stage being the tail as written). Ports on the stages' sides were tried
// too: Graphviz loops the edges around their ends; and xlabel or headlabel
// instead of label: the labels then float away from their edges or cover
// each other.
func returnAttrs(plain bool, to string) []string {
	attrs := []string{"dir=back", "constraint=false", "sametail=\"back_" + to + "\""}
	if plain {
		attrs = append(attrs, "style=dashed", "color=\""+colorReturn+"\"", "fontcolor=\""+colorReturn+"\"", "arrowtail=vee")
	}
	return attrs
}

// Badges of the stages' kinds, in the nodes and the legend.
const (
	entryBadge   = "● ENTRY"
	successBadge = "■ SUCCESS"
	failureBadge = "× FAILURE"
	exitBadge    = "◌ EXIT"
	handoffBadge = "► HAND-OFF"
)

// header is the graph label: the journey's title and a legend of the
// kinds drawn (the marks' legend when there are marks).
func (g *flowGraph) header(opts Options) string {
	title := g.j.Title
	if title == "" {
		title = g.j.ID.Value
	}
	sub := g.j.ID.Value
	if opts.Persona != "" {
		sub += " · persona " + opts.Persona
	}
	if g.marks != nil {
		return legendTable(title, sub, g.marks.Legend.cells())
	}
	var entry, plain, success, failure, exit, handoff bool
	for _, s := range g.stages {
		switch s.Outcome {
		case journey.OutcomeSuccess:
			success = true
		case journey.OutcomeFailure:
			failure = true
		case journey.OutcomeExit:
			exit = true
		}
		if s.Entry {
			entry = true
		} else if s.Outcome == "" {
			plain = true
		}
		for _, t := range s.Next {
			handoff = handoff || t.IsHandoff()
		}
	}
	var cells []string
	for _, c := range []struct {
		on               bool
		fill, line, text string
	}{
		{entry, colorEntryFill, colorEntryLine, entryBadge},
		{plain, colorStageFill, colorStageLine, "STAGE"},
		{success, colorSuccessBg, colorSuccess, successBadge},
		{failure, colorFailureBg, colorFailure, failureBadge},
		{exit, colorExitBg, colorExit, exitBadge},
		{handoff, colorHandoffBg, colorHandoff, handoffBadge},
	} {
		if c.on {
			cells = append(cells, legendCell(c.fill, c.line, escape.DOTHTML(c.text)))
		}
	}
	return legendTable(title, sub, cells)
}

// legendTable is a picture's title, a line under it, and a row of legend
// cells, as a Graphviz HTML-like table. The cells are a table of their
// own, so that a long title does not stretch them.
func legendTable(title, sub string, cells []string) string {
	t := `<table border="0" cellspacing="2" cellpadding="2">` +
		`<tr><td align="left" balign="left"><font point-size="` + strconv.Itoa(titleSize) + `"><b>` + htmlLines(wrapText(title, titleSize, titleWrap, true), "") + `</b></font></td></tr>` +
		`<tr><td align="left" balign="left"><font color="` + colorMuted + `">` + htmlLines(wrapText(sub, textSize, titleWrap, false), "") + `</font></td></tr>`
	if len(cells) > 0 {
		// Graphviz stretches a table to its cell, and a cell to its
		// column: a cell of fixed size, aligned left, keeps the chips at
		// their own width under a wider title.
		w, h := chipsSize(cells)
		t += `<tr><td align="left" fixedsize="true" width="` + strconv.Itoa(w) + `" height="` + strconv.Itoa(h) + `">` +
			`<table border="0" cellspacing="4" cellpadding="3"><tr>` + strings.Join(cells, "") + `</tr></table></td></tr>`
	}
	return t + `</table>`
}

var cellTextRE = regexp.MustCompile(`<b>(.*)</b>`)

// chipsSize is the size of a row of legend cells, in points, a little
// more than Graphviz needs.
func chipsSize(cells []string) (w, h int) {
	width := 4.0 // cellspacing
	for _, c := range cells {
		text := ""
		if m := cellTextRE.FindStringSubmatch(c); m != nil {
			text = html.UnescapeString(m[1])
		}
		width += svgtext.TextWidth(text, textSize, true) + 2*3 + 2 + 4 + 2
	}
	return int(math.Ceil(width)) + 4, 2*4 + 2*3 + 2 + int(math.Ceil(textSize*1.2)) + 4
}

// legendCell is one entry of a legend: text (escaped) in the line colour
// on the fill, framed in the line colour.
func legendCell(fill, line, text string) string {
	return fmt.Sprintf(`<td bgcolor="%s" color="%s" border="1" style="rounded"><font color="%s"><b>%s</b></font></td>`, fill, line, line, text)
}

// textLine is one line of a stage's label.
type textLine struct {
	text  string
	bold  bool
	color string // "" is the node's colour
}

// nodeLines are the lines of a stage's label: a badge for entries and
// outcomes, the name, under marks its id and the mark's note, owner,
// channel and emotion, and the failure reasons that no drawn edge names.
func (g *flowGraph) nodeLines(s *journey.Stage) []textLine {
	name := s.Name
	if name == "" {
		name = s.ID.Value
	}
	marked := g.marks != nil
	mark, style := g.stageMark(s.ID.Value)
	var lines []textLine
	badge := ""
	switch s.Outcome {
	case journey.OutcomeSuccess:
		badge = successBadge
	case journey.OutcomeFailure:
		badge = failureBadge
	case journey.OutcomeExit:
		badge = exitBadge
	}
	if s.Entry {
		if badge != "" {
			badge = entryBadge + " · " + badge
		} else {
			badge = entryBadge
		}
	}
	if s.Aha {
		if badge != "" {
			badge += " · "
		}
		badge += "• AHA"
	}
	if badge != "" {
		color := badgeColor(s)
		if marked && s.Outcome != "" {
			color = colorMuted
		}
		lines = append(lines, textLine{badge, true, color})
	}
	for _, l := range wrapText(style.prefix()+name, textSize, nodeWrap, true) {
		lines = append(lines, textLine{l, true, ""})
	}
	if idLine := g.idLine(s.ID.Value, mark, 40, 60, " → "); idLine != "" {
		// Wider than a name: "old-id → new-id" reads best on one line.
		for _, l := range wrapText(idLine, textSize, 2*nodeWrap, false) {
			lines = append(lines, textLine{l, false, colorMuted})
		}
	}
	if mark.Note != "" {
		color := colorInk
		if style != nil && style.Line != "" {
			color = style.Line
		}
		for _, l := range wrapText(mark.Note, textSize, nodeWrap, false) {
			lines = append(lines, textLine{l, false, color})
		}
	}
	var detail []string
	if owner := g.owner(s); owner != "" {
		detail = append(detail, owner)
	}
	if s.Channel.Value != "" {
		detail = append(detail, s.Channel.Value)
	}
	if e, ok := g.emo(s); ok {
		detail = append(detail, emotionWord(e))
	}
	if len(detail) > 0 {
		for _, l := range wrapText(strings.Join(detail, " · "), textSize, nodeWrap, false) {
			lines = append(lines, textLine{l, false, colorMuted})
		}
	}
	if s.Outcome == journey.OutcomeFailure {
		color := colorFailure
		if marked {
			color = colorMuted
		}
		// A reason with a drawn follow-up is named on its edge.
		for _, r := range s.Reasons {
			if g.name[r.Next.Value] != "" {
				continue
			}
			label := r.Name
			if label == "" {
				label = r.ID.Value
			}
			for k, l := range wrapText(label, textSize, nodeWrap-12, false) {
				if k == 0 {
					l = "– " + l
				} else {
					l = "   " + l
				}
				lines = append(lines, textLine{l, false, color})
			}
		}
	}
	return lines
}

// nodeSize estimates a stage's box in points, as Graphviz sizes it.
func (g *flowGraph) nodeSize(s *journey.Stage) (w, h float64) {
	lines := g.nodeLines(s)
	for _, l := range lines {
		w = max(w, svgtext.TextWidth(l.text, textSize, l.bold))
	}
	w += 2*10 + 4 // margins and border
	h = float64(len(lines))*textSize*1.2 + 2*5 + 4
	if s.Outcome != "" {
		w, h = w+8, h+8 // double border
	}
	return max(w, 54), max(h, 36)
}

// writeNode writes one stage (see nodeLines); outcomes get a double border
// and their own colours. Under marks the fill and line colours are the
// mark's alone (an unmarked stage is plain whatever its role; badges,
// borders and the start marker still tell entries and outcomes), and a
// marked stage's name starts with the mark's prefix.
func (g *flowGraph) writeNode(b *strings.Builder, s *journey.Stage, indent string) {
	name := s.Name
	if name == "" {
		name = s.ID.Value
	}
	marked := g.marks != nil
	_, style := g.stageMark(s.ID.Value)
	attrs := []string{}
	switch s.Outcome {
	case journey.OutcomeSuccess:
		if !marked {
			attrs = append(attrs, "fillcolor=\""+colorSuccessBg+"\"", "color=\""+colorSuccess+"\"")
		}
		attrs = append(attrs, "peripheries=2")
	case journey.OutcomeFailure:
		if !marked {
			attrs = append(attrs, "fillcolor=\""+colorFailureBg+"\"", "color=\""+colorFailure+"\"")
		}
		attrs = append(attrs, "peripheries=2")
	case journey.OutcomeExit:
		if !marked {
			attrs = append(attrs, "fillcolor=\""+colorExitBg+"\"", "color=\""+colorExit+"\"", "peripheries=2", "style=\"rounded,filled,dashed\"")
		} else {
			attrs = append(attrs, "peripheries=2")
		}
	}
	if s.Entry {
		if s.Outcome == "" && !marked {
			attrs = append(attrs, "fillcolor=\""+colorEntryFill+"\"", "color=\""+colorEntryLine+"\"")
		}
		if style == nil {
			attrs = append(attrs, "penwidth=2")
		}
	}
	if style != nil {
		attrs = append(attrs, style.nodeAttrs()...)
	}
	var parts []string
	lines := g.nodeLines(s)
	if w := wideTextWidth(lines); w > 0 {
		// Graphviz's estimate of CJK text (and other characters past its
		// default fonts' metrics) falls short: the box is made as wide as
		// the text is drawn. 72 points an inch; the node's margins.
		attrs = append(attrs, "width="+strconv.FormatFloat(math.Ceil(w+2*0.14*72+4)/72, 'f', 2, 64))
	}
	for _, l := range lines {
		t := escape.DOTHTML(l.text)
		if l.bold {
			t = "<b>" + t + "</b>"
		}
		if l.color != "" {
			t = `<font color="` + l.color + `">` + t + `</font>`
		}
		parts = append(parts, t)
	}
	tooltip := name
	if s.Description != "" {
		tooltip += "\n" + s.Description
	}
	if owner := g.owner(s); owner != "" {
		tooltip += "\nowner: " + owner
	}
	id := "stage-" + s.ID.Value
	if g.prefix != "" {
		id = g.prefix + "-" + id
	}
	attrs = append(attrs, "id="+escape.DOTString(id), "tooltip="+escape.DOTString(svgtext.Truncate(tooltip, 500)))
	fmt.Fprintf(b, "%s%s [label=<%s>, %s];\n", indent, g.name[s.ID.Value], strings.Join(parts, "<br/>"), strings.Join(attrs, ", "))
}

// wideTextWidth is the drawn width of the widest of lines when one of them
// holds a character from U+2E80 on (CJK, Hangul, full-width forms, emoji),
// whose width Graphviz underestimates; 0 when none does.
func wideTextWidth(lines []textLine) float64 {
	wide := false
	for _, l := range lines {
		wide = wide || strings.IndexFunc(l.text, func(r rune) bool { return r >= 0x2E80 }) >= 0
	}
	if !wide {
		return 0
	}
	widest := 0.0
	for _, l := range lines {
		widest = max(widest, svgtext.TextWidth(l.text, textSize, l.bold))
	}
	return widest
}

func badgeColor(s *journey.Stage) string {
	switch s.Outcome {
	case journey.OutcomeSuccess:
		return colorSuccess
	case journey.OutcomeFailure:
		return colorFailure
	case journey.OutcomeExit:
		return colorExit
	}
	if s.Entry {
		return colorEntryLine
	}
	return colorMuted
}

// owner is the team responsible for the stage (see journey.OwnerOf).
func (g *flowGraph) owner(s *journey.Stage) string {
	team, _ := g.j.OwnerOf(s)
	return team
}

// emotionWord names an emotion value for labels.
func emotionWord(e int) string {
	switch {
	case e <= -2:
		return "emotion −2"
	case e == -1:
		return "emotion −1"
	case e == 0:
		return "emotion 0"
	case e == 1:
		return "emotion +1"
	default:
		return "emotion +2"
	}
}

// transitionLabel joins when, after and rate: "clicks the CTA · 2d · 30%".
func transitionLabel(t *journey.Transition) string {
	var parts []string
	if t.When != "" {
		// Narrow labels keep the ranks close: Graphviz gives an edge
		// label its own place between the ranks of a left-to-right graph.
		parts = append(parts, strings.Join(wrapText(t.When, textSize, labelWrap, false), "\n"))
	}
	if t.After.Value != "" {
		parts = append(parts, "wait "+t.After.Value)
	}
	if t.Rate != nil {
		parts = append(parts, FormatRate(*t.Rate))
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) > 1 && t.When != "" {
		return parts[0] + "\n" + strings.Join(parts[1:], " · ")
	}
	return strings.Join(parts, " · ")
}

// FormatRate writes a rate as a percentage: 0.3 -> "30%", 0.125 -> "12.5%".
func FormatRate(r float64) string {
	return strconv.FormatFloat(math.Round(r*10000)/100, 'f', -1, 64) + "%"
}

// phaseEnds is the part of a phase's stages that an anchor needs to hold
// the whole phase on its side: with last, the stages from which no
// transition leads to another stage of the phase, and every stage that
// cannot reach one of them inside the phase (a loop); without last, the
// same for incoming transitions. Inside a phase, transitions then order
// the other stages before (or after) those ends. Linear in the stages and
// transitions of the phase.
func (g *flowGraph) phaseEnds(col []*journey.Stage, last bool) []*journey.Stage {
	in := make(map[string]int, len(col)) // stage id -> index in col
	for i, s := range col {
		in[s.ID.Value] = i
	}
	out := make([][]int, len(col)) // inner edges, reversed when !last
	back := make([][]int, len(col))
	add := func(from int, to string) {
		j, ok := in[to]
		if !ok || j == from {
			return
		}
		if last {
			out[from] = append(out[from], j)
			back[j] = append(back[j], from)
		} else {
			out[j] = append(out[j], from)
			back[from] = append(back[from], j)
		}
	}
	for i, s := range col {
		for _, t := range s.Next {
			if !t.IsHandoff() {
				add(i, t.To.Value)
			}
		}
		for _, r := range s.Reasons {
			add(i, r.Next.Value)
		}
	}
	// Ends first, then whatever cannot reach an end.
	reached := make([]bool, len(col))
	var queue []int
	for i := range col {
		if len(out[i]) == 0 {
			reached[i] = true
			queue = append(queue, i)
		}
	}
	for k := 0; k < len(queue); k++ {
		for _, p := range back[queue[k]] {
			if !reached[p] {
				reached[p] = true
				queue = append(queue, p)
			}
		}
	}
	var ends []*journey.Stage
	for i, s := range col {
		if len(out[i]) == 0 || !reached[i] {
			ends = append(ends, s)
		}
	}
	return ends
}

// layoutCost estimates the work of Graphviz's dot layout for the flow view:
// the stages plus the virtual nodes of its edges. Graphviz routes an edge
// that spans k ranks through k-1 invisible nodes, and positions, orders
// and routes every one of them: a journey where every stage can restart
// or give up has a quadratic number of them, and 60 such stages took over
// a minute while 300 stages in a line take a second. The ranks are
// estimated as dot makes them: a depth-first search from the entries drops
// the edges that close loops, the rest ranks the stages by their longest
// path, and edge labels double the ranks. Linear in stages and transitions.
func (g *flowGraph) layoutCost(columns [][]*journey.Stage) int {
	adj, rank := g.ranks(columns)
	cost := len(g.stages)
	for v := range adj {
		for _, e := range adj[v] {
			span := rank[e.to] - rank[v]
			if span < 0 {
				span = -span
			}
			cost += 2 * span
		}
	}
	return cost
}

// rankEdge is an edge of the rank estimate; ranks is false for an edge
// that does not constrain the ranks.
type rankEdge struct {
	to    int
	ranks bool
}

// ranks estimates the ranks dot gives the stages (indexes 0 to
// len(g.stages)-1) and the phase anchors (after them), with the edges
// between them (see layoutCost).
func (g *flowGraph) ranks(columns [][]*journey.Stage) ([][]rankEdge, []int) {
	n := len(g.stages)
	index := make(map[string]int, n)
	for i, s := range g.stages {
		index[s.ID.Value] = i
	}
	// Nodes: the stages, then one anchor between two phase columns, with
	// the invisible edges DOT writes for it.
	anchors := max(len(columns)-1, 0)
	adj := make([][]rankEdge, n+anchors)
	for k := 1; k < len(columns); k++ {
		a := n + k - 1
		for _, s := range g.phaseEnds(columns[k-1], true) {
			adj[index[s.ID.Value]] = append(adj[index[s.ID.Value]], rankEdge{a, true})
		}
		for _, s := range g.phaseEnds(columns[k], false) {
			adj[a] = append(adj[a], rankEdge{index[s.ID.Value], true})
		}
	}
	for i, s := range g.stages {
		link := func(to string) {
			if j, ok := index[to]; ok && j != i {
				adj[i] = append(adj[i], rankEdge{j, !g.backward(s.ID.Value, to)})
			}
		}
		for _, t := range s.Next {
			if !t.IsHandoff() {
				link(t.To.Value)
			}
		}
		for _, r := range s.Reasons {
			link(r.Next.Value)
		}
	}
	// Iterative depth-first search, entries first: postorder gives a
	// topological order of the edges that do not close a loop.
	const (
		unseen = iota
		open
		done
	)
	state := make([]int, len(adj))
	post := make([]int, 0, len(adj))
	type frame struct{ v, next int }
	visit := func(root int) {
		if state[root] != unseen {
			return
		}
		stack := []frame{{root, 0}}
		state[root] = open
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next < len(adj[f.v]) {
				e := adj[f.v][f.next]
				f.next++
				if state[e.to] == unseen {
					state[e.to] = open
					stack = append(stack, frame{e.to, 0})
				}
				continue
			}
			state[f.v] = done
			post = append(post, f.v)
			stack = stack[:len(stack)-1]
		}
	}
	for i, s := range g.stages {
		if s.Entry {
			visit(i)
		}
	}
	for i := range adj {
		visit(i)
	}
	order := make([]int, len(adj)) // position in topological order
	for k, v := range post {
		order[v] = len(adj) - 1 - k
	}
	rank := make([]int, len(adj))
	for k := len(post) - 1; k >= 0; k-- {
		v := post[k]
		for _, e := range adj[v] {
			if e.ranks && order[e.to] > order[v] && rank[e.to] < rank[v]+1 {
				rank[e.to] = rank[v] + 1
			}
		}
	}
	return adj, rank
}

// lrSize estimates the width and height, in points, of the left to right
// drawing without laying it out: the ranks as layoutCost estimates them,
// each as wide as its widest stage, the gaps between them (twice as wide
// with the widest edge label between, where dot gives labels a rank of
// their own), the phases' margins and the header; the height is the
// tallest rank's stages one above the other, and the header. Linear in
// stages and transitions (plus the text measured).
func (g *flowGraph) lrSize() (w, h float64) {
	const ranksep, nodesep, pad = 0.4 * 72, 0.3 * 72, 0.3 * 72
	_, rank := g.ranks(g.columns)
	top := 0
	for _, r := range rank {
		top = max(top, r)
	}
	width := make([]float64, top+1)
	height := make([]float64, top+1)
	label := make([]float64, top+1) // widest label after each rank
	for i, s := range g.stages {
		nw, nh := g.nodeSize(s)
		r := rank[i]
		width[r] = max(width[r], nw)
		if height[r] > 0 {
			height[r] += nodesep
		}
		height[r] += nh
		for _, t := range s.Next {
			if text := transitionLabel(t); text != "" {
				for _, l := range strings.Split(text, "\n") {
					label[r] = max(label[r], svgtext.TextWidth(l, textSize, false))
				}
			}
		}
	}
	for r := 0; r <= top; r++ {
		w += width[r]
		if r < top {
			w += ranksep
			if label[r] > 0 {
				w += ranksep + label[r]
			}
		}
		h = max(h, height[r])
	}
	w += float64(len(g.columns))*24 + 2*pad + 40 // phases' margins, pad, start markers
	h += 2*pad + 24 + 30                         // phase margins and titles
	headW, headH := g.headerSize()
	return max(w, headW+2*pad), h + headH
}

// headerSize estimates the header's size in points.
func (g *flowGraph) headerSize() (w, h float64) {
	title := g.j.Title
	if title == "" {
		title = g.j.ID.Value
	}
	lines := wrapText(title, titleSize, titleWrap, true)
	for _, l := range lines {
		w = max(w, svgtext.TextWidth(l, titleSize, true))
	}
	return w + 20, float64(len(lines))*titleSize*1.2 + textSize*1.2 + 40
}

// edgeCount is the number of transitions and failure follow-ups drawn.
func (g *flowGraph) edgeCount() int {
	n := 0
	for _, s := range g.stages {
		for _, t := range s.Next {
			if t.IsHandoff() || g.name[t.To.Value] != "" {
				n++
			}
		}
		for _, r := range s.Reasons {
			if g.name[r.Next.Value] != "" {
				n++
			}
		}
	}
	return n
}
