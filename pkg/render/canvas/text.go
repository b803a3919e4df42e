package canvas

import (
	"strings"

	"github.com/journeykit/journey/pkg/render/svgtext"
)

// line is one line of text at an absolute (or, inside a content block
// being built, relative) position. y is the baseline.
type line struct {
	x, y   float64
	text   string // clean, unescaped
	size   float64
	bold   bool
	color  string
	anchor string // "" (start), "middle" or "end"
}

// box is an axis-aligned rectangle.
type box struct{ x, y, w, h float64 }

func (b box) inside(o box) bool {
	const eps = 0.01
	return b.x >= o.x-eps && b.y >= o.y-eps && b.x+b.w <= o.x+o.w+eps && b.y+b.h <= o.y+o.h+eps
}

func (b box) overlaps(o box) bool {
	const eps = 0.01
	return b.x < o.x+o.w-eps && o.x < b.x+b.w-eps && b.y < o.y+o.h-eps && o.y < b.y+b.h-eps
}

// width is the advance width of the line's text.
func (l line) width() float64 { return svgtext.TextWidth(l.text, l.size, l.bold) }

// box is the area the line's glyphs cover: Liberation Sans rises 0.905 em
// above the baseline and descends 0.212 em below it.
func (l line) box() box {
	w := l.width()
	x := l.x
	switch l.anchor {
	case "end":
		x -= w
	case "middle":
		x -= w / 2
	}
	return box{x, l.y - 0.93*l.size, w, 1.17 * l.size}
}

// baseline is where text of the given size sits in a line box of height lh
// whose top is at top.
func baseline(top, size, lh float64) float64 {
	return top + (lh-size)/2 + 0.8*size
}

// badge is a small labelled chip, e.g. ENTRY.
type badge struct {
	x, y, w, h   float64
	label        string
	fill, stroke string
	color        string
}

func (b badge) box() box { return box{b.x, b.y, b.w, b.h} }

// content is a block of text and badges laid out top-down inside a cell,
// relative to the cell's padded top-left corner.
type content struct {
	lines    []line
	badges   []badge
	swatches []swatch
	h        float64 // height used so far
}

// gap adds vertical space, unless the block is still empty.
func (c *content) gap(g float64) {
	if c.h > 0 {
		c.h += g
	}
}

// text adds s wrapped to width at x = indent.
func (c *content) text(s string, st style, indent, width float64) {
	if strings.TrimSpace(s) == "" {
		return
	}
	for _, l := range svgtext.Wrap(s, st.size, width-indent, st.bold) {
		if l != "" {
			c.lines = append(c.lines, line{x: indent, y: baseline(c.h, st.size, st.lh), text: l, size: st.size, bold: st.bold, color: st.color})
		}
		c.h += st.lh
	}
}

// bullet adds one bulleted item with a hanging indent.
func (c *content) bullet(s string, st style, width float64) {
	c.lines = append(c.lines, line{x: 0, y: baseline(c.h, st.size, st.lh), text: "•", size: st.size, color: st.color})
	c.text(s, st, bulletIndent, width)
}

// run is a piece of styled text; runs are joined with a space.
type run struct {
	text string
	st   style
}

// runs lays out styled runs as one flowing paragraph (e.g. a bold channel
// id followed by the action), breaking at spaces and inside words longer
// than a line. All runs share one baseline per line.
func (c *content) runs(rs []run, indent, width float64) {
	width -= indent
	x := 0.0
	lh, size := 0.0, 0.0
	for _, r := range rs {
		lh, size = max(lh, r.st.lh), max(size, r.st.size)
	}
	var cur []line // segments of the current line
	newline := func() {
		c.lines = append(c.lines, cur...)
		cur = nil
		x = 0
		c.h += lh
	}
	place := func(w string, st style) {
		if n := len(cur); n > 0 && cur[n-1].bold == st.bold && cur[n-1].color == st.color && cur[n-1].size == st.size {
			last := &cur[n-1]
			cand := last.text + " " + w
			if last.x-indent+svgtext.TextWidth(cand, st.size, st.bold) <= width {
				last.text = cand
				x = last.x - indent + svgtext.TextWidth(cand, st.size, st.bold)
				return
			}
			newline()
		} else if x > 0 {
			sp := svgtext.TextWidth(" ", st.size, st.bold)
			if x+sp+svgtext.TextWidth(w, st.size, st.bold) <= width {
				x += sp
			} else {
				newline()
			}
		}
		pieces := []string{w}
		if svgtext.TextWidth(w, st.size, st.bold) > width {
			pieces = svgtext.Wrap(w, st.size, width, st.bold)
		}
		for i, p := range pieces {
			if i > 0 {
				newline()
			}
			cur = append(cur, line{x: indent + x, y: baseline(c.h, size, lh), text: p, size: st.size, bold: st.bold, color: st.color})
			x += svgtext.TextWidth(p, st.size, st.bold)
		}
	}
	for _, r := range rs {
		for i, para := range strings.Split(strings.ReplaceAll(r.text, "\r\n", "\n"), "\n") {
			if i > 0 {
				newline()
			}
			for _, w := range strings.Fields(para) {
				place(w, r.st)
			}
		}
	}
	if len(cur) > 0 {
		newline()
	}
}

// shift moves every line and badge of c by (dx, dy).
func (c *content) shift(dx, dy float64) {
	for i := range c.lines {
		c.lines[i].x += dx
		c.lines[i].y += dy
	}
	for i := range c.badges {
		c.badges[i].x += dx
		c.badges[i].y += dy
	}
	for i := range c.swatches {
		c.swatches[i].x += dx
		c.swatches[i].y += dy
	}
}

// style is a font size, weight, colour and line height.
type style struct {
	size, lh float64
	bold     bool
	color    string
}
