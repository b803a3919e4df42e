package canvas

import (
	"math"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// The emotion lane draws one curve per persona when stages give emotions
// per persona, else one curve. A curve follows the journey's transitions,
// never the columns' order: its lines join two stages only where a
// transition goes from the one to the other, forward (left to right; a
// loop back is not drawn). The transitions are cut into chains (see
// chains): the main path first, each branch a line of its own. A stage
// without an emotion (for a curve) is a gap in that curve: the line is
// not drawn through a value nobody gave, and a short dotted stub with an
// open end leads from the stage before to the gap (and from the gap to
// the stage after), so that no point stands alone when it has
// transitions. Points of several curves with the same value at the same
// stage are set side by side, and each value is labelled once.

const (
	emoTop    = 40.0 // from the lane's top to the +2 level, under the lane label
	emoBottom = 26.0
)

// emoY is the y of value v relative to the lane's top.
func emoY(v int) float64 {
	v = clampEmo(v)
	return emoTop + float64(2-v)*emoUnit
}

// Curve styles: colour, dash pattern and marker shape all differ, so that
// curves stay apart in greyscale and for colour-blind readers. Colours
// have at least 4.5:1 contrast on white.
var (
	curveColors = []string{"#1d4ed8", "#c2410c", "#047857", "#9d174d", "#6d28d9", "#92400e", "#0e7490", "#374151"}
	curveDashes = []string{"", "8 4", "2 3", "12 3 3 3", "5 5", "16 4 4 4 4 4"}
)

const numMarkers = 6

type curve struct {
	name   string
	color  string
	dash   string
	marker int
	val    []int    // per column
	has    []bool   // per column: the curve has a value there
	runs   [][]int  // lines: columns joined by transitions, all with values
	branch []bool   // per run: on a branch, not on the main path
	stubs  [][2]int // from a column with a value towards one without
	segs   [][]pt   // runs' points, absolute
	stubPt [][2]pt  // stubs' ends, absolute
}

type pt struct {
	x, y float64
}

// mark is one drawn point.
type mark struct {
	x, y  float64
	curve *curve
}

// swatch is a legend sample of a curve, centred on (x, y).
type swatch struct {
	x, y  float64
	curve int
}

type plot struct {
	curves []*curve
	cols   []*column
	chains [][]int // columns joined by transitions (see chains)
	main   bool    // chains[0] is the main path
	lane   *lane
	key    *lane
	marks  []mark
	off    [][]float64 // per column and curve: horizontal offset of the point
}

// newPlot collects the curves, or returns nil when no shown stage has an
// emotion.
func newPlot(j *journey.Journey, cols []*column, opts Options) *plot {
	p := &plot{cols: cols}
	p.chains, p.main = chains(j, cols)
	add := func(key, name string, value func(s *journey.Stage) (int, bool)) {
		i := len(p.curves)
		c := &curve{name: name, color: curveColors[i%len(curveColors)], dash: curveDashes[i%len(curveDashes)], marker: i % numMarkers,
			val: make([]int, len(cols)), has: make([]bool, len(cols))}
		for ci, col := range cols {
			if col.stage != nil && col.stage.Emotion.Set {
				c.val[ci], c.has[ci] = value(col.stage)
			}
		}
		p.curves = append(p.curves, c)
	}
	of := func(s *journey.Stage, persona string) (int, bool) { return s.EmotionFor(persona) }

	switch personas := mapPersonas(j, cols); {
	case opts.Persona != "":
		add(opts.Persona, personaName(j, opts.Persona), func(s *journey.Stage) (int, bool) { return of(s, opts.Persona) })
	case len(personas) > 0:
		for _, id := range personas {
			add(id, personaName(j, id), func(s *journey.Stage) (int, bool) { return of(s, id) })
		}
	default:
		add("", "All personas", func(s *journey.Stage) (int, bool) { return s.Emotion.Value, true })
	}

	any := false
	for _, c := range p.curves {
		for _, h := range c.has {
			any = any || h
		}
	}
	if !any {
		return nil
	}

	for _, c := range p.curves {
		c.split(p.chains, p.main)
	}

	// Side-by-side offsets of equal points.
	p.off = make([][]float64, len(cols))
	for ci := range cols {
		p.off[ci] = make([]float64, len(p.curves))
		for _, g := range p.valueGroups(ci) {
			for k, c := range g.curves {
				p.off[ci][c] = (float64(k) - float64(len(g.curves)-1)/2) * jitter
			}
		}
	}
	return p
}

// mapPersonas lists the personas named in per-persona emotions of the
// shown stages: declared personas in declaration order, then the others
// in order of appearance.
func mapPersonas(j *journey.Journey, cols []*column) []string {
	seen := map[string]bool{}
	var found []string
	for _, col := range cols {
		if col.stage == nil {
			continue
		}
		for _, pe := range col.stage.Emotion.PerPersona {
			if id := pe.Persona.Value; !seen[id] {
				seen[id] = true
				found = append(found, id)
			}
		}
	}
	if len(found) == 0 {
		return nil
	}
	var out []string
	done := map[string]bool{}
	for _, p := range j.Personas {
		if p != nil && seen[p.ID.Value] && !done[p.ID.Value] {
			done[p.ID.Value] = true
			out = append(out, p.ID.Value)
		}
	}
	for _, id := range found {
		if !done[id] {
			done[id] = true
			out = append(out, id)
		}
	}
	return out
}

type valueGroup struct {
	v      int
	curves []int
}

// valueGroups groups the curves with a value at column ci by value, in
// order of first curve.
func (p *plot) valueGroups(ci int) []valueGroup {
	var gs []valueGroup
	for k, c := range p.curves {
		if !c.has[ci] {
			continue
		}
		found := false
		for i := range gs {
			if gs[i].v == c.val[ci] {
				gs[i].curves = append(gs[i].curves, k)
				found = true
				break
			}
		}
		if !found {
			gs = append(gs, valueGroup{v: c.val[ci], curves: []int{k}})
		}
	}
	return gs
}

// valueText is "+2", "+1", "0", "−1", "−2".
func valueText(v int) string {
	switch {
	case v > 0:
		return "+" + itoa(v)
	case v < 0:
		return "−" + itoa(-v)
	}
	return "0"
}

// scale writes the level labels into the emotion lane's label cell.
func (p *plot) scale(head *cell) {
	words := map[int]string{2: "very positive", 0: "neutral", -2: "very negative"}
	right := labelW - 2*padX
	for v := 2; v >= -2; v-- {
		y := emoY(v) - padY + 4
		head.c.lines = append(head.c.lines, line{x: right, y: y, text: valueText(v), size: 11, color: colorMuted, anchor: "end"})
		if w, ok := words[v]; ok {
			head.c.lines = append(head.c.lines, line{x: 0, y: y, text: w, size: 10, color: colorMuted})
		}
	}
	head.c.h = emoH - 2*padY
}

// valueLabels writes each column's values next to its points, once per
// value: above the points, else below, right or left, whichever position
// crosses the fewest lines and markers and no other label.
func (p *plot) valueLabels(cells []*cell) {
	for ci, col := range p.cols {
		if col.stage == nil {
			continue
		}
		segs, dots := p.around(ci)
		var placed []box
		for _, g := range p.valueGroups(ci) {
			cx, yv := col.center(), emoY(g.v)
			spread := float64(len(g.curves)-1) / 2 * jitter
			text := valueText(g.v)
			cands := []line{
				{x: cx, y: yv - 10, anchor: "middle"},
				{x: cx, y: yv + 18, anchor: "middle"},
				{x: cx + spread + 9, y: yv + 4},
				{x: cx - spread - 9, y: yv + 4, anchor: "end"},
			}
			best, bestScore := -1, 0
			for i, l := range cands {
				l.text, l.size, l.bold = text, 11, true
				b := l.box()
				if !b.inside(box{col.x + 3, 3, col.w - 6, emoH - 6}) {
					continue
				}
				score := 0
				for _, o := range placed {
					if b.overlaps(o) {
						score += 100
					}
				}
				for _, d := range dots {
					if b.overlaps(d) {
						score += 3
					}
				}
				for _, sg := range segs {
					if sg.crosses(b) {
						score++
					}
				}
				if best < 0 || score < bestScore {
					best, bestScore = i, score
				}
			}
			l := cands[max(best, 0)]
			l.text, l.size, l.bold, l.color = text, 11, true, colorInk
			placed = append(placed, l.box())
			l.x -= col.x + padX
			l.y -= padY
			cells[ci].c.lines = append(cells[ci].c.lines, l)
		}
	}
}

// segment is a straight piece of a curve.
type segment struct{ x0, y0, x1, y1 float64 }

// crosses reports whether the segment passes through b (Liang-Barsky).
func (s segment) crosses(b box) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := s.x1-s.x0, s.y1-s.y0
	for _, e := range [4][2]float64{{-dx, s.x0 - b.x}, {dx, b.x + b.w - s.x0}, {-dy, s.y0 - b.y}, {dy, b.y + b.h - s.y0}} {
		pp, q := e[0], e[1]
		if pp == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		r := q / pp
		if pp < 0 {
			t0 = max(t0, r)
		} else {
			t1 = min(t1, r)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// around lists the curve segments and stubs that touch column ci and the
// boxes of its markers, with y relative to the lane's top.
func (p *plot) around(ci int) ([]segment, []box) {
	var segs []segment
	var dots []box
	for k, c := range p.curves {
		if !c.has[ci] {
			continue
		}
		x, y := p.at(k, ci)
		dots = append(dots, box{x - 6, y - 6, 12, 12})
		for _, run := range c.runs {
			for i := 1; i < len(run); i++ {
				if run[i-1] == ci || run[i] == ci {
					x0, y0 := p.at(k, run[i-1])
					x1, y1 := p.at(k, run[i])
					segs = append(segs, segment{x0, y0, x1, y1})
				}
			}
		}
		for _, st := range c.stubs {
			if st[0] == ci {
				x1, y1 := p.stubEnd(k, st)
				segs = append(segs, segment{x, y, x1, y1})
			}
		}
	}
	return segs, dots
}

// at is the point of curve k at column i, y relative to the lane's top.
func (p *plot) at(k, i int) (float64, float64) {
	return p.cols[i].center() + p.off[i][k], emoY(p.curves[k].val[i])
}

// stubLen is the longest stub: it ends well before the gap's column.
const stubLen = 0.4 * colW

// stubEnd is the open end of stub st of curve k: from st[0]'s point
// towards st[1]'s column, at most stubLen and at most 40% of the way.
func (p *plot) stubEnd(k int, st [2]int) (float64, float64) {
	x, y := p.at(k, st[0])
	d := p.cols[st[1]].center() - p.cols[st[0]].center()
	l := min(stubLen, 0.4*math.Abs(d))
	if d < 0 {
		l = -l
	}
	return x + l, y
}

// split cuts the chains into the curve's lines, at the columns where it
// has no value, and lists the stubs at those gaps.
func (c *curve) split(chains [][]int, main bool) {
	seen := map[[2]int]bool{}
	for chi, ch := range chains {
		var run []int
		flush := func() {
			if len(run) > 1 {
				c.runs = append(c.runs, run)
				c.branch = append(c.branch, chi > 0 || !main)
			}
			run = nil
		}
		for i, ci := range ch {
			if !c.has[ci] {
				flush()
			} else {
				run = append(run, ci)
			}
			if i == 0 {
				continue
			}
			prev := ch[i-1]
			var st [2]int
			switch {
			case c.has[prev] && !c.has[ci]:
				st = [2]int{prev, ci}
			case !c.has[prev] && c.has[ci]:
				st = [2]int{ci, prev}
			default:
				continue
			}
			if !seen[st] {
				seen[st] = true
				c.stubs = append(c.stubs, st)
			}
		}
		flush()
	}
}

// chains cuts the transitions between the drawn stages into chains of
// columns, each a line of the emotion curves. Only forward transitions
// (to a column further right) count: a loop back would draw the curve
// backwards over itself. The main path comes first: from the first entry
// stage (else the first stage), at each stage the transition with the
// highest rate (the first one on equal or no rates) not yet drawn. Then
// each transition not drawn yet, in column order and file order, starts
// a branch that goes on the same way. Every drawn transition is in
// exactly one chain, as a pair of consecutive columns. main reports
// whether the first chain is the main path.
func chains(j *journey.Journey, cols []*column) (res [][]int, main bool) {
	colOf := map[string]int{}
	for i, col := range cols {
		if col.stage != nil && col.stage.ID.Value != "" {
			if _, dup := colOf[col.stage.ID.Value]; !dup {
				colOf[col.stage.ID.Value] = i
			}
		}
	}
	type edge struct {
		to   int
		rate float64 // -1: none
		used bool
	}
	out := make([][]*edge, len(cols))
	for i, col := range cols {
		if col.stage == nil {
			continue
		}
		seen := map[int]bool{}
		for _, t := range col.stage.Next {
			if t == nil || t.IsHandoff() {
				continue
			}
			to, ok := colOf[t.To.Value]
			if !ok || to <= i || seen[to] {
				continue
			}
			seen[to] = true
			r := -1.0
			if t.Rate != nil {
				r = *t.Rate
			}
			out[i] = append(out[i], &edge{to: to, rate: r})
		}
	}
	best := func(i int) *edge {
		var b *edge
		for _, e := range out[i] {
			if !e.used && (b == nil || e.rate > b.rate) {
				b = e
			}
		}
		return b
	}
	walk := func(from int) []int {
		ch := []int{from}
		for e := best(from); e != nil; e = best(from) {
			e.used = true
			ch = append(ch, e.to)
			from = e.to
		}
		return ch
	}
	start := -1
	for i, col := range cols {
		if col.stage != nil && col.stage.Entry {
			start = i
			break
		}
	}
	if start < 0 {
		for i, col := range cols {
			if col.stage != nil {
				start = i
				break
			}
		}
	}
	if start >= 0 {
		if ch := walk(start); len(ch) > 1 {
			res, main = append(res, ch), true
		}
	}
	for i := range cols {
		for _, e := range out[i] {
			if e.used {
				continue
			}
			e.used = true
			res = append(res, append([]int{i}, walk(e.to)...))
		}
	}
	return res, main
}

func clampEmo(v int) int { return min(2, max(-2, v)) }

// legend lays out the key: a sample of each curve and its name, then how
// to read the lane.
func (p *plot) legend(c *content, w float64) {
	const sw, gap, rowGap = 36.0, 8.0, 6.0
	x, top, rowH := 0.0, 0.0, 0.0
	for i, cv := range p.curves {
		name := svgtext.Truncate(escape.Clean(cv.name), 120)
		lines := svgtext.Wrap(name, 12, max(40, w-sw-gap), false)
		iw := 0.0
		for _, l := range lines {
			iw = max(iw, svgtext.TextWidth(l, 12, false))
		}
		iw += sw + gap
		if x > 0 && x+iw > w {
			x, top, rowH = 0, top+rowH+rowGap, 0
		}
		c.swatches = append(c.swatches, swatch{x: x + sw/2, y: top + 8, curve: i})
		for k, l := range lines {
			c.lines = append(c.lines, line{x: x + sw + gap, y: baseline(top+float64(k)*16, 12, 16), text: l, size: 12, color: colorInk})
		}
		rowH = max(rowH, float64(len(lines))*16)
		x += iw + 24
	}
	c.h = top + rowH
	c.gap(8)
	note := "Emotion from −2 (very negative) through 0 (neutral) to +2 (very positive). Lines follow the transitions to stages further right: the main path (from the entry, at each stage the likeliest transition) bold, branches thin; loops back are not drawn. A dotted stub with an open end leads to or from a stage that gives no emotion."
	if len(p.curves) > 1 {
		note += " Equal values of several curves sit side by side."
	}
	c.text(note, stSmall, 0, w)
}

// points computes the curves' points once the lane is placed.
func (p *plot) points(sh *sheet) {
	ly := p.lane.y
	for k, c := range p.curves {
		for _, run := range c.runs {
			seg := make([]pt, len(run))
			for i, ci := range run {
				x, y := p.at(k, ci)
				seg[i] = pt{x, ly + y}
			}
			c.segs = append(c.segs, seg)
		}
		for _, st := range c.stubs {
			x0, y0 := p.at(k, st[0])
			x1, y1 := p.stubEnd(k, st)
			c.stubPt = append(c.stubPt, [2]pt{{x0, ly + y0}, {x1, ly + y1}})
		}
		for ci, col := range p.cols {
			if col.stage != nil && c.has[ci] {
				x, y := p.at(k, ci)
				p.marks = append(p.marks, mark{x, ly + y, c})
			}
		}
	}
}

// markerSVG draws marker shape kind centred on (x, y).
func markerSVG(b *strings.Builder, kind int, x, y float64, color string) {
	attrs := ` fill="` + color + `" stroke="#ffffff" stroke-width="1.2"/>`
	switch kind {
	case 0:
		b.WriteString(`<circle cx="` + num(x) + `" cy="` + num(y) + `" r="4.5"` + attrs)
	case 1:
		b.WriteString(`<rect x="` + num(x-4) + `" y="` + num(y-4) + `" width="8" height="8"` + attrs)
	default:
		var d [][2]float64
		switch kind {
		case 2: // triangle
			d = [][2]float64{{0, -5.5}, {5, 4}, {-5, 4}}
		case 3: // diamond
			d = [][2]float64{{0, -5.5}, {5.5, 0}, {0, 5.5}, {-5.5, 0}}
		case 4: // triangle pointing down
			d = [][2]float64{{0, 5.5}, {5, -4}, {-5, -4}}
		default: // plus
			a, r := 1.8, 5.0
			d = [][2]float64{{-a, -r}, {a, -r}, {a, -a}, {r, -a}, {r, a}, {a, a}, {a, r}, {-a, r}, {-a, a}, {-r, a}, {-r, -a}, {-a, -a}}
		}
		b.WriteString(`<path d="`)
		for i, q := range d {
			if i == 0 {
				b.WriteString("M")
			} else {
				b.WriteString(" L")
			}
			b.WriteString(num(x+q[0]) + " " + num(y+q[1]))
		}
		b.WriteString(` Z"` + attrs)
	}
	b.WriteString("\n")
}
