package raster

import (
	"math"
	"strconv"
	"strings"
)

type pt struct{ x, y float64 }

func (p pt) add(q pt) pt           { return pt{p.x + q.x, p.y + q.y} }
func (p pt) sub(q pt) pt           { return pt{p.x - q.x, p.y - q.y} }
func (p pt) mul(f float64) pt      { return pt{p.x * f, p.y * f} }
func (p pt) dot(q pt) float64      { return p.x*q.x + p.y*q.y }
func (p pt) cross(q pt) float64    { return p.x*q.y - p.y*q.x }
func (p pt) length() float64       { return math.Hypot(p.x, p.y) }
func (p pt) perp() pt              { return pt{-p.y, p.x} }
func lerpPt(a, b pt, t float64) pt { return pt{a.x + (b.x-a.x)*t, a.y + (b.y-a.y)*t} }

func (p pt) finite() bool {
	return !math.IsNaN(p.x) && !math.IsNaN(p.y) && !math.IsInf(p.x, 0) && !math.IsInf(p.y, 0)
}

func (p pt) unit() pt {
	l := p.length()
	if l == 0 || math.IsNaN(l) || math.IsInf(l, 0) {
		return pt{}
	}
	return pt{p.x / l, p.y / l}
}

// matrix is an affine transform: x' = a*x + c*y + e, y' = b*x + d*y + f.
type matrix struct{ a, b, c, d, e, f float64 }

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m·n: n is applied first, then m.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		a: m.a*n.a + m.c*n.b,
		b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d,
		d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e,
		f: m.b*n.e + m.d*n.f + m.f,
	}
}

func (m matrix) apply(p pt) pt {
	return pt{m.a*p.x + m.c*p.y + m.e, m.b*p.x + m.d*p.y + m.f}
}

func translate(x, y float64) matrix { return matrix{1, 0, 0, 1, x, y} }
func scaleM(sx, sy float64) matrix  { return matrix{sx, 0, 0, sy, 0, 0} }
func rotateM(deg float64) matrix {
	s, c := math.Sincos(deg * math.Pi / 180)
	return matrix{c, s, -s, c, 0, 0}
}

// scale is the larger stretch factor of m: how many device units one user
// unit can become.
func (m matrix) scale() float64 {
	s := math.Sqrt(math.Max(m.a*m.a+m.b*m.b, m.c*m.c+m.d*m.d))
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return 0
	}
	return s
}

func (m matrix) det() float64 { return m.a*m.d - m.b*m.c }

func (m matrix) ok() bool {
	for _, v := range [...]float64{m.a, m.b, m.c, m.d, m.e, m.f} {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e12 {
			return false
		}
	}
	return true
}

// parseTransform parses a transform list. Invalid input yields ok=false.
func parseTransform(s string) (matrix, bool) {
	m := identity
	s = strings.TrimSpace(s)
	for s != "" {
		s = strings.TrimLeft(s, " \t\r\n,")
		if s == "" {
			break
		}
		open := strings.IndexByte(s, '(')
		end := strings.IndexByte(s, ')')
		if open < 0 || end < open {
			return identity, false
		}
		name := strings.TrimSpace(s[:open])
		args, ok := parseNumberList(s[open+1 : end])
		if !ok {
			return identity, false
		}
		s = s[end+1:]
		var t matrix
		switch name {
		case "matrix":
			if len(args) != 6 {
				return identity, false
			}
			t = matrix{args[0], args[1], args[2], args[3], args[4], args[5]}
		case "translate":
			switch len(args) {
			case 1:
				t = translate(args[0], 0)
			case 2:
				t = translate(args[0], args[1])
			default:
				return identity, false
			}
		case "scale":
			switch len(args) {
			case 1:
				t = scaleM(args[0], args[0])
			case 2:
				t = scaleM(args[0], args[1])
			default:
				return identity, false
			}
		case "rotate":
			switch len(args) {
			case 1:
				t = rotateM(args[0])
			case 3:
				t = translate(args[1], args[2]).mul(rotateM(args[0])).mul(translate(-args[1], -args[2]))
			default:
				return identity, false
			}
		case "skewX":
			if len(args) != 1 {
				return identity, false
			}
			t = matrix{1, 0, math.Tan(args[0] * math.Pi / 180), 1, 0, 0}
		case "skewY":
			if len(args) != 1 {
				return identity, false
			}
			t = matrix{1, math.Tan(args[0] * math.Pi / 180), 0, 1, 0, 0}
		default:
			return identity, false
		}
		m = m.mul(t)
	}
	return m, true
}

// parseNumberList parses numbers separated by commas and/or whitespace.
func parseNumberList(s string) ([]float64, bool) {
	sc := numScanner{s: s}
	var out []float64
	for {
		sc.skipSep()
		if sc.done() {
			return out, true
		}
		f, ok := sc.number()
		if !ok {
			return out, false
		}
		out = append(out, f)
		if len(out) > 1<<22 {
			return out, false
		}
	}
}

// numScanner reads SVG numbers ("-1.5e3", ".5.5" is two numbers).
type numScanner struct {
	s string
	i int
}

func (sc *numScanner) done() bool { return sc.i >= len(sc.s) }

func (sc *numScanner) skipSep() {
	comma := false
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\r', '\n', '\f':
			sc.i++
		case ',':
			if comma {
				return
			}
			comma = true
			sc.i++
		default:
			return
		}
	}
}

func (sc *numScanner) skipSpace() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\r', '\n', '\f':
			sc.i++
		default:
			return
		}
	}
}

func (sc *numScanner) number() (float64, bool) {
	s, start := sc.s, sc.i
	i := start
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i = j
		}
	}
	f, err := strconv.ParseFloat(s[start:i], 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	sc.i = i
	return f, true
}

// flag reads an arc flag: a single 0 or 1, which may be followed directly
// by the next number.
func (sc *numScanner) flag() (bool, bool) {
	if sc.i >= len(sc.s) {
		return false, false
	}
	switch sc.s[sc.i] {
	case '0':
		sc.i++
		return false, true
	case '1':
		sc.i++
		return true, true
	}
	return false, false
}

// subpath is a flattened polyline.
type subpath struct {
	pts    []pt
	closed bool
}

// vertex is a path command end point, with the directions of the path
// arriving at and leaving it (zero when there are none), for markers.
type vertex struct {
	p       pt
	in, out pt
}

// pathBuilder flattens path commands into polylines, in user space.
type pathBuilder struct {
	tol      float64 // flattening tolerance in user units
	subs     []subpath
	cur      int // index of the open subpath in subs, or -1
	start    pt
	pen      pt
	verts    []vertex
	total    int // points so far, capped
	overflow bool
}

const maxPathPoints = 1 << 21

func newPathBuilder(tol float64) *pathBuilder {
	if !(tol > 0) || math.IsInf(tol, 0) {
		tol = 0.1
	}
	return &pathBuilder{tol: tol, cur: -1}
}

func (b *pathBuilder) addPoint(p pt) {
	if b.total >= maxPathPoints || !p.finite() {
		b.overflow = true
		return
	}
	b.total++
	s := &b.subs[b.cur]
	s.pts = append(s.pts, p)
}

func (b *pathBuilder) moveTo(p pt) {
	b.subs = append(b.subs, subpath{})
	b.cur = len(b.subs) - 1
	b.addPoint(p)
	b.start, b.pen = p, p
	b.verts = append(b.verts, vertex{p: p})
}

func (b *pathBuilder) ensure() {
	if b.cur < 0 {
		b.moveTo(b.pen)
	}
}

// endVertex records the end of a segment for markers.
func (b *pathBuilder) endVertex(p pt, inDir, outStart pt) {
	if n := len(b.verts); n > 0 && b.verts[n-1].out == (pt{}) {
		b.verts[n-1].out = outStart
	}
	b.verts = append(b.verts, vertex{p: p, in: inDir})
}

func (b *pathBuilder) lineTo(p pt) {
	b.ensure()
	d := p.sub(b.pen).unit()
	b.addPoint(p)
	b.endVertex(p, d, d)
	b.pen = p
}

func (b *pathBuilder) segmentsFor(dev float64) int {
	// dev is the second-difference size of the curve, in user units.
	n := int(math.Ceil(math.Sqrt(dev * 0.75 / b.tol)))
	if n < 1 || dev != dev {
		n = 1
	}
	if n > 1000 {
		n = 1000
	}
	return n
}

func (b *pathBuilder) quadTo(c, p pt) {
	b.ensure()
	p0 := b.pen
	dev := p0.sub(c.mul(2)).add(p).length()
	n := b.segmentsFor(dev * 4 / 3)
	for i := 1; i <= n; i++ {
		t := float64(i) / float64(n)
		mt := 1 - t
		b.addPoint(pt{mt*mt*p0.x + 2*mt*t*c.x + t*t*p.x, mt*mt*p0.y + 2*mt*t*c.y + t*t*p.y})
	}
	b.endVertex(p, tangent(c, p, p0), tangent(p0, c, p))
	b.pen = p
}

// tangent is the unit direction from a to b, or from alt to b when a and b
// coincide.
func tangent(a, b, alt pt) pt {
	d := b.sub(a)
	if d.length() < 1e-12 {
		d = b.sub(alt)
	}
	return d.unit()
}

func (b *pathBuilder) cubicTo(c1, c2, p pt) {
	b.ensure()
	p0 := b.pen
	d1 := p0.sub(c1.mul(2)).add(c2).length()
	d2 := c1.sub(c2.mul(2)).add(p).length()
	n := b.segmentsFor(math.Max(d1, d2) * 2)
	for i := 1; i <= n; i++ {
		t := float64(i) / float64(n)
		mt := 1 - t
		a, bb, cc, dd := mt*mt*mt, 3*mt*mt*t, 3*mt*t*t, t*t*t
		b.addPoint(pt{a*p0.x + bb*c1.x + cc*c2.x + dd*p.x, a*p0.y + bb*c1.y + cc*c2.y + dd*p.y})
	}
	in := p.sub(c2)
	if in.length() < 1e-12 {
		in = p.sub(c1)
		if in.length() < 1e-12 {
			in = p.sub(p0)
		}
	}
	out := c1.sub(p0)
	if out.length() < 1e-12 {
		out = c2.sub(p0)
		if out.length() < 1e-12 {
			out = p.sub(p0)
		}
	}
	b.endVertex(p, in.unit(), out.unit())
	b.pen = p
}

// arcTo adds an elliptical arc in SVG endpoint parameterisation.
func (b *pathBuilder) arcTo(rx, ry, phiDeg float64, large, sweep bool, p pt) {
	b.ensure()
	p0 := b.pen
	if p0 == p {
		return
	}
	rx, ry = math.Abs(rx), math.Abs(ry)
	if rx == 0 || ry == 0 {
		b.lineTo(p)
		return
	}
	sinPhi, cosPhi := math.Sincos(phiDeg * math.Pi / 180)
	dx, dy := (p0.x-p.x)/2, (p0.y-p.y)/2
	x1 := cosPhi*dx + sinPhi*dy
	y1 := -sinPhi*dx + cosPhi*dy
	lambda := x1*x1/(rx*rx) + y1*y1/(ry*ry)
	if lambda > 1 {
		s := math.Sqrt(lambda)
		rx *= s
		ry *= s
	}
	num := rx*rx*ry*ry - rx*rx*y1*y1 - ry*ry*x1*x1
	den := rx*rx*y1*y1 + ry*ry*x1*x1
	coef := 0.0
	if den > 0 && num > 0 {
		coef = math.Sqrt(num / den)
	}
	if large == sweep {
		coef = -coef
	}
	cx1 := coef * rx * y1 / ry
	cy1 := -coef * ry * x1 / rx
	cx := cosPhi*cx1 - sinPhi*cy1 + (p0.x+p.x)/2
	cy := sinPhi*cx1 + cosPhi*cy1 + (p0.y+p.y)/2
	angle := func(ux, uy, vx, vy float64) float64 {
		return math.Atan2(ux*vy-uy*vx, ux*vx+uy*vy)
	}
	th1 := angle(1, 0, (x1-cx1)/rx, (y1-cy1)/ry)
	dth := angle((x1-cx1)/rx, (y1-cy1)/ry, (-x1-cx1)/rx, (-y1-cy1)/ry)
	if !sweep && dth > 0 {
		dth -= 2 * math.Pi
	} else if sweep && dth < 0 {
		dth += 2 * math.Pi
	}
	if math.IsNaN(dth) || math.IsNaN(cx) || math.IsNaN(cy) {
		b.lineTo(p)
		return
	}
	r := math.Max(rx, ry)
	n := arcSegments(r, b.tol, math.Abs(dth))
	point := func(t float64) pt {
		s, c := math.Sincos(t)
		return pt{cx + rx*c*cosPhi - ry*s*sinPhi, cy + rx*c*sinPhi + ry*s*cosPhi}
	}
	deriv := func(t float64) pt {
		s, c := math.Sincos(t)
		d := pt{-rx*s*cosPhi - ry*c*sinPhi, -rx*s*sinPhi + ry*c*cosPhi}
		if dth < 0 {
			d = d.mul(-1)
		}
		return d.unit()
	}
	for i := 1; i < n; i++ {
		b.addPoint(point(th1 + dth*float64(i)/float64(n)))
	}
	b.addPoint(p)
	b.endVertex(p, deriv(th1+dth), deriv(th1))
	b.pen = p
}

// arcSegments is how many chords approximate an arc of radius r spanning
// sweep radians within tol.
func arcSegments(r, tol, sweep float64) int {
	if !(r > 0) || !(sweep > 0) {
		return 1
	}
	step := math.Pi / 2
	if tol < r {
		step = 2 * math.Acos(1-tol/r)
	}
	if step < 1e-3 {
		step = 1e-3
	}
	n := int(math.Ceil(sweep / step))
	if n < 1 {
		n = 1
	}
	if n > 1000 {
		n = 1000
	}
	return n
}

func (b *pathBuilder) close() {
	if b.cur < 0 {
		return
	}
	s := &b.subs[b.cur]
	s.closed = true
	d := b.start.sub(b.pen).unit()
	if b.pen != b.start {
		b.endVertex(b.start, d, d)
	}
	b.pen = b.start
	b.cur = -1
}

// parsePathData interprets the d attribute. Like browsers, it draws what it
// could parse before an error.
func parsePathData(d string, b *pathBuilder) {
	sc := numScanner{s: d}
	var cmd byte
	var lastCtrl pt // reflected control point for S/T
	var lastCmd byte
	for {
		sc.skipSpace()
		if sc.done() || b.overflow {
			return
		}
		c := sc.s[sc.i]
		if isCmd(c) {
			cmd = c
			sc.i++
		} else if cmd == 0 {
			return
		} else if cmd == 'M' {
			cmd = 'L'
		} else if cmd == 'm' {
			cmd = 'l'
		} else if cmd == 'Z' || cmd == 'z' {
			return
		}
		rel := cmd >= 'a'
		base := pt{}
		if rel {
			base = b.pen
		}
		num := func() (float64, bool) {
			sc.skipSep()
			return sc.number()
		}
		pair := func() (pt, bool) {
			x, ok := num()
			if !ok {
				return pt{}, false
			}
			y, ok := num()
			if !ok {
				return pt{}, false
			}
			return pt{x, y}.add(base), true
		}
		up := cmd &^ 0x20
		switch up {
		case 'Z':
			b.close()
		case 'M':
			p, ok := pair()
			if !ok {
				return
			}
			b.moveTo(p)
		case 'L':
			p, ok := pair()
			if !ok {
				return
			}
			b.lineTo(p)
		case 'H':
			x, ok := num()
			if !ok {
				return
			}
			if rel {
				x += b.pen.x
			}
			b.lineTo(pt{x, b.pen.y})
		case 'V':
			y, ok := num()
			if !ok {
				return
			}
			if rel {
				y += b.pen.y
			}
			b.lineTo(pt{b.pen.x, y})
		case 'C':
			c1, ok1 := pair()
			c2, ok2 := pair()
			p, ok3 := pair()
			if !ok1 || !ok2 || !ok3 {
				return
			}
			b.cubicTo(c1, c2, p)
			lastCtrl = c2
		case 'S':
			c2, ok1 := pair()
			p, ok2 := pair()
			if !ok1 || !ok2 {
				return
			}
			c1 := b.pen
			if lastCmd == 'C' || lastCmd == 'S' {
				c1 = b.pen.mul(2).sub(lastCtrl)
			}
			b.cubicTo(c1, c2, p)
			lastCtrl = c2
		case 'Q':
			c1, ok1 := pair()
			p, ok2 := pair()
			if !ok1 || !ok2 {
				return
			}
			b.quadTo(c1, p)
			lastCtrl = c1
		case 'T':
			p, ok := pair()
			if !ok {
				return
			}
			c1 := b.pen
			if lastCmd == 'Q' || lastCmd == 'T' {
				c1 = b.pen.mul(2).sub(lastCtrl)
			}
			b.quadTo(c1, p)
			lastCtrl = c1
		case 'A':
			rx, ok1 := num()
			ry, ok2 := num()
			phi, ok3 := num()
			if !ok1 || !ok2 || !ok3 {
				return
			}
			sc.skipSep()
			large, ok4 := sc.flag()
			sc.skipSep()
			sweep, ok5 := sc.flag()
			p, ok6 := pair()
			if !ok4 || !ok5 || !ok6 {
				return
			}
			b.arcTo(rx, ry, phi, large, sweep, p)
		default:
			return
		}
		lastCmd = up
		sc.skipSep()
	}
}

func isCmd(c byte) bool {
	switch c {
	case 'M', 'm', 'L', 'l', 'H', 'h', 'V', 'v', 'C', 'c', 'S', 's', 'Q', 'q', 'T', 't', 'A', 'a', 'Z', 'z':
		return true
	}
	return false
}
