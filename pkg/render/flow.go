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
}

func newFlowGraph(j *journey.Journey, opts Options) *flowGraph {
	return newFlowGraphIn(j, opts, "")
}

// newFlowGraphIn is newFlowGraph with node names that start with prefix.
func newFlowGraphIn(j *journey.Journey, opts Options, prefix string) *flowGraph {
	g := &flowGraph{j: j, name: map[string]string{}, prefix: prefix, marks: opts.Marks}
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
	return g
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
	writeGraphDefaults(&b, g.header(opts))
	cost := g.writeBody(&b, "  ")
	w("}\n")
	return []byte(b.String()), cost
}

// writeGraphDefaults writes the graph, node and edge defaults of the flow
// view, label being the graph's HTML-like label.
func writeGraphDefaults(b *strings.Builder, label string) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	w("  graph [rankdir=LR, newrank=true, fontname=%s, fontsize=12, nodesep=0.3, ranksep=0.4, pad=0.3, bgcolor=\"white\", labelloc=t, labeljust=l, label=<%s>];\n",
		graphvizFont, label)
	w("  node [shape=box, style=\"rounded,filled\", fontname=%s, fontsize=11, fontcolor=%q, color=%q, fillcolor=%q, penwidth=1.2, margin=\"0.14,0.07\"];\n",
		graphvizFont, colorInk, colorStageLine, colorStageFill)
	w("  edge [fontname=%s, fontsize=9, fontcolor=%q, color=%q, arrowsize=0.7, penwidth=1.1];\n",
		graphvizFont, colorMuted, colorMuted)
}

// writeBody writes the phases, stages and transitions of the flow, each
// line indented by ind, and returns the estimated cost of their layout.
func (g *flowGraph) writeBody(b *strings.Builder, ind string) int {
	j := g.j
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }

	// Phases as clusters, in file order; stages of an unknown phase go
	// outside any cluster.
	inPhase := map[string][]*journey.Stage{}
	for _, s := range g.stages {
		inPhase[s.Phase.Value] = append(inPhase[s.Phase.Value], s)
	}
	var columns [][]*journey.Stage
	phaseIndex := map[string]int{}
	for i, ph := range j.Phases {
		stages := inPhase[ph.ID.Value]
		delete(inPhase, ph.ID.Value)
		if len(stages) == 0 {
			continue
		}
		w("%ssubgraph cluster_%sp%d {\n", ind, g.prefix, i)
		name := ph.Name
		if name == "" {
			name = ph.ID.Value
		}
		w("%s  label=<<b>%s</b>>; fontsize=13; fontcolor=%q; style=\"rounded,filled\"; color=%q; fillcolor=%q; margin=12;\n",
			ind, escape.DOTHTML(svgtext.Truncate(name, 60)), colorInk, colorPhaseLine, colorPhaseFill)
		for _, s := range stages {
			g.writeNode(b, s, ind+"  ")
		}
		w("%s}\n", ind)
		for _, st := range stages {
			phaseIndex[st.ID.Value] = len(columns)
		}
		columns = append(columns, stages)
	}
	for _, s := range g.stages {
		if _, left := inPhase[s.Phase.Value]; left {
			g.writeNode(b, s, ind)
		}
	}
	// Phase columns in file order: an invisible anchor between two
	// consecutive phases sits after the last stages of the first (those
	// with no transition to a stage of the same phase) and before the first
	// stages of the second (no transition from one of the same phase); the
	// transitions inside a phase rank its other stages. Anchoring every
	// stage instead costs Graphviz one long invisible edge per stage: 100
	// stages took 20 times longer to lay out (mincross and positioning on
	// the virtual nodes of those edges). Edges that go back to an earlier
	// phase do not constrain the ranks (see backward below).
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
	backward := func(from, to string) bool {
		fi, ok1 := phaseIndex[from]
		ti, ok2 := phaseIndex[to]
		return ok1 && ok2 && ti < fi
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
			w("%s%s [shape=cds, style=filled, fillcolor=%q, color=%q, fontcolor=%q, margin=\"0.3,0.1\", height=0.75, label=<<font point-size=\"9\">HAND-OFF TO</font><br/><b>%s</b><br/><font point-size=\"9\">%s</font>>, tooltip=%s];\n",
				ind, n, colorHandoffBg, colorHandoff, colorHandoff, escape.DOTHTML(svgtext.Truncate(t.Journey.Value, 40)), escape.DOTHTML(svgtext.Truncate(t.To.Value, 40)),
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
			if label := markedLabel(transitionLabel(t), mark, style); label != "" {
				attrs = append(attrs, "label="+escape.DOTString(label))
			}
			switch {
			case t.IsHandoff() && style == nil:
				attrs = append(attrs, "style=bold", "color=\""+colorHandoff+"\"")
			case t.IsHandoff():
			case backward(s.ID.Value, t.To.Value):
				attrs = append(attrs, "constraint=false")
			}
			if style != nil {
				attrs = append(attrs, style.edgeAttrs()...)
			}
			w("%s%s -> %s", ind, from, to)
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
			constraint := ""
			if backward(s.ID.Value, r.Next.Value) {
				constraint = ", constraint=false"
			}
			// Under marks, colour means a mark: a follow-up is dotted
			// and grey, not red like a removal.
			look, color := "dashed", colorReasonEdge
			if g.marks != nil {
				look, color = "dotted", colorMuted
			}
			w("%s%s -> %s [style=%s, color=%q, fontcolor=%q, label=%s%s];\n",
				ind, from, to, look, color, color, escape.DOTString(svgtext.Truncate(label, 40)), constraint)
		}
	}
	return g.layoutCost(columns, backward)
}

// header is the graph label: the journey's title and a legend (the marks'
// legend when there are marks).
func (g *flowGraph) header(opts Options) string {
	title := g.j.Title
	if title == "" {
		title = g.j.ID.Value
	}
	sub := g.j.ID.Value
	if opts.Persona != "" {
		sub += " · persona " + opts.Persona
	}
	cells := []string{
		legendCell(colorEntryFill, colorEntryLine, "● ENTRY"),
		legendCell(colorStageFill, colorStageLine, "STAGE"),
		legendCell(colorSuccessBg, colorSuccess, "■ SUCCESS"),
		legendCell(colorFailureBg, colorFailure, "× FAILURE"),
		legendCell(colorExitBg, colorExit, "→ EXIT"),
		legendCell(colorHandoffBg, colorHandoff, "→ HAND-OFF"),
	}
	if g.marks != nil {
		cells = g.marks.Legend.cells()
	}
	return legendTable(title, sub, cells)
}

// legendTable is a picture's title, a line under it, and a row of legend
// cells, as a Graphviz HTML-like table.
func legendTable(title, sub string, cells []string) string {
	span := strconv.Itoa(max(len(cells), 1))
	return `<table border="0" cellspacing="4" cellpadding="3">` +
		`<tr><td align="left" colspan="` + span + `"><font point-size="16"><b>` + escape.DOTHTML(svgtext.Truncate(title, 120)) + `</b></font></td></tr>` +
		`<tr><td align="left" colspan="` + span + `"><font point-size="10" color="` + colorMuted + `">` + escape.DOTHTML(svgtext.Truncate(sub, 120)) + `</font></td></tr>` +
		`<tr>` + strings.Join(cells, "") + `</tr></table>`
}

// legendCell is one entry of a legend: text in the line colour on the
// fill, framed in the line colour.
func legendCell(fill, line, text string) string {
	return fmt.Sprintf(`<td bgcolor="%s" color="%s" border="1" style="rounded"><font color="%s" point-size="9">%s</font></td>`, fill, line, line, text)
}

// writeNode writes one stage: name, a badge for entries and outcomes, owner
// and channel, emotion; outcomes get a double border and their own colours.
// Under marks the fill and line colours are the mark's alone (an unmarked
// stage is plain whatever its role; badges, borders and the start marker
// still tell entries and outcomes), a marked stage's name starts with the
// mark's prefix, and the id (with a former id) and the mark's note follow
// the name.
func (g *flowGraph) writeNode(b *strings.Builder, s *journey.Stage, indent string) {
	name := s.Name
	if name == "" {
		name = s.ID.Value
	}
	marked := g.marks != nil
	mark, style := g.stageMark(s.ID.Value)
	var lines []string
	badge := ""
	attrs := []string{}
	switch s.Outcome {
	case journey.OutcomeSuccess:
		badge = "■ SUCCESS"
		if !marked {
			attrs = append(attrs, "fillcolor=\""+colorSuccessBg+"\"", "color=\""+colorSuccess+"\"")
		}
		attrs = append(attrs, "peripheries=2")
	case journey.OutcomeFailure:
		badge = "× FAILURE"
		if !marked {
			attrs = append(attrs, "fillcolor=\""+colorFailureBg+"\"", "color=\""+colorFailure+"\"")
		}
		attrs = append(attrs, "peripheries=2")
	case journey.OutcomeExit:
		badge = "→ EXIT"
		if !marked {
			attrs = append(attrs, "fillcolor=\""+colorExitBg+"\"", "color=\""+colorExit+"\"", "peripheries=2", "style=\"rounded,filled,dashed\"")
		} else {
			attrs = append(attrs, "peripheries=2")
		}
	}
	if s.Entry {
		if badge != "" {
			badge = "● ENTRY · " + badge
		} else {
			badge = "● ENTRY"
			if !marked {
				attrs = append(attrs, "fillcolor=\""+colorEntryFill+"\"", "color=\""+colorEntryLine+"\"")
			}
		}
		if style == nil {
			attrs = append(attrs, "penwidth=2")
		}
	}
	if style != nil {
		attrs = append(attrs, style.nodeAttrs()...)
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
		lines = append(lines, `<font point-size="8" color="`+color+`"><b>`+escape.DOTHTML(badge)+`</b></font>`)
	}
	for _, l := range svgtext.Wrap(svgtext.Truncate(style.prefix()+name, 120), 11, 150, true) {
		lines = append(lines, "<b>"+escape.DOTHTML(l)+"</b>")
	}
	if idLine := g.idLine(s.ID.Value, mark, 40, 60, " → "); idLine != "" {
		lines = append(lines, `<font point-size="9" color="`+colorMuted+`">`+escape.DOTHTML(idLine)+`</font>`)
	}
	if mark.Note != "" {
		color := colorInk
		if style != nil && style.Line != "" {
			color = style.Line
		}
		lines = append(lines, `<font point-size="9" color="`+color+`">`+escape.DOTHTML(svgtext.Truncate(mark.Note, maxNoteRunes))+`</font>`)
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
		lines = append(lines, `<font point-size="9" color="`+colorMuted+`">`+escape.DOTHTML(svgtext.Truncate(strings.Join(detail, " · "), 60))+`</font>`)
	}
	if s.Outcome == journey.OutcomeFailure {
		color := colorFailure
		if marked {
			color = colorMuted
		}
		for _, r := range s.Reasons {
			label := r.Name
			if label == "" {
				label = r.ID.Value
			}
			lines = append(lines, `<font point-size="9" color="`+color+`">– `+escape.DOTHTML(svgtext.Truncate(label, 40))+`</font>`)
		}
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
	fmt.Fprintf(b, "%s%s [label=<%s>, %s];\n", indent, g.name[s.ID.Value], strings.Join(lines, "<br/>"), strings.Join(attrs, ", "))
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
		parts = append(parts, strings.Join(svgtext.Wrap(svgtext.Truncate(t.When, 60), 9, 110, false), "\n"))
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
func (g *flowGraph) layoutCost(columns [][]*journey.Stage, backward func(from, to string) bool) int {
	n := len(g.stages)
	index := make(map[string]int, n)
	for i, s := range g.stages {
		index[s.ID.Value] = i
	}
	type edge struct {
		to    int
		ranks bool
	}
	// Nodes: the stages, then one anchor between two phase columns, with
	// the invisible edges DOT writes for it.
	anchors := max(len(columns)-1, 0)
	adj := make([][]edge, n+anchors)
	for k := 1; k < len(columns); k++ {
		a := n + k - 1
		for _, s := range g.phaseEnds(columns[k-1], true) {
			adj[index[s.ID.Value]] = append(adj[index[s.ID.Value]], edge{a, true})
		}
		for _, s := range g.phaseEnds(columns[k], false) {
			adj[a] = append(adj[a], edge{index[s.ID.Value], true})
		}
	}
	for i, s := range g.stages {
		link := func(to string) {
			if j, ok := index[to]; ok && j != i {
				adj[i] = append(adj[i], edge{j, !backward(s.ID.Value, to)})
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
	cost := n
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
