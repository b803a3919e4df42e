package raster

import "math"

// strokeOpts describes how to outline a polyline, in user units.
type strokeOpts struct {
	hw         float64 // half the stroke width
	cap, join  int
	miterLimit float64
	devScale   float64 // device units per user unit, for circle smoothness
}

// circle returns a polygon approximating a circle.
func (o *strokeOpts) circle(c pt, r float64) []pt {
	n := arcSegments(r*o.devScale, 0.1, 2*math.Pi)
	if n < 8 {
		n = 8
	}
	p := make([]pt, n)
	for i := range p {
		s, co := math.Sincos(2 * math.Pi * float64(i) / float64(n))
		p[i] = pt{c.x + r*co, c.y + r*s}
	}
	return p
}

// strokeSubpath outlines one polyline as a set of polygons whose union is
// the stroke: a quad per segment, plus joins and caps.
func strokeSubpath(sp subpath, o *strokeOpts, emit func([]pt)) {
	pts := make([]pt, 0, len(sp.pts))
	eps := 1e-9 / math.Max(o.devScale, 1e-9)
	for _, p := range sp.pts {
		if n := len(pts); n > 0 && p.sub(pts[n-1]).length() <= eps {
			continue
		}
		pts = append(pts, p)
	}
	closed := sp.closed
	if closed && len(pts) > 1 && pts[0].sub(pts[len(pts)-1]).length() <= eps {
		pts = pts[:len(pts)-1]
	}
	hw := o.hw
	if len(pts) == 0 {
		return
	}
	if len(pts) == 1 {
		// A zero-length subpath shows only with round or square caps.
		p := pts[0]
		switch o.cap {
		case capRound:
			emit(o.circle(p, hw))
		case capSquare:
			emit([]pt{{p.x - hw, p.y - hw}, {p.x + hw, p.y - hw}, {p.x + hw, p.y + hw}, {p.x - hw, p.y + hw}})
		}
		return
	}
	if len(pts) == 2 {
		closed = false
	}
	n := len(pts)
	nseg := n - 1
	if closed {
		nseg = n
	}
	dirs := make([]pt, nseg)
	for i := 0; i < nseg; i++ {
		a, b := pts[i], pts[(i+1)%n]
		d := b.sub(a).unit()
		dirs[i] = d
		nn := d.perp().mul(hw)
		emit([]pt{a.add(nn), b.add(nn), b.sub(nn), a.sub(nn)})
	}
	join := func(p, d0, d1 pt) {
		cross := d0.cross(d1)
		dot := d0.dot(d1)
		if math.Abs(cross) < 1e-12 && dot > 0 {
			return
		}
		if o.join == joinRound {
			emit(o.circle(p, hw))
			return
		}
		s := 1.0
		if cross > 0 {
			s = -1
		}
		n0 := d0.perp().mul(s * hw)
		n1 := d1.perp().mul(s * hw)
		a, b := p.add(n0), p.add(n1)
		if o.join == joinMiter {
			cosHalf := math.Sqrt(math.Max(0, (1+dot)/2))
			if cosHalf > 1e-9 && 1/cosHalf <= o.miterLimit {
				mid := n0.add(n1).unit().mul(hw / cosHalf)
				emit([]pt{p, a, p.add(mid), b})
				return
			}
		}
		emit([]pt{p, a, b})
	}
	for i := 1; i < nseg; i++ {
		join(pts[i], dirs[i-1], dirs[i])
	}
	if closed {
		join(pts[0], dirs[nseg-1], dirs[0])
		return
	}
	capAt := func(p, d pt) {
		// d points away from the line.
		switch o.cap {
		case capRound:
			emit(o.circle(p, hw))
		case capSquare:
			nn := d.perp().mul(hw)
			e := d.mul(hw)
			emit([]pt{p.add(nn), p.add(nn).add(e), p.sub(nn).add(e), p.sub(nn)})
		}
	}
	capAt(pts[0], dirs[0].mul(-1))
	capAt(pts[n-1], dirs[nseg-1])
}

// maxDashes bounds the dashes per path; beyond it the line is drawn solid.
const maxDashes = 1 << 16

// dashSubpaths cuts polylines into dashes. ok is false when the pattern
// would make too many dashes.
func dashSubpaths(subs []subpath, dash []float64, offset float64) ([]subpath, bool) {
	total := 0.0
	for _, d := range dash {
		total += d
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return subs, false
	}
	length := 0.0
	for _, s := range subs {
		for i := 1; i < len(s.pts); i++ {
			length += s.pts[i].sub(s.pts[i-1]).length()
		}
		if s.closed && len(s.pts) > 1 {
			length += s.pts[0].sub(s.pts[len(s.pts)-1]).length()
		}
	}
	if length/total*float64(len(dash)) > maxDashes || math.IsNaN(length) {
		return subs, false
	}
	var out []subpath
	for _, s := range subs {
		pts := s.pts
		if s.closed && len(pts) > 1 {
			pts = append(append([]pt(nil), pts...), pts[0])
		}
		if len(pts) < 2 {
			continue
		}
		// Find the starting dash from the offset.
		off := math.Mod(offset, total)
		if off < 0 {
			off += total
		}
		idx := 0
		for guard := 0; off >= dash[idx] && guard <= 2*len(dash); guard++ {
			off -= dash[idx]
			idx = (idx + 1) % len(dash)
			if off == 0 && dash[idx] > 0 {
				break
			}
		}
		remain := dash[idx] - off
		on := idx%2 == 0
		var cur []pt
		if on {
			cur = []pt{pts[0]}
		}
		for i := 1; i < len(pts); i++ {
			a, b := pts[i-1], pts[i]
			segLen := b.sub(a).length()
			pos := 0.0
			for segLen-pos > remain {
				pos += remain
				p := lerpPt(a, b, pos/segLen)
				if on {
					cur = append(cur, p)
					out = append(out, subpath{pts: cur})
					cur = nil
				} else {
					cur = []pt{p}
				}
				on = !on
				idx = (idx + 1) % len(dash)
				remain = dash[idx]
			}
			remain -= segLen - pos
			if on {
				cur = append(cur, b)
			}
		}
		if on && len(cur) > 1 {
			out = append(out, subpath{pts: cur})
		}
	}
	return out, true
}
