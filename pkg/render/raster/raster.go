// Package raster turns the SVG that journey writes into PNG, in pure Go.
//
// It understands the subset of SVG 1.1 that Graphviz and journey's canvas
// writer produce, and a bit more: shapes (rect with rounded corners, circle,
// ellipse, line, polyline, polygon, path with the whole path grammar),
// groups with transforms, <a>, <use>, nested <svg>, markers, text with
// tspans and the embedded Liberation Sans fonts, fill and stroke with
// opacity, dashes, caps, joins and miter limits, and style="..." attributes.
// Gradients are painted as the average of their stops; clipping, masks,
// filters, patterns, images and <style> sheets are ignored.
package raster

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"

	"golang.org/x/image/vector"
)

// Limits on the output, so that hostile input cannot exhaust memory.
const (
	maxPixels = 100_000_000 // width × height
	maxSide   = 1 << 16     // width or height
)

// maxElements bounds the elements drawn, counting each <use> expansion.
const maxElements = 1 << 20

// PNG rasterises svg at the given scale (1 = one pixel per SVG unit). The
// picture is the viewBox (or, without one, width × height) times scale,
// on an opaque white background.
func PNG(svg []byte, scale float64) ([]byte, error) {
	img, err := render(svg, scale, maxPixels)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("raster: encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// PNGWidth rasterises svg at the scale that makes the picture width pixels
// wide.
func PNGWidth(svg []byte, width int) ([]byte, error) {
	if width < 1 {
		return nil, fmt.Errorf("raster: bad width %d", width)
	}
	root, err := parseSVG(svg)
	if err != nil {
		return nil, err
	}
	vb, err := viewBox(root)
	if err != nil {
		return nil, err
	}
	if vb.w <= 0 {
		return nil, fmt.Errorf("raster: the picture has no width")
	}
	return PNG(svg, float64(width)/vb.w)
}

// render rasterises svg like PNG but returns the image; pictures of more
// than limit pixels are refused.
func render(svg []byte, scale float64, limit int) (*image.RGBA, error) {
	if math.IsNaN(scale) || math.IsInf(scale, 0) || scale <= 0 {
		return nil, fmt.Errorf("raster: bad scale %v", scale)
	}
	root, err := parseSVG(svg)
	if err != nil {
		return nil, err
	}
	vb, err := viewBox(root)
	if err != nil {
		return nil, err
	}
	wf, hf := math.Ceil(vb.w*scale-1e-6), math.Ceil(vb.h*scale-1e-6)
	if math.IsNaN(wf) || math.IsNaN(hf) || wf > maxSide || hf > maxSide || wf*hf > float64(limit) {
		return nil, &TooLargeError{Width: wf, Height: hf, Limit: limit}
	}
	w, h := max(int(wf), 1), max(int(hf), 1)
	r := &renderer{
		img:       image.NewRGBA(image.Rect(0, 0, w, h)),
		w:         w,
		h:         h,
		ids:       indexIDs(root),
		vw:        vb.w,
		vh:        vb.h,
		budget:    maxElements,
		fontIndex: testFontIndex,
	}
	r.diag = math.Sqrt((vb.w*vb.w + vb.h*vb.h) / 2)
	draw.Draw(r.img, r.img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	m := scaleM(scale, scale).mul(translate(-vb.x, -vb.y))
	st := r.inherit(defaultStyle(), root)
	if displayNone(root) {
		return r.img, nil
	}
	r.renderChildren(root, st, m)
	return r.img, nil
}

type box struct{ x, y, w, h float64 }

// viewBox is the user-space rectangle the picture shows.
func viewBox(root *node) (box, error) {
	if v, ok := root.attr("viewBox"); ok {
		nums, ok := parseNumberList(v)
		if ok && len(nums) == 4 && nums[2] > 0 && nums[3] > 0 {
			return box{nums[0], nums[1], nums[2], nums[3]}, nil
		}
	}
	w, okW := rootLength(root, "width")
	h, okH := rootLength(root, "height")
	if !okW || !okH {
		return box{}, errors.New("raster: SVG has no usable viewBox or width and height")
	}
	return box{0, 0, w, h}, nil
}

func rootLength(root *node, name string) (float64, bool) {
	v, ok := root.attr(name)
	if !ok {
		return 0, false
	}
	num, unit := splitNumber(v)
	if strings.TrimSpace(unit) == "%" {
		return 0, false
	}
	f, ok := parseLengthUnits(num, 16, 0)
	if !ok || f <= 0 {
		return 0, false
	}
	return f, true
}

type renderer struct {
	img          *image.RGBA
	w, h         int
	ids          map[string]*node
	vw, vh, diag float64 // viewport size in user units, for percentages
	ras          vector.Rasterizer
	budget       int
	useDepth     int
	markerDepth  int
	glyphs       map[glyphKey]*glyphOutline
	fonts        [2]*textFont
	fallbacks    map[*sysFont]*textFont // this picture's state for the machine's fonts
	fontIndex    *fontIndex             // nil: systemFonts()
	dirty        image.Rectangle        // device pixels drawn (or, measuring, to be drawn)
	measuring    bool                   // only compute dirty, draw nothing
	layerDepth   int
	layered      *node // the element being drawn on a fresh layer
}

// ownOpacity is the element's opacity property, 1 if none.
func ownOpacity(n *node) float64 {
	if v, ok := n.attr("opacity"); ok {
		if f, ok := parseOpacity(v); ok {
			return f
		}
	}
	return 1
}

// needsLayer reports whether drawing n piecewise with a reduced alpha would
// differ from blending it as a whole: a group or text with several parts,
// or a shape with both fill and stroke or with markers.
func (r *renderer) needsLayer(n *node, st style) bool {
	switch n.name {
	case "g", "a", "svg", "switch", "use", "text":
		return true
	case "rect", "circle", "ellipse", "line", "polyline", "polygon", "path":
		_, fill := resolve(st.fill, st)
		_, stroke := resolve(st.stroke, st)
		return fill && stroke && st.strokeWidth > 0 || st.markerStart != "" || st.markerMid != "" || st.markerEnd != ""
	}
	return false
}

// Layers are sized to what the element draws, found by a first pass that
// only measures; they are limited in depth and size, and beyond that the
// opacity multiplies into each part instead.
const (
	maxLayerDepth  = 4
	maxLayerPixels = 16_000_000
)

// measure returns the device box that renderNode(n, parent, m) would touch.
func (r *renderer) measure(n *node, parent style, m matrix) image.Rectangle {
	savedDirty, savedMeasure := r.dirty, r.measuring
	r.dirty, r.measuring = image.Rectangle{}, true
	r.renderNode(n, parent, m)
	box := r.dirty
	r.dirty, r.measuring = savedDirty, savedMeasure
	return box
}

// withLayer draws n on a layer and blends it onto the picture with alpha
// o. It returns false, having drawn nothing, when no layer can be had.
func (r *renderer) withLayer(n *node, parent style, m matrix, o float64) bool {
	if r.layerDepth >= maxLayerDepth {
		return false
	}
	box := r.measure(n, parent, m)
	if box.Empty() {
		return true
	}
	if box.Dx()*box.Dy() > maxLayerPixels {
		return false
	}
	layer := image.NewRGBA(box)
	target, dirty := r.img, r.dirty
	r.img, r.dirty = layer, image.Rectangle{}
	r.layerDepth++
	r.layered = n
	r.renderNode(n, parent, m)
	r.layered = nil
	r.layerDepth--
	r.img, r.dirty = target, dirty.Union(box)
	mask := image.NewUniform(color.Alpha16{A: uint16(math.Round(clamp01(o) * 0xffff))})
	draw.DrawMask(r.img, box, layer, box.Min, mask, image.Point{}, draw.Over)
	return true
}

func displayNone(n *node) bool {
	v, ok := n.attr("display")
	return ok && v == "none"
}

func (r *renderer) renderChildren(n *node, st style, m matrix) {
	for _, c := range n.children {
		if c.name == "#text" {
			continue
		}
		r.renderNode(c, st, m)
	}
}

// renderNode draws one element and its children. parent is the computed
// style of the parent, m the user-to-device transform of the parent.
func (r *renderer) renderNode(n *node, parent style, m matrix) {
	r.budget--
	if r.budget < 0 {
		return
	}
	switch n.name {
	case "defs", "style", "title", "desc", "metadata", "script", "marker", "symbol",
		"clipPath", "mask", "pattern", "linearGradient", "radialGradient", "filter",
		"foreignObject", "image", "font", "font-face", "cursor", "view":
		return
	}
	if displayNone(n) {
		return
	}
	parentM := m
	if t, ok := n.attr("transform"); ok {
		if tm, ok := parseTransform(t); ok {
			m = m.mul(tm)
		}
	}
	if !m.ok() {
		return
	}
	st := r.inherit(parent, n)
	if st.opacity <= 0 {
		return
	}
	// opacity applies to the element as a whole: draw it on a layer and
	// blend the layer, when overlapping parts would otherwise show.
	if o := ownOpacity(n); o < 1 && !r.measuring && r.needsLayer(n, st) {
		if r.layered == n {
			// Drawing on the layer: opacity is applied when blending it.
			r.layered = nil
			st.opacity = parent.opacity
		} else {
			r.budget++ // withLayer visits n again
			if r.withLayer(n, parent, parentM, o) {
				return
			}
		}
	}
	switch n.name {
	case "g", "a":
		r.renderChildren(n, st, m)
	case "switch":
		// Draw the first child we can: not foreignObject, not one that
		// needs an extension.
		for _, c := range n.children {
			if _, ext := c.attrs["requiredExtensions"]; c.name != "#text" && c.name != "foreignObject" && !ext {
				r.renderNode(c, st, m)
				break
			}
		}
	case "svg":
		x := r.len(n, "x", r.vw, 0)
		y := r.len(n, "y", r.vh, 0)
		w := r.len(n, "width", r.vw, r.vw)
		h := r.len(n, "height", r.vh, r.vh)
		m = m.mul(translate(x, y))
		if v, ok := n.attr("viewBox"); ok {
			if nums, ok := parseNumberList(v); ok && len(nums) == 4 && nums[2] > 0 && nums[3] > 0 {
				m = m.mul(viewBoxTransform(nums, w, h, n.attrs["preserveAspectRatio"]))
			}
		}
		r.renderChildren(n, st, m)
	case "use":
		r.renderUse(n, st, m)
	case "text":
		r.drawText(n, st, m)
	case "rect", "circle", "ellipse", "line", "polyline", "polygon", "path":
		if !st.visible {
			return
		}
		b := newPathBuilder(0.1 / math.Max(m.scale(), 1e-12))
		if !r.buildShape(n, st, b) {
			return
		}
		markers := n.name == "path" || n.name == "line" || n.name == "polyline" || n.name == "polygon"
		r.drawPath(b, st, m, markers)
	}
}

// len reads a length attribute with percentages of ref.
func (r *renderer) len(n *node, name string, ref, def float64) float64 {
	v, ok := n.attr(name)
	if !ok {
		return def
	}
	f, ok := r.parseLength(v, 16, ref)
	if !ok {
		return def
	}
	return f
}

// viewBoxTransform maps a viewBox onto a w×h viewport.
func viewBoxTransform(vb []float64, w, h float64, par string) matrix {
	sx, sy := w/vb[2], h/vb[3]
	par = strings.TrimSpace(par)
	if par == "none" {
		return scaleM(sx, sy).mul(translate(-vb[0], -vb[1]))
	}
	fields := strings.Fields(par)
	align := "xMidYMid"
	slice := false
	if len(fields) > 0 {
		align = fields[0]
	}
	if len(fields) > 1 && fields[1] == "slice" {
		slice = true
	}
	s := math.Min(sx, sy)
	if slice {
		s = math.Max(sx, sy)
	}
	tx, ty := 0.0, 0.0
	if strings.Contains(align, "xMid") {
		tx = (w - vb[2]*s) / 2
	} else if strings.Contains(align, "xMax") {
		tx = w - vb[2]*s
	}
	if strings.Contains(align, "YMid") {
		ty = (h - vb[3]*s) / 2
	} else if strings.Contains(align, "YMax") {
		ty = h - vb[3]*s
	}
	return translate(tx, ty).mul(scaleM(s, s)).mul(translate(-vb[0], -vb[1]))
}

func (r *renderer) renderUse(n *node, st style, m matrix) {
	href := strings.TrimPrefix(strings.TrimSpace(n.attrs["href"]), "#")
	ref := r.ids[href]
	if ref == nil || r.useDepth >= 8 {
		return
	}
	m = m.mul(translate(r.len(n, "x", r.vw, 0), r.len(n, "y", r.vh, 0)))
	r.useDepth++
	defer func() { r.useDepth-- }()
	if ref.name == "symbol" {
		if displayNone(ref) {
			return
		}
		sst := r.inherit(st, ref)
		if v, ok := ref.attr("viewBox"); ok {
			if nums, ok := parseNumberList(v); ok && len(nums) == 4 && nums[2] > 0 && nums[3] > 0 {
				w := r.len(n, "width", r.vw, r.len(ref, "width", r.vw, nums[2]))
				h := r.len(n, "height", r.vh, r.len(ref, "height", r.vh, nums[3]))
				m = m.mul(viewBoxTransform(nums, w, h, ref.attrs["preserveAspectRatio"]))
			}
		}
		r.renderChildren(ref, sst, m)
		return
	}
	r.renderNode(ref, st, m)
}

// buildShape turns a basic shape or path into polylines. It returns false
// when there is nothing to draw.
func (r *renderer) buildShape(n *node, st style, b *pathBuilder) bool {
	switch n.name {
	case "rect":
		x := r.len(n, "x", r.vw, 0)
		y := r.len(n, "y", r.vh, 0)
		w := r.len(n, "width", r.vw, 0)
		h := r.len(n, "height", r.vh, 0)
		if !(w > 0) || !(h > 0) {
			return false
		}
		rx, okX := r.optLen(n, "rx", r.vw)
		ry, okY := r.optLen(n, "ry", r.vh)
		if okX && !okY {
			ry = rx
		} else if okY && !okX {
			rx = ry
		}
		rx = math.Min(math.Max(rx, 0), w/2)
		ry = math.Min(math.Max(ry, 0), h/2)
		if rx > 0 && ry > 0 {
			b.moveTo(pt{x + rx, y})
			b.lineTo(pt{x + w - rx, y})
			b.arcTo(rx, ry, 0, false, true, pt{x + w, y + ry})
			b.lineTo(pt{x + w, y + h - ry})
			b.arcTo(rx, ry, 0, false, true, pt{x + w - rx, y + h})
			b.lineTo(pt{x + rx, y + h})
			b.arcTo(rx, ry, 0, false, true, pt{x, y + h - ry})
			b.lineTo(pt{x, y + ry})
			b.arcTo(rx, ry, 0, false, true, pt{x + rx, y})
		} else {
			b.moveTo(pt{x, y})
			b.lineTo(pt{x + w, y})
			b.lineTo(pt{x + w, y + h})
			b.lineTo(pt{x, y + h})
		}
		b.close()
	case "circle", "ellipse":
		cx := r.len(n, "cx", r.vw, 0)
		cy := r.len(n, "cy", r.vh, 0)
		var rx, ry float64
		if n.name == "circle" {
			rx = r.len(n, "r", r.diag, 0)
			ry = rx
		} else {
			var okX, okY bool
			rx, okX = r.optLen(n, "rx", r.vw)
			ry, okY = r.optLen(n, "ry", r.vh)
			if okX && !okY {
				ry = rx
			} else if okY && !okX {
				rx = ry
			}
		}
		if !(rx > 0) || !(ry > 0) {
			return false
		}
		b.moveTo(pt{cx + rx, cy})
		b.arcTo(rx, ry, 0, false, true, pt{cx, cy + ry})
		b.arcTo(rx, ry, 0, false, true, pt{cx - rx, cy})
		b.arcTo(rx, ry, 0, false, true, pt{cx, cy - ry})
		b.arcTo(rx, ry, 0, false, true, pt{cx + rx, cy})
		b.close()
	case "line":
		b.moveTo(pt{r.len(n, "x1", r.vw, 0), r.len(n, "y1", r.vh, 0)})
		b.lineTo(pt{r.len(n, "x2", r.vw, 0), r.len(n, "y2", r.vh, 0)})
	case "polyline", "polygon":
		v, _ := n.attr("points")
		nums, _ := parseNumberList(v)
		if len(nums) < 2 {
			return false
		}
		b.moveTo(pt{nums[0], nums[1]})
		for i := 2; i+1 < len(nums); i += 2 {
			b.lineTo(pt{nums[i], nums[i+1]})
		}
		if n.name == "polygon" {
			b.close()
		}
	case "path":
		d, _ := n.attr("d")
		parsePathData(d, b)
	}
	return len(b.subs) > 0
}

func (r *renderer) optLen(n *node, name string, ref float64) (float64, bool) {
	v, ok := n.attr(name)
	if !ok || v == "auto" {
		return 0, false
	}
	f, ok := r.parseLength(v, 16, ref)
	return f, ok
}

// resolve turns a paint into a colour.
func resolve(p paint, st style) (rgba, bool) {
	switch p.kind {
	case paintColor:
		return p.c, true
	case paintCurrent:
		return st.color, true
	}
	return rgba{}, false
}

// drawPath fills and strokes the polylines in b, then draws markers.
func (r *renderer) drawPath(b *pathBuilder, st style, m matrix, markers bool) {
	if c, ok := resolve(st.fill, st); ok {
		var polys [][]pt
		for _, s := range b.subs {
			if len(s.pts) >= 3 {
				polys = append(polys, s.pts)
			}
		}
		dev := transformPolys(m, polys)
		if st.evenOdd && len(dev) > 1 && len(dev) <= 64 {
			dev = evenOddPolys(dev)
		}
		r.fillPolys(dev, c, st.fillOpacity*st.opacity, false)
	}
	r.strokePath(b.subs, st, m)
	if markers {
		r.drawMarkers(b, st, m)
	}
}

// strokePath outlines polylines (user space) and fills the outline.
func (r *renderer) strokePath(subs []subpath, st style, m matrix) {
	c, ok := resolve(st.stroke, st)
	if !ok || !(st.strokeWidth > 0) {
		return
	}
	if len(st.dash) > 0 {
		if d, ok := dashSubpaths(subs, st.dash, st.dashOffset); ok {
			subs = d
		}
	}
	o := &strokeOpts{
		hw:         st.strokeWidth / 2,
		cap:        st.lineCap,
		join:       st.lineJoin,
		miterLimit: st.miterLimit,
		devScale:   m.scale(),
	}
	var polys [][]pt
	for _, s := range subs {
		strokeSubpath(s, o, func(p []pt) {
			polys = append(polys, p)
		})
	}
	r.fillPolys(transformPolys(m, polys), c, st.strokeOpacity*st.opacity, true)
}

// drawMarkers draws marker-start, marker-mid and marker-end.
func (r *renderer) drawMarkers(b *pathBuilder, st style, m matrix) {
	if st.markerStart == "" && st.markerMid == "" && st.markerEnd == "" || len(b.verts) == 0 || r.markerDepth > 0 {
		return
	}
	vs := b.verts
	for i, v := range vs {
		id := st.markerMid
		switch i {
		case 0:
			id = st.markerStart
		case len(vs) - 1:
			id = st.markerEnd
		}
		if id == "" {
			continue
		}
		mk := r.ids[id]
		if mk == nil || mk.name != "marker" {
			continue
		}
		r.drawMarker(mk, v, i == 0, i == len(vs)-1, st, m)
	}
}

func (r *renderer) drawMarker(mk *node, v vertex, first, last bool, st style, m matrix) {
	angle := 0.0
	orient, _ := mk.attr("orient")
	switch orient {
	case "auto", "auto-start-reverse":
		d := v.in
		switch {
		case first || d == (pt{}):
			d = v.out
		case !last && v.out != (pt{}):
			d = v.in.add(v.out)
			if d.length() < 1e-9 {
				d = v.in
			}
		}
		if d == (pt{}) {
			d = v.in
		}
		angle = math.Atan2(d.y, d.x) * 180 / math.Pi
		if first && orient == "auto-start-reverse" {
			angle += 180
		}
	default:
		if f, ok := parseUnitOrPercent(strings.TrimSuffix(orient, "deg"), 1); ok {
			angle = f
		}
	}
	mw := r.len(mk, "markerWidth", r.vw, 3)
	mh := r.len(mk, "markerHeight", r.vh, 3)
	refX := r.len(mk, "refX", r.vw, 0)
	refY := r.len(mk, "refY", r.vh, 0)
	t := m.mul(translate(v.p.x, v.p.y)).mul(rotateM(angle))
	if u, _ := mk.attr("markerUnits"); u != "userSpaceOnUse" {
		t = t.mul(scaleM(st.strokeWidth, st.strokeWidth))
	}
	inner := identity
	if vbs, ok := mk.attr("viewBox"); ok {
		if nums, ok := parseNumberList(vbs); ok && len(nums) == 4 && nums[2] > 0 && nums[3] > 0 {
			inner = viewBoxTransform(nums, mw, mh, mk.attrs["preserveAspectRatio"])
		}
	}
	ref := inner.apply(pt{refX, refY})
	t = t.mul(translate(-ref.x, -ref.y)).mul(inner)
	if !t.ok() {
		return
	}
	ms := r.inherit(defaultStyle(), mk)
	ms.opacity *= st.opacity
	r.markerDepth++
	r.renderChildren(mk, ms, t)
	r.markerDepth--
}

// TooLargeError is a picture with more pixels than PNG output allows.
type TooLargeError struct {
	Width, Height float64
	Limit         int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the picture would be %.0f×%.0f pixels: too large for a PNG (limit %d pixels, %d a side)", e.Width, e.Height, e.Limit, maxSide)
}
