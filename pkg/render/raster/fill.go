package raster

import (
	"image"
	"image/color"
	"math"
)

// maxRasterArea bounds the rasterizer's scratch buffers: larger shapes are
// drawn in horizontal bands.
const maxRasterArea = 1 << 22

// fillPolys fills device-space polygons with a colour using the non-zero
// winding rule (the rasterizer adds up signed coverage and clamps it).
// When orient is true every polygon is first turned counter-clockwise, so
// that overlapping pieces add up instead of cancelling: that is how strokes
// are built, as a union of quads, joins and caps.
func (r *renderer) fillPolys(polys [][]pt, col rgba, alpha float64, orient bool) {
	a := clamp01(col.a * alpha)
	if a <= 0 || len(polys) == 0 {
		return
	}
	bounds := r.img.Bounds()
	margin := 2.0
	clipR := rectF{float64(bounds.Min.X) - margin, float64(bounds.Min.Y) - margin, float64(bounds.Max.X) + margin, float64(bounds.Max.Y) + margin}

	var clipped [][]pt
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range polys {
		if len(p) < 3 {
			continue
		}
		if orient && signedArea(p) < 0 {
			q := make([]pt, len(p))
			for i := range p {
				q[i] = p[len(p)-1-i]
			}
			p = q
		}
		if !allFinite(p) {
			continue
		}
		p = clipPoly(p, clipR)
		if len(p) < 3 || !allFinite(p) {
			continue
		}
		for _, v := range p {
			minX = math.Min(minX, v.x)
			minY = math.Min(minY, v.y)
			maxX = math.Max(maxX, v.x)
			maxY = math.Max(maxY, v.y)
		}
		clipped = append(clipped, p)
	}
	if len(clipped) == 0 {
		return
	}
	box := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1).Intersect(bounds)
	if box.Empty() {
		return
	}
	src := image.NewUniform(color.NRGBA64{
		R: uint16(math.Round(clamp01(col.r) * 0xffff)),
		G: uint16(math.Round(clamp01(col.g) * 0xffff)),
		B: uint16(math.Round(clamp01(col.b) * 0xffff)),
		A: uint16(math.Round(a * 0xffff)),
	})
	r.dirty = r.dirty.Union(box)
	if r.measuring {
		return
	}
	if len(clipped) == 1 && isAxisRect(clipped[0], minX, minY, maxX, maxY) {
		r.fillRect(rectF{minX, minY, maxX, maxY}, box, src)
		return
	}
	bw := box.Dx()
	bandH := maxRasterArea / bw
	if bandH < 1 {
		bandH = 1
	}
	for y0 := box.Min.Y; y0 < box.Max.Y; y0 += bandH {
		y1 := min(y0+bandH, box.Max.Y)
		band := image.Rect(box.Min.X, y0, box.Max.X, y1)
		ox, oy := float64(band.Min.X), float64(band.Min.Y)
		bandClip := rectF{ox - margin, oy - margin, float64(band.Max.X) + margin, float64(band.Max.Y) + margin}
		z := &r.ras
		z.Reset(band.Dx(), band.Dy())
		drawn := false
		for _, p := range clipped {
			q := p
			if len(clipped) > 0 && (y1-y0 < box.Dy()) {
				q = clipPoly(p, bandClip)
				if len(q) < 3 {
					continue
				}
			}
			z.MoveTo(float32(q[0].x-ox), float32(q[0].y-oy))
			for _, v := range q[1:] {
				z.LineTo(float32(v.x-ox), float32(v.y-oy))
			}
			z.ClosePath()
			drawn = true
		}
		if drawn {
			z.Draw(r.img, band, src, image.Point{})
		}
	}
}

func allFinite(p []pt) bool {
	for _, v := range p {
		if !v.finite() {
			return false
		}
	}
	return true
}

// isAxisRect reports whether p is the rectangle with the given bounds.
func isAxisRect(p []pt, x0, y0, x1, y1 float64) bool {
	const eps = 1e-9
	for _, v := range p {
		if math.Abs(v.x-x0) > eps && math.Abs(v.x-x1) > eps || math.Abs(v.y-y0) > eps && math.Abs(v.y-y1) > eps {
			return false
		}
	}
	return math.Abs(math.Abs(signedArea(p))-(x1-x0)*(y1-y0)) <= 1e-6*(1+(x1-x0)*(y1-y0))
}

// fillRect paints an axis-aligned rectangle with exact area coverage,
// blending like the vector rasterizer does.
func (r *renderer) fillRect(f rectF, box image.Rectangle, src *image.Uniform) {
	sr, sg, sb, sa := src.RGBA()
	cover := func(i int, lo, hi float64) float64 {
		return math.Max(0, math.Min(float64(i+1), hi)-math.Max(float64(i), lo))
	}
	cx := make([]uint32, box.Dx())
	for x := box.Min.X; x < box.Max.X; x++ {
		cx[x-box.Min.X] = uint32(cover(x, f.x0, f.x1) * 0xffff)
	}
	img := r.img
	for y := box.Min.Y; y < box.Max.Y; y++ {
		cy := cover(y, f.y0, f.y1)
		if cy <= 0 {
			continue
		}
		row := img.Pix[img.PixOffset(box.Min.X, y):]
		for i, c := range cx {
			ma := c
			if cy < 1 {
				ma = uint32(float64(c) * cy)
			}
			if ma == 0 {
				continue
			}
			j := 4 * i
			if ma == 0xffff && sa == 0xffff {
				row[j+0], row[j+1], row[j+2], row[j+3] = uint8(sr>>8), uint8(sg>>8), uint8(sb>>8), 0xff
				continue
			}
			a := 0xffff - (sa * ma / 0xffff)
			row[j+0] = uint8(((uint32(row[j+0])*0x101*a + sr*ma) / 0xffff) >> 8)
			row[j+1] = uint8(((uint32(row[j+1])*0x101*a + sg*ma) / 0xffff) >> 8)
			row[j+2] = uint8(((uint32(row[j+2])*0x101*a + sb*ma) / 0xffff) >> 8)
			row[j+3] = uint8(((uint32(row[j+3])*0x101*a + sa*ma) / 0xffff) >> 8)
		}
	}
}

type rectF struct{ x0, y0, x1, y1 float64 }

// clipPoly clips a polygon to a rectangle (Sutherland–Hodgman). Winding
// numbers inside the rectangle are preserved.
func clipPoly(p []pt, c rectF) []pt {
	inside := true
	for _, v := range p {
		if v.x < c.x0 || v.x > c.x1 || v.y < c.y0 || v.y > c.y1 {
			inside = false
			break
		}
	}
	if inside {
		return p
	}
	p = clipEdge(p, func(v pt) bool { return v.x >= c.x0 }, func(a, b pt) pt { return interX(a, b, c.x0) })
	p = clipEdge(p, func(v pt) bool { return v.x <= c.x1 }, func(a, b pt) pt { return interX(a, b, c.x1) })
	p = clipEdge(p, func(v pt) bool { return v.y >= c.y0 }, func(a, b pt) pt { return interY(a, b, c.y0) })
	p = clipEdge(p, func(v pt) bool { return v.y <= c.y1 }, func(a, b pt) pt { return interY(a, b, c.y1) })
	return p
}

func interX(a, b pt, x float64) pt {
	t := (x - a.x) / (b.x - a.x)
	return pt{x, a.y + (b.y-a.y)*t}
}

func interY(a, b pt, y float64) pt {
	t := (y - a.y) / (b.y - a.y)
	return pt{a.x + (b.x-a.x)*t, y}
}

func clipEdge(p []pt, in func(pt) bool, inter func(a, b pt) pt) []pt {
	if len(p) == 0 {
		return p
	}
	out := make([]pt, 0, len(p)+4)
	prev := p[len(p)-1]
	prevIn := in(prev)
	for _, cur := range p {
		curIn := in(cur)
		if curIn {
			if !prevIn {
				out = append(out, inter(prev, cur))
			}
			out = append(out, cur)
		} else if prevIn {
			out = append(out, inter(prev, cur))
		}
		prev, prevIn = cur, curIn
	}
	return out
}

func signedArea(p []pt) float64 {
	s := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		s += p[i].x*p[j].y - p[j].x*p[i].y
	}
	return s / 2
}

// transformPolys maps user-space polygons to device space.
func transformPolys(m matrix, polys [][]pt) [][]pt {
	out := make([][]pt, 0, len(polys))
	for _, p := range polys {
		q := make([]pt, len(p))
		for i, v := range p {
			q[i] = m.apply(v)
		}
		out = append(out, q)
	}
	return out
}

// evenOddPolys approximates the even-odd rule for the non-zero rasterizer:
// it cannot, in general, so it orients every subpath alternately by
// nesting depth, which is right for the usual case of nested rings.
func evenOddPolys(polys [][]pt) [][]pt {
	out := make([][]pt, len(polys))
	for i, p := range polys {
		depth := 0
		if len(p) > 0 {
			probe := p[0]
			for j, q := range polys {
				if j != i && len(q) >= 3 && pointInPoly(probe, q) {
					depth++
				}
			}
		}
		want := depth%2 == 0
		if (signedArea(p) >= 0) != want {
			q := make([]pt, len(p))
			for k := range p {
				q[k] = p[len(p)-1-k]
			}
			p = q
		}
		out[i] = p
	}
	return out
}

func pointInPoly(v pt, p []pt) bool {
	in := false
	for i, j := 0, len(p)-1; i < len(p); j, i = i, i+1 {
		a, b := p[i], p[j]
		if (a.y > v.y) != (b.y > v.y) && v.x < (b.x-a.x)*(v.y-a.y)/(b.y-a.y)+a.x {
			in = !in
		}
	}
	return in
}
