package canvas

import (
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// The emotion lane draws one curve per persona when stages give emotions
// per persona, else one curve. A stage without an emotion (for a curve)
// breaks that curve: the line is not drawn through a value nobody gave.
// A curve also breaks after an outcome stage, where the journey ends.
// Columns of phases without stages are not stages and do not break curves.
// Points of several curves with the same value at the same stage are set
// side by side, and each value is labelled once.

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
	val    []int  // per column
	has    []bool // per column: the curve has a value there
	segs   [][]pt // unbroken runs of points, absolute
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
	lane   *lane
	key    *lane
	marks  []mark
	off    [][]float64 // per column and curve: horizontal offset of the point
}

// newPlot collects the curves, or returns nil when no shown stage has an
// emotion.
func newPlot(j *journey.Journey, cols []*column, opts Options) *plot {
	p := &plot{cols: cols}
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

// around lists the curve segments that touch column ci and the boxes of
// its markers, with y relative to the lane's top.
func (p *plot) around(ci int) ([]segment, []box) {
	var segs []segment
	var dots []box
	at := func(k, i int) (float64, float64) {
		return p.cols[i].center() + p.off[i][k], emoY(p.curves[k].val[i])
	}
	for k, c := range p.curves {
		if !c.has[ci] {
			continue
		}
		x, y := at(k, ci)
		dots = append(dots, box{x - 6, y - 6, 12, 12})
		for _, n := range []int{p.neighbour(ci, -1), p.neighbour(ci, 1)} {
			if p.linked(k, min(n, ci), max(n, ci)) {
				nx, ny := at(k, n)
				segs = append(segs, segment{x, y, nx, ny})
			}
		}
	}
	return segs, dots
}

// neighbour is the next stage column from ci in direction dir, or -1.
func (p *plot) neighbour(ci, dir int) int {
	for i := ci + dir; i >= 0 && i < len(p.cols); i += dir {
		if p.cols[i].stage != nil {
			return i
		}
	}
	return -1
}

// linked reports whether curve k runs from stage column a to the next
// stage column b: both have a value and a is not an outcome (the journey
// ends there).
func (p *plot) linked(k, a, b int) bool {
	if a < 0 || b < 0 {
		return false
	}
	c := p.curves[k]
	return c.has[a] && c.has[b] && !p.cols[a].stage.IsOutcome()
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
	note := "Emotion from −2 (very negative) through 0 (neutral) to +2 (very positive). A curve breaks at stages that give it no emotion and after outcome stages."
	if len(p.curves) > 1 {
		note += " Equal values of several curves sit side by side."
	}
	c.text(note, stSmall, 0, w)
}

// points computes the curves' points once the lane is placed.
func (p *plot) points(sh *sheet) {
	ly := p.lane.y
	for k, c := range p.curves {
		var seg []pt
		flush := func() {
			if len(seg) > 0 {
				c.segs = append(c.segs, seg)
				seg = nil
			}
		}
		for ci, col := range p.cols {
			if col.stage == nil {
				continue
			}
			if !c.has[ci] {
				flush()
				continue
			}
			if prev := p.neighbour(ci, -1); len(seg) > 0 && !p.linked(k, prev, ci) {
				flush()
			}
			q := pt{col.center() + p.off[ci][k], ly + emoY(c.val[ci])}
			seg = append(seg, q)
			p.marks = append(p.marks, mark{q.x, q.y, c})
		}
		flush()
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
