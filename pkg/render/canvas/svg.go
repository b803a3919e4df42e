package canvas

import (
	"math"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// num formats a coordinate with at most one decimal.
func num(v float64) string {
	r := math.Round(v*10) / 10
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func itoa(i int) string { return strconv.Itoa(i) }

// svg writes the sheet.
func (sh *sheet) svg() []byte {
	var b strings.Builder
	w, h := math.Ceil(sh.w), math.Ceil(sh.h)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="` + num(w) + `" height="` + num(h) + `" viewBox="0 0 ` + num(w) + ` ` + num(h) +
		`" font-family="` + svgtext.FontFamily + `" font-size="12">` + "\n")
	b.WriteString("<title>" + escape.XML(svgtext.Truncate(escape.Clean(sh.title), 300)) + "</title>\n")
	rect(&b, box{0, 0, w, h}, "#ffffff", "", 0)

	// Title block.
	writeLines(&b, sh.head.lines)

	// Phase header row.
	writeCell(&b, sh.corner, colorGrid)
	for _, g := range sh.groups {
		rect(&b, g.box, g.fill, "#ffffff", 0)
		writeLines(&b, g.text.lines)
	}

	// Lane labels.
	for _, l := range sh.lanes {
		writeCell(&b, l.head, colorGrid)
	}

	// Stage columns, each a group with its tooltip.
	for ci, col := range sh.cols {
		b.WriteString("<g")
		if col.id != "" {
			b.WriteString(` id="` + escape.XML(col.id) + `"`)
		}
		b.WriteString(">\n")
		if col.stage != nil {
			b.WriteString("<title>" + escape.XML(col.tip) + "</title>\n")
		} else {
			b.WriteString("<title>" + escape.XML(svgtext.Truncate(escape.Clean(col.group.name), 300)+": no stages") + "</title>\n")
		}
		for _, l := range sh.lanes {
			if l.span {
				continue
			}
			c := l.cells[ci]
			if l.key == "emotion" {
				rect(&b, c.box, c.fill, colorGrid, 1)
				continue // its value labels go over the curves
			}
			writeCell(&b, c, colorGrid)
		}
		b.WriteString("</g>\n")
	}

	// The emotion key spans all columns.
	for _, l := range sh.lanes {
		if !l.span {
			continue
		}
		for _, c := range l.cells {
			writeCell(&b, c, colorGrid)
			for _, s := range c.c.swatches {
				cv := sh.emo.curves[s.curve]
				polyline(&b, []pt{{s.x - 16, s.y}, {s.x + 16, s.y}}, cv, false)
				markerSVG(&b, cv.marker, s.x, s.y, cv.color)
			}
		}
	}

	// Phase boundaries, a shade darker than the cell borders, except
	// across lanes that span all columns.
	for _, g := range sh.groups[min(1, len(sh.groups)):] {
		boundary(&b, sh, g.box.x)
	}
	boundary(&b, sh, margin+labelW)

	// The line of visibility of a service blueprint: what is below it
	// happens out of the customer's sight.
	for _, l := range sh.lanes {
		if l.key == "backstage" || l.key == "support" {
			y := num(l.y)
			b.WriteString(`<line x1="` + num(margin) + `" y1="` + y + `" x2="` + num(sh.grid.x+sh.grid.w) + `" y2="` + y +
				`" stroke="` + colorVisibility + `" stroke-width="2" stroke-dasharray="8 4"/>` + "\n")
			b.WriteString(`<text x="` + num(sh.grid.x+sh.grid.w-4) + `" y="` + num(l.y-4) + `" text-anchor="end" font-size="9" font-weight="bold" fill="` +
				colorVisibility + `" letter-spacing="0.5">LINE OF VISIBILITY</text>` + "\n")
			break
		}
	}

	// Emotion curves.
	if e := sh.emo; e != nil {
		ly := e.lane.y
		x0, x1 := margin+labelW, sh.grid.x+sh.grid.w
		for v := 2; v >= -2; v-- {
			y := num(ly + emoY(v))
			if v == 0 {
				b.WriteString(`<line x1="` + num(x0) + `" y1="` + y + `" x2="` + num(x1) + `" y2="` + y + `" stroke="` + colorZero + `" stroke-width="1" stroke-dasharray="4 3"/>` + "\n")
			} else {
				b.WriteString(`<line x1="` + num(x0) + `" y1="` + y + `" x2="` + num(x1) + `" y2="` + y + `" stroke="` + colorLevel + `" stroke-width="1"/>` + "\n")
			}
		}
		for _, c := range e.curves {
			for i, seg := range c.segs {
				if len(seg) > 1 {
					polyline(&b, seg, c, c.branch[i])
				}
			}
			// Stubs towards stages without an emotion: dotted, thinner,
			// with an open end.
			for _, st := range c.stubPt {
				b.WriteString(`<line x1="` + num(st[0].x) + `" y1="` + num(st[0].y) + `" x2="` + num(st[1].x) + `" y2="` + num(st[1].y) +
					`" stroke="` + c.color + `" stroke-width="1.5" stroke-dasharray="2 3"/>` + "\n")
				b.WriteString(`<circle cx="` + num(st[1].x) + `" cy="` + num(st[1].y) + `" r="2.5" fill="#ffffff" stroke="` + c.color + `" stroke-width="1.2"/>` + "\n")
			}
		}
		for _, m := range e.marks {
			markerSVG(&b, m.curve.marker, m.x, m.y, m.curve.color)
		}
		for _, c := range e.lane.cells {
			for _, l := range c.c.lines {
				bx := l.box()
				b.WriteString(`<rect x="` + num(bx.x-2) + `" y="` + num(bx.y-1) + `" width="` + num(bx.w+4) + `" height="` + num(bx.h+2) +
					`" rx="2" fill="#ffffff" fill-opacity="0.85"/>` + "\n")
			}
			writeLines(&b, c.c.lines)
		}
	}

	// Frame.
	rect(&b, sh.grid, "none", "#cbd5e0", 1)
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

func rect(b *strings.Builder, r box, fill, stroke string, width float64) {
	b.WriteString(`<rect x="` + num(r.x) + `" y="` + num(r.y) + `" width="` + num(r.w) + `" height="` + num(r.h) + `" fill="` + fill + `"`)
	if stroke != "" {
		if width == 0 {
			width = 2
		}
		b.WriteString(` stroke="` + stroke + `" stroke-width="` + num(width) + `"`)
	}
	b.WriteString("/>\n")
}

// boundary draws a vertical line at x from the phase header row down,
// interrupted by spanning lanes.
func boundary(b *strings.Builder, sh *sheet, x float64) {
	y0 := sh.headerY
	for _, l := range sh.lanes {
		if l.span {
			if l.y > y0 {
				vline(b, x, y0, l.y)
			}
			y0 = l.y + l.h
		}
	}
	if end := sh.grid.y + sh.grid.h; end > y0 {
		vline(b, x, y0, end)
	}
}

func vline(b *strings.Builder, x, y0, y1 float64) {
	b.WriteString(`<line x1="` + num(x) + `" y1="` + num(y0) + `" x2="` + num(x) + `" y2="` + num(y1) + `" stroke="#cbd5e0" stroke-width="1"/>` + "\n")
}

// polyline draws a line of curve c; a branch's is thinner and lighter
// than the main path's.
func polyline(b *strings.Builder, pts []pt, c *curve, branch bool) {
	b.WriteString(`<polyline points="`)
	for i, q := range pts {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(num(q.x) + "," + num(q.y))
	}
	width := "2.5"
	if branch {
		width = `1.5" stroke-opacity="0.6`
	}
	b.WriteString(`" fill="none" stroke="` + c.color + `" stroke-width="` + width + `" stroke-linejoin="round"`)
	if c.dash != "" {
		b.WriteString(` stroke-dasharray="` + c.dash + `"`)
	}
	b.WriteString("/>\n")
}

func writeCell(b *strings.Builder, c *cell, stroke string) {
	rect(b, c.box, c.fill, stroke, 1)
	for _, bd := range c.c.badges {
		b.WriteString(`<rect x="` + num(bd.x) + `" y="` + num(bd.y) + `" width="` + num(bd.w) + `" height="` + num(bd.h) +
			`" rx="3" fill="` + bd.fill + `" stroke="` + bd.stroke + `" stroke-width="1"/>` + "\n")
	}
	writeLines(b, c.c.lines)
}

// writeLines writes lines as <text> elements; consecutive lines of one
// style at one x become <tspan x dy> lines of one element.
func writeLines(b *strings.Builder, ls []line) {
	for i := 0; i < len(ls); {
		first := ls[i]
		j := i + 1
		for j < len(ls) && ls[j].x == first.x && ls[j].size == first.size && ls[j].bold == first.bold &&
			ls[j].color == first.color && ls[j].anchor == first.anchor && ls[j].y > ls[j-1].y {
			j++
		}
		b.WriteString(`<text x="` + num(first.x) + `" y="` + num(first.y) + `"`)
		if first.size != 12 {
			b.WriteString(` font-size="` + num(first.size) + `"`)
		}
		if first.bold {
			b.WriteString(` font-weight="bold"`)
		}
		if first.anchor != "" {
			b.WriteString(` text-anchor="` + first.anchor + `"`)
		}
		b.WriteString(` fill="` + first.color + `">`)
		if j == i+1 {
			b.WriteString(escape.XML(first.text))
		} else {
			for k := i; k < j; k++ {
				b.WriteString(`<tspan x="` + num(ls[k].x) + `"`)
				if k > i {
					b.WriteString(` dy="` + num(ls[k].y-ls[k-1].y) + `"`)
				}
				b.WriteString(">" + escape.XML(ls[k].text) + "</tspan>")
			}
		}
		b.WriteString("</text>\n")
		i = j
	}
}
