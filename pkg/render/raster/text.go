package raster

import (
	"math"
	"strings"

	"github.com/journeykit/journey/pkg/render/svgtext"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

type glyphKey struct {
	font *sfnt.Font
	gi   sfnt.GlyphIndex
}

// glyphOutline is a glyph in font units, y down.
type glyphOutline struct {
	segs []glyphSeg
}

type glyphSeg struct {
	op  sfnt.SegmentOp
	pts [3]pt
}

// textFont is one face of the embedded font, or a fallback font from the
// machine (see fallback.go), with the state to use it.
type textFont struct {
	f    *sfnt.Font
	bold bool
	upem float64
	buf  sfnt.Buffer
}

// placed is one glyph laid out on a line.
type placed struct {
	tf      *textFont // the face that draws it
	gi      sfnt.GlyphIndex
	bold    bool
	x, y    float64 // pen position (baseline) in user units
	adv     float64
	st      *style
	space   bool
	chunk   int
	missing bool
}

type chunk struct {
	anchor int
	first  int // index into glyphs
}

// textLayout collects glyphs for one <text> element.
type textLayout struct {
	r         *renderer
	glyphs    []placed
	chunks    []chunk
	x, y      float64
	lastSpace bool
	pos       []*posList
}

// posList holds the x, y, dx and dy lists of one element, consumed one
// value per character.
type posList struct {
	x, y, dx, dy []float64
	i            int
}

func (r *renderer) fontFor(bold bool) *textFont {
	if r.fonts[boolIdx(bold)] == nil {
		// The embedded fonts, parsed once by svgtext, which measured the
		// text with them.
		f, fb := svgtext.Fonts()
		if bold {
			f = fb
		}
		if f == nil {
			return nil
		}
		r.fonts[boolIdx(bold)] = &textFont{f: f, bold: bold, upem: float64(f.UnitsPerEm())}
	}
	return r.fonts[boolIdx(bold)]
}

// fallbackFor is the face that draws ch when the embedded font lacks it,
// or nil.
func (r *renderer) fallbackFor(ch rune, bold bool) *textFont {
	idx := r.fontIndex
	if idx == nil {
		idx = systemFonts()
	}
	sf := idx.lookup(ch, bold)
	if sf == nil {
		return nil
	}
	if tf, ok := r.fallbacks[sf]; ok {
		return tf
	}
	if r.fallbacks == nil {
		r.fallbacks = map[*sysFont]*textFont{}
	}
	tf := &textFont{f: sf.f, bold: bold, upem: sf.upem}
	r.fallbacks[sf] = tf
	return tf
}

func boolIdx(b bool) int {
	if b {
		return 1
	}
	return 0
}

// drawText lays out and draws a <text> element.
func (r *renderer) drawText(n *node, st style, m matrix) {
	lay := &textLayout{r: r, lastSpace: true}
	lay.walk(n, st, true)
	// Drop a trailing collapsible space.
	if k := len(lay.glyphs); k > 0 && lay.glyphs[k-1].space && !lay.glyphs[k-1].st.preserveSpace {
		lay.glyphs = lay.glyphs[:k-1]
	}
	// Apply text-anchor per chunk.
	for ci, c := range lay.chunks {
		end := len(lay.glyphs)
		if ci+1 < len(lay.chunks) {
			end = lay.chunks[ci+1].first
		}
		if c.first >= end || c.anchor == anchorStart {
			continue
		}
		start := lay.glyphs[c.first].x
		right := start
		for _, g := range lay.glyphs[c.first:end] {
			right = math.Max(right, g.x+g.adv)
		}
		shift := right - start
		if c.anchor == anchorMiddle {
			shift /= 2
		}
		for i := c.first; i < end; i++ {
			lay.glyphs[i].x -= shift
		}
	}
	// Draw runs of glyphs that share a style.
	for i := 0; i < len(lay.glyphs); {
		j := i + 1
		for j < len(lay.glyphs) && lay.glyphs[j].st == lay.glyphs[i].st {
			j++
		}
		r.drawGlyphs(lay.glyphs[i:j], m)
		i = j
	}
}

// walk lays out the characters of n and its tspans.
func (l *textLayout) walk(n *node, st style, isText bool) {
	pl := &posList{
		x:  l.numList(n, "x", l.r.vw),
		y:  l.numList(n, "y", l.r.vh),
		dx: l.numList(n, "dx", l.r.vw),
		dy: l.numList(n, "dy", l.r.vh),
	}
	l.pos = append(l.pos, pl)
	defer func() { l.pos = l.pos[:len(l.pos)-1] }()
	if isText && len(pl.x) == 0 && len(l.chunks) == 0 {
		// A <text> without x starts at 0.
		l.x = 0
	}
	if len(l.chunks) == 0 {
		l.chunks = append(l.chunks, chunk{anchor: st.anchor})
	}
	// Element-level position changes apply even when the element has no
	// characters of its own (an empty tspan moving the pen).
	stp := &st
	for _, c := range n.children {
		switch c.name {
		case "#text":
			l.addText(c.text, stp)
		case "tspan", "a", "textPath", "altGlyph":
			if displayNone(c) {
				continue
			}
			cs := l.r.inherit(st, c)
			l.walk(c, cs, false)
		}
	}
}

func (l *textLayout) numList(n *node, name string, pct float64) []float64 {
	v, ok := n.attr(name)
	if !ok {
		return nil
	}
	fields := strings.FieldsFunc(v, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r' })
	var out []float64
	for _, f := range fields {
		x, ok := l.r.parseLength(f, 16, pct)
		if !ok {
			return nil
		}
		out = append(out, x)
	}
	return out
}

// addText lays out one run of character data in style st.
func (l *textLayout) addText(s string, st *style) {
	tf := l.r.fontFor(st.bold)
	for _, ch := range s {
		space := false
		if !st.preserveSpace {
			switch ch {
			case '\n', '\r', '\t', ' ':
				if l.lastSpace {
					continue
				}
				ch, space = ' ', true
			}
		} else {
			switch ch {
			case '\n', '\r', '\t':
				ch = ' '
			}
			space = ch == ' '
		}
		l.lastSpace = space

		// Positioning from the innermost element that has a value.
		var ax, ay, dx, dy *float64
		for i := len(l.pos) - 1; i >= 0; i-- {
			p := l.pos[i]
			if ax == nil && p.i < len(p.x) {
				ax = &p.x[p.i]
			}
			if ay == nil && p.i < len(p.y) {
				ay = &p.y[p.i]
			}
			if dx == nil && p.i < len(p.dx) {
				dx = &p.dx[p.i]
			}
			if dy == nil && p.i < len(p.dy) {
				dy = &p.dy[p.i]
			}
		}
		for _, p := range l.pos {
			p.i++
		}
		newChunk := false
		if ax != nil {
			l.x = *ax
			newChunk = true
		}
		if ay != nil {
			l.y = *ay
			newChunk = true
		}
		if dx != nil {
			l.x += *dx
		}
		if dy != nil {
			l.y += *dy
		}
		if newChunk && len(l.glyphs) > 0 && l.chunks[len(l.chunks)-1].first < len(l.glyphs) {
			l.chunks = append(l.chunks, chunk{anchor: st.anchor, first: len(l.glyphs)})
		} else if newChunk {
			l.chunks[len(l.chunks)-1].anchor = st.anchor
		}

		g := placed{tf: tf, bold: st.bold, st: st, space: space, chunk: len(l.chunks) - 1}
		size := st.fontSize
		if !space && svgtext.Ignorable(ch) {
			continue // drawn as nothing, no room
		}
		if tf != nil {
			gi, err := tf.f.GlyphIndex(&tf.buf, ch)
			if err != nil {
				gi = 0
			}
			tf := tf
			if gi == 0 && !space {
				// A font of the machine that has it, else the
				// embedded font's empty box.
				if fb := l.r.fallbackFor(ch, st.bold); fb != nil {
					if fgi, err := fb.f.GlyphIndex(&fb.buf, ch); err == nil && fgi != 0 {
						tf, gi = fb, fgi
						g.tf = fb
					}
				}
			}
			g.gi = gi
			if gi == 0 {
				g.missing = true
				g.adv = size
			} else {
				adv, err := tf.f.GlyphAdvance(&tf.buf, gi, fixed.I(int(tf.upem)), font.HintingNone)
				if err == nil {
					g.adv = float64(adv) / 64 * size / tf.upem
				}
				// Kerning with the previous glyph of the same chunk and face.
				if k := len(l.glyphs); k > 0 && ax == nil && dx == nil {
					prev := l.glyphs[k-1]
					if prev.chunk == g.chunk && prev.tf == g.tf && prev.bold == g.bold && prev.st.fontSize == size && !prev.missing {
						if kern, err := tf.f.Kern(&tf.buf, prev.gi, gi, fixed.I(int(tf.upem)), font.HintingNone); err == nil {
							l.x += float64(kern) / 64 * size / tf.upem
						}
					}
				}
			}
		} else {
			g.adv = size * 0.6
		}
		g.x, g.y = l.x, l.y+st.baseline*size
		l.x += g.adv
		l.glyphs = append(l.glyphs, g)
	}
}

// outline returns the cached outline of a glyph.
func (r *renderer) outline(tf *textFont, gi sfnt.GlyphIndex) *glyphOutline {
	k := glyphKey{tf.f, gi}
	if o, ok := r.glyphs[k]; ok {
		return o
	}
	if r.glyphs == nil {
		r.glyphs = map[glyphKey]*glyphOutline{}
	}
	o := &glyphOutline{}
	segs, err := tf.f.LoadGlyph(&tf.buf, gi, fixed.I(int(tf.upem)), nil)
	if err == nil {
		for _, s := range segs {
			var gs glyphSeg
			gs.op = s.Op
			for i := range s.Args {
				gs.pts[i] = pt{float64(s.Args[i].X) / 64, float64(s.Args[i].Y) / 64}
			}
			o.segs = append(o.segs, gs)
		}
	}
	r.glyphs[k] = o
	return o
}

// drawGlyphs fills (and strokes) glyphs that share one style.
func (r *renderer) drawGlyphs(gs []placed, m matrix) {
	st := gs[0].st
	tf := r.fontFor(st.bold)
	if tf == nil || !(st.fontSize > 0) || !st.visible {
		return
	}
	_, hasFill := resolve(st.fill, *st)
	_, hasStroke := resolve(st.stroke, *st)
	if !hasFill && !(hasStroke && st.strokeWidth > 0) {
		return
	}
	b := newPathBuilder(0.05 / math.Max(m.scale(), 1e-12))
	for _, g := range gs {
		if g.space {
			continue
		}
		gf := tf
		if g.tf != nil {
			gf = g.tf
		}
		k := st.fontSize / gf.upem
		gm := translate(g.x, g.y).mul(scaleM(k, k))
		if st.italic {
			gm = gm.mul(matrix{1, 0, -0.2, 1, 0, 0})
		}
		o := r.outline(gf, g.gi)
		for _, s := range o.segs {
			switch s.op {
			case sfnt.SegmentOpMoveTo:
				if b.cur >= 0 {
					b.close()
				}
				b.moveTo(gm.apply(s.pts[0]))
			case sfnt.SegmentOpLineTo:
				b.lineTo(gm.apply(s.pts[0]))
			case sfnt.SegmentOpQuadTo:
				b.quadTo(gm.apply(s.pts[0]), gm.apply(s.pts[1]))
			case sfnt.SegmentOpCubeTo:
				b.cubicTo(gm.apply(s.pts[0]), gm.apply(s.pts[1]), gm.apply(s.pts[2]))
			}
		}
		if b.cur >= 0 {
			b.close()
		}
	}
	if len(b.subs) == 0 {
		return
	}
	tst := *st
	tst.evenOdd = false
	r.drawPath(b, tst, m, false)
}
