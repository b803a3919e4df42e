package raster

import (
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/colornames"
)

// rgba is a non-premultiplied colour with components in [0, 1].
type rgba struct{ r, g, b, a float64 }

type paintKind uint8

const (
	paintNone paintKind = iota
	paintColor
	paintCurrent // currentColor, resolved when drawing
)

type paint struct {
	kind paintKind
	c    rgba
}

const (
	capButt = iota
	capRound
	capSquare
)

const (
	joinMiter = iota
	joinRound
	joinBevel
)

const (
	anchorStart = iota
	anchorMiddle
	anchorEnd
)

// style is the computed set of properties for one element.
type style struct {
	fill          paint
	fillOpacity   float64
	evenOdd       bool
	stroke        paint
	strokeOpacity float64
	strokeWidth   float64
	dash          []float64
	dashOffset    float64
	lineCap       int
	lineJoin      int
	miterLimit    float64
	color         rgba
	fontSize      float64
	bold          bool
	italic        bool
	anchor        int
	baseline      float64 // dominant-baseline as a shift down, in em
	opacity       float64 // product of the opacity of this element and its ancestors
	visible       bool
	preserveSpace bool
	markerStart   string
	markerMid     string
	markerEnd     string
}

func defaultStyle() style {
	black := rgba{0, 0, 0, 1}
	return style{
		fill:          paint{kind: paintColor, c: black},
		fillOpacity:   1,
		stroke:        paint{kind: paintNone},
		strokeOpacity: 1,
		strokeWidth:   1,
		miterLimit:    4,
		color:         black,
		fontSize:      16,
		opacity:       1,
		visible:       true,
	}
}

// inherit computes the style of n from its parent's computed style.
// Non-inherited properties (opacity, display) are handled here too: opacity
// multiplies into the inherited value, which approximates group opacity.
func (r *renderer) inherit(parent style, n *node) style {
	s := parent
	if v, ok := n.attr("color"); ok {
		if c, ok := parseColor(v, s.color); ok {
			s.color = c
		}
	}
	if v, ok := n.attr("font-size"); ok {
		if f, ok := parseFontSize(v, parent.fontSize); ok {
			s.fontSize = f
		}
	} else if v, ok := n.attr("font"); ok {
		// Shorthand: pick out a size and a weight.
		for _, w := range strings.Fields(v) {
			if f, ok := parseFontSize(w, parent.fontSize); ok && f > 0 {
				s.fontSize = f
			}
			if w == "bold" || w == "bolder" || w == "600" || w == "700" || w == "800" || w == "900" {
				s.bold = true
			}
			if w == "italic" || w == "oblique" {
				s.italic = true
			}
		}
	}
	if v, ok := n.attr("fill"); ok {
		if p, ok := r.parsePaint(v); ok {
			s.fill = p
		}
	}
	if v, ok := n.attr("stroke"); ok {
		if p, ok := r.parsePaint(v); ok {
			s.stroke = p
		}
	}
	if v, ok := n.attr("fill-opacity"); ok {
		if f, ok := parseOpacity(v); ok {
			s.fillOpacity = f
		}
	}
	if v, ok := n.attr("stroke-opacity"); ok {
		if f, ok := parseOpacity(v); ok {
			s.strokeOpacity = f
		}
	}
	if v, ok := n.attr("opacity"); ok {
		if f, ok := parseOpacity(v); ok {
			s.opacity *= f
		}
	}
	if v, ok := n.attr("fill-rule"); ok {
		switch v {
		case "evenodd":
			s.evenOdd = true
		case "nonzero":
			s.evenOdd = false
		}
	}
	if v, ok := n.attr("stroke-width"); ok {
		if f, ok := r.parseLength(v, s.fontSize, r.diag); ok && f >= 0 {
			s.strokeWidth = f
		}
	}
	if v, ok := n.attr("stroke-dasharray"); ok {
		if v == "none" {
			s.dash = nil
		} else if d, ok := r.parseDash(v, s.fontSize); ok {
			s.dash = d
		}
	}
	if v, ok := n.attr("stroke-dashoffset"); ok {
		if f, ok := r.parseLength(v, s.fontSize, r.diag); ok {
			s.dashOffset = f
		}
	}
	if v, ok := n.attr("stroke-linecap"); ok {
		switch v {
		case "butt":
			s.lineCap = capButt
		case "round":
			s.lineCap = capRound
		case "square":
			s.lineCap = capSquare
		}
	}
	if v, ok := n.attr("stroke-linejoin"); ok {
		switch v {
		case "miter", "miter-clip", "arcs":
			s.lineJoin = joinMiter
		case "round":
			s.lineJoin = joinRound
		case "bevel":
			s.lineJoin = joinBevel
		}
	}
	if v, ok := n.attr("stroke-miterlimit"); ok {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 1 && f < 1e6 {
			s.miterLimit = f
		}
	}
	if v, ok := n.attr("font-weight"); ok {
		switch v {
		case "bold", "bolder", "600", "700", "800", "900":
			s.bold = true
		case "normal", "lighter", "100", "200", "300", "400", "500":
			s.bold = false
		}
	}
	if v, ok := n.attr("font-style"); ok {
		s.italic = v == "italic" || strings.HasPrefix(v, "oblique")
	}
	if v, ok := n.attr("text-anchor"); ok {
		switch v {
		case "start":
			s.anchor = anchorStart
		case "middle":
			s.anchor = anchorMiddle
		case "end":
			s.anchor = anchorEnd
		}
	}
	if v, ok := n.attr("dominant-baseline"); ok {
		switch v {
		case "auto", "alphabetic", "use-script", "no-change", "reset-size":
			s.baseline = 0
		case "middle":
			s.baseline = 0.26 // half the x-height of Liberation Sans
		case "central":
			s.baseline = (0.905 - 0.212) / 2
		case "hanging":
			s.baseline = 0.72
		case "text-before-edge", "text-top", "before-edge":
			s.baseline = 0.905
		case "text-after-edge", "text-bottom", "after-edge", "ideographic":
			s.baseline = -0.212
		case "mathematical":
			s.baseline = 0.36
		}
	}
	if v, ok := n.attr("visibility"); ok {
		switch v {
		case "hidden", "collapse":
			s.visible = false
		case "visible":
			s.visible = true
		}
	}
	if v, ok := n.attrs["xml:space"]; ok {
		s.preserveSpace = v == "preserve"
	}
	if v, ok := n.attr("marker-start"); ok {
		s.markerStart = parseURL(v)
	}
	if v, ok := n.attr("marker-mid"); ok {
		s.markerMid = parseURL(v)
	}
	if v, ok := n.attr("marker-end"); ok {
		s.markerEnd = parseURL(v)
	}
	if v, ok := n.attr("marker"); ok {
		u := parseURL(v)
		s.markerStart, s.markerMid, s.markerEnd = u, u, u
	}
	return s
}

// parseURL returns the id in "url(#id)", or "" for none or anything else.
func parseURL(v string) string {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "url(") {
		return ""
	}
	end := strings.IndexByte(v, ')')
	if end < 0 {
		return ""
	}
	id := strings.Trim(strings.TrimSpace(v[4:end]), `"'`)
	return strings.TrimPrefix(id, "#")
}

// parsePaint parses a fill or stroke value. ok is false for an invalid
// value, which leaves the inherited paint in place.
func (r *renderer) parsePaint(v string) (paint, bool) {
	v = strings.TrimSpace(v)
	switch strings.ToLower(v) {
	case "none", "transparent":
		return paint{kind: paintNone}, true
	case "currentcolor":
		return paint{kind: paintCurrent}, true
	case "inherit":
		return paint{}, false
	}
	if strings.HasPrefix(v, "url(") {
		id := parseURL(v)
		if c, ok := r.gradientColor(id, 0); ok {
			return paint{kind: paintColor, c: c}, true
		}
		// Fall back to the colour after the url(), if any.
		rest := ""
		if i := strings.IndexByte(v, ')'); i >= 0 {
			rest = strings.TrimSpace(v[i+1:])
		}
		if rest == "" {
			return paint{kind: paintNone}, true
		}
		return r.parsePaint(rest)
	}
	c, ok := parseColor(v, rgba{0, 0, 0, 1})
	if !ok {
		return paint{}, false
	}
	if c.a == 0 {
		return paint{kind: paintNone}, true
	}
	return paint{kind: paintColor, c: c}, true
}

// gradientColor approximates a gradient by the average of its stops.
func (r *renderer) gradientColor(id string, depth int) (rgba, bool) {
	g := r.ids[id]
	if g == nil || depth > 8 || (g.name != "linearGradient" && g.name != "radialGradient") {
		return rgba{}, false
	}
	var sum rgba
	n := 0
	for _, c := range g.children {
		if c.name != "stop" {
			continue
		}
		col := rgba{0, 0, 0, 1}
		if v, ok := c.attr("stop-color"); ok {
			if cc, ok := parseColor(v, col); ok {
				col = cc
			}
		}
		if v, ok := c.attr("stop-opacity"); ok {
			if f, ok := parseOpacity(v); ok {
				col.a *= f
			}
		}
		sum.r += col.r * col.a
		sum.g += col.g * col.a
		sum.b += col.b * col.a
		sum.a += col.a
		n++
	}
	if n == 0 {
		// Stops may come from the gradient this one references.
		if href, ok := g.attrs["href"]; ok {
			return r.gradientColor(strings.TrimPrefix(strings.TrimSpace(href), "#"), depth+1)
		}
		return rgba{}, false
	}
	if sum.a == 0 {
		return rgba{0, 0, 0, 0}, true
	}
	return rgba{sum.r / sum.a, sum.g / sum.a, sum.b / sum.a, sum.a / float64(n)}, true
}

// parseColor parses a CSS colour: #rgb, #rgba, #rrggbb, #rrggbbaa,
// rgb()/rgba(), hsl()/hsla(), named colours and transparent. current is
// the value of currentColor.
func parseColor(v string, current rgba) (rgba, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" {
		return rgba{}, false
	}
	if v[0] == '#' {
		h := v[1:]
		for i := 0; i < len(h); i++ {
			if hexVal(h[i]) < 0 {
				return rgba{}, false
			}
		}
		switch len(h) {
		case 3, 4:
			c := rgba{a: 1}
			c.r = float64(hexVal(h[0])*17) / 255
			c.g = float64(hexVal(h[1])*17) / 255
			c.b = float64(hexVal(h[2])*17) / 255
			if len(h) == 4 {
				c.a = float64(hexVal(h[3])*17) / 255
			}
			return c, true
		case 6, 8:
			c := rgba{a: 1}
			c.r = float64(hexVal(h[0])*16+hexVal(h[1])) / 255
			c.g = float64(hexVal(h[2])*16+hexVal(h[3])) / 255
			c.b = float64(hexVal(h[4])*16+hexVal(h[5])) / 255
			if len(h) == 8 {
				c.a = float64(hexVal(h[6])*16+hexVal(h[7])) / 255
			}
			return c, true
		}
		return rgba{}, false
	}
	switch v {
	case "transparent":
		return rgba{}, true
	case "currentcolor":
		return current, true
	}
	if open := strings.IndexByte(v, '('); open > 0 && strings.HasSuffix(v, ")") {
		fn := strings.TrimSpace(v[:open])
		args := strings.FieldsFunc(v[open+1:len(v)-1], func(r rune) bool {
			return r == ',' || r == ' ' || r == '/' || r == '\t' || r == '\n'
		})
		if len(args) != 3 && len(args) != 4 {
			return rgba{}, false
		}
		alpha := 1.0
		if len(args) == 4 {
			a, ok := parseUnitOrPercent(args[3], 1)
			if !ok {
				return rgba{}, false
			}
			alpha = clamp01(a)
		}
		switch fn {
		case "rgb", "rgba":
			var c [3]float64
			for i := 0; i < 3; i++ {
				f, ok := parseUnitOrPercent(args[i], 255)
				if !ok {
					return rgba{}, false
				}
				c[i] = clamp01(f / 255)
			}
			return rgba{c[0], c[1], c[2], alpha}, true
		case "hsl", "hsla":
			h, err := strconv.ParseFloat(strings.TrimSuffix(args[0], "deg"), 64)
			if err != nil || math.IsNaN(h) || math.IsInf(h, 0) {
				return rgba{}, false
			}
			sat, ok1 := parseUnitOrPercent(args[1], 1)
			lig, ok2 := parseUnitOrPercent(args[2], 1)
			if !ok1 || !ok2 {
				return rgba{}, false
			}
			rr, gg, bb := hslToRGB(h, clamp01(sat), clamp01(lig))
			return rgba{rr, gg, bb, alpha}, true
		}
		return rgba{}, false
	}
	if c, ok := colornames.Map[v]; ok {
		return rgba{float64(c.R) / 255, float64(c.G) / 255, float64(c.B) / 255, 1}, true
	}
	return rgba{}, false
}

// parseUnitOrPercent parses a number, or a percentage of full.
func parseUnitOrPercent(s string, full float64) (float64, bool) {
	s = strings.TrimSpace(s)
	pct := strings.HasSuffix(s, "%")
	s = strings.TrimSuffix(s, "%")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	if pct {
		f = f / 100 * full
	}
	return f, true
}

func hslToRGB(h, s, l float64) (float64, float64, float64) {
	h = math.Mod(h, 360)
	if h < 0 {
		h += 360
	}
	h /= 360
	var q float64
	if l < 0.5 {
		q = l * (1 + s)
	} else {
		q = l + s - l*s
	}
	p := 2*l - q
	hue := func(t float64) float64 {
		if t < 0 {
			t++
		}
		if t > 1 {
			t--
		}
		switch {
		case t < 1.0/6:
			return p + (q-p)*6*t
		case t < 0.5:
			return q
		case t < 2.0/3:
			return p + (q-p)*(2.0/3-t)*6
		}
		return p
	}
	return hue(h + 1.0/3), hue(h), hue(h - 1.0/3)
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func clamp01(f float64) float64 {
	if f < 0 || math.IsNaN(f) {
		return 0
	}
	if f > 1 {
		return 1
	}
	return f
}

func parseOpacity(v string) (float64, bool) {
	f, ok := parseUnitOrPercent(v, 1)
	if !ok {
		return 0, false
	}
	return clamp01(f), true
}

// parseFontSize parses a font-size value relative to the parent's size.
func parseFontSize(v string, parent float64) (float64, bool) {
	switch v {
	case "xx-small":
		return 9, true
	case "x-small":
		return 10, true
	case "small":
		return 13, true
	case "medium":
		return 16, true
	case "large":
		return 18, true
	case "x-large":
		return 24, true
	case "xx-large":
		return 32, true
	case "smaller":
		return parent / 1.2, true
	case "larger":
		return parent * 1.2, true
	}
	f, ok := parseLengthUnits(v, parent, parent)
	if !ok || f < 0 || f > 1e5 {
		return 0, false
	}
	return f, true
}

// parseLength parses a length in user units; percentages are of pct.
func (r *renderer) parseLength(v string, fontSize, pct float64) (float64, bool) {
	return parseLengthUnits(v, fontSize, pct)
}

// parseLengthUnits parses a number with an optional CSS unit.
func parseLengthUnits(v string, fontSize, pct float64) (float64, bool) {
	v = strings.TrimSpace(v)
	num, unit := splitNumber(v)
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "", "px":
	case "pt":
		f *= 4.0 / 3
	case "pc":
		f *= 16
	case "in":
		f *= 96
	case "cm":
		f *= 96 / 2.54
	case "mm":
		f *= 96 / 25.4
	case "em", "rem":
		f *= fontSize
	case "ex":
		f *= fontSize / 2
	case "%":
		f = f / 100 * pct
	default:
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// splitNumber splits "12.5px" into "12.5" and "px".
func splitNumber(v string) (string, string) {
	i := 0
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		i++
	}
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		i++
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		j := i + 1
		if j < len(v) && (v[j] == '+' || v[j] == '-') {
			j++
		}
		if j < len(v) && v[j] >= '0' && v[j] <= '9' {
			i = j
			for i < len(v) && v[i] >= '0' && v[i] <= '9' {
				i++
			}
		}
	}
	return v[:i], v[i:]
}

// parseDash parses stroke-dasharray. A list that is all zeros, or has a
// negative entry, means a solid line (nil, true).
func (r *renderer) parseDash(v string, fontSize float64) ([]float64, bool) {
	fields := strings.FieldsFunc(v, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r' })
	if len(fields) == 0 || len(fields) > 1000 {
		return nil, false
	}
	d := make([]float64, 0, 2*len(fields))
	sum := 0.0
	for _, f := range fields {
		x, ok := r.parseLength(f, fontSize, r.diag)
		if !ok {
			return nil, false
		}
		if x < 0 {
			return nil, true
		}
		d = append(d, x)
		sum += x
	}
	if sum <= 0 {
		return nil, true
	}
	if len(d)%2 == 1 {
		d = append(d, d...)
	}
	return d, true
}
