package html

import (
	"bytes"
	"fmt"
	"html"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

var (
	svgNode   = regexp.MustCompile(`<g id="([^"]*)" class="node[^"]*">\s*<title>([^<]*)</title>`)
	svgEdge   = regexp.MustCompile(`(<g id="[^"]*" class="edge[^"]*">\s*<title>([^<]*)</title>\s*)<path fill="none" stroke="([^"]*)" stroke-width="([^"]*)"`)
	svgPathD  = regexp.MustCompile(`\bd="([^"]*)"`)
	svgText   = regexp.MustCompile(`<text[^>]* x="(-?[0-9.]+)" y="(-?[0-9.]+)"`)
	svgNumber = regexp.MustCompile(`-?\d+(?:\.\d+)?`)
	svgGraph  = regexp.MustCompile(`(?s)</g>\s*</svg>\s*$`)
	svgPaper  = regexp.MustCompile(`<polygon fill="white" stroke="none" points="([^"]*)"`)
)

// box is a rectangle in the SVG's coordinates.
type box struct{ x0, y0, x1, y1 float64 }

// pointsOf reads the coordinate pairs of a path's d attribute.
func pointsOf(d string) [][2]float64 {
	nums := svgNumber.FindAllString(d, -1)
	var pts [][2]float64
	for i := 0; i+1 < len(nums); i += 2 {
		x, _ := strconv.ParseFloat(nums[i], 64)
		y, _ := strconv.ParseFloat(nums[i+1], 64)
		pts = append(pts, [2]float64{x, y})
	}
	return pts
}

func bounds(pts [][2]float64) box {
	b := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range pts {
		b.x0, b.y0 = math.Min(b.x0, p[0]), math.Min(b.y0, p[1])
		b.x1, b.y1 = math.Max(b.x1, p[0]), math.Max(b.y1, p[1])
	}
	return b
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// OverlaySVG draws an overlay on a flow SVG drawn by pkg/render (Graphviz):
// each edge with a figure takes its width and colour, and a layer on top
// holds the stages' heat outlines and labels, the edges' labels and the
// off-map moves as dashed red lines. Stages and edges are found by their
// ids ("stage-<id>") and titles ("sA->sB"); what is not found is left
// alone. The figures' texts are escaped as XML.
func OverlaySVG(svg []byte, o *Overlay) []byte {
	if o == nil {
		return svg
	}
	nodeName := map[string]string{} // DOT name -> stage id
	stageBox := map[string]box{}
	for _, m := range svgNode.FindAllSubmatchIndex(svg, -1) {
		id := html.UnescapeString(string(svg[m[2]:m[3]]))
		name := html.UnescapeString(string(svg[m[4]:m[5]]))
		if !strings.HasPrefix(id, "stage-") {
			continue
		}
		id = strings.TrimPrefix(id, "stage-")
		nodeName[name] = id
		if d := svgPathD.FindSubmatch(svg[m[1]:min(len(svg), m[1]+20000)]); d != nil {
			stageBox[id] = bounds(pointsOf(string(d[1])))
		}
	}
	colors := map[string]string{"ok": "#166534", "warn": "#b45309", "bad": "#b91c1c"}
	byPair := map[[2]string]EdgeFigure{}
	for _, e := range o.Edges {
		if !e.OffMap {
			byPair[[2]string{e.From, e.To}] = e
		}
	}
	// under holds the off-map moves, drawn above the phases but beneath
	// the stages and edges (they cross the map); layer, on top of
	// everything, the outlines and the figures.
	var layer, under bytes.Buffer
	under.WriteString(`<g class="overlay-offmap">` + "\n")
	layer.WriteString(`<g class="overlay" font-family="Liberation Sans, Arial, Helvetica, sans-serif" font-size="11" font-weight="bold">` + "\n")
	label := func(x, y float64, color, text string) {
		// On a white plate: a figure stays legible where it lies over a
		// thick edge or a border.
		w := svgtext.TextWidth(text, 11, true) + 8
		fmt.Fprintf(&layer, `<rect x="%s" y="%s" width="%s" height="15" rx="3" fill="#ffffff" fill-opacity="0.92" stroke="%s" stroke-opacity="0.35"/>`+"\n",
			num(x-w/2), num(y-11.5), num(w), color)
		fmt.Fprintf(&layer, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`+"\n",
			num(x), num(y), color, escape.XML(text))
	}
	out := svgEdge.ReplaceAllFunc(svg, func(m []byte) []byte {
		sub := svgEdge.FindSubmatch(m)
		parts := strings.SplitN(html.UnescapeString(string(sub[2])), "->", 2)
		if len(parts) != 2 {
			return m
		}
		f, ok := byPair[[2]string{nodeName[parts[0]], nodeName[parts[1]]}]
		if !ok {
			return m
		}
		c := colors[f.Level]
		if c == "" {
			c = "#1d4ed8"
		}
		return []byte(fmt.Sprintf(`%s<path fill="none" stroke="%s" stroke-width="%s"`, sub[1], c, num(1+9*clamp01(f.Width))))
	})
	// Edge labels at the middle point of each drawn edge.
	for _, m := range svgEdge.FindAllSubmatchIndex(out, -1) {
		parts := strings.SplitN(html.UnescapeString(string(out[m[4]:m[5]])), "->", 2)
		if len(parts) != 2 {
			continue
		}
		f, ok := byPair[[2]string{nodeName[parts[0]], nodeName[parts[1]]}]
		if !ok {
			continue
		}
		d := svgPathD.FindSubmatch(out[m[1]:min(len(out), m[1]+20000)])
		if d == nil {
			continue
		}
		pts := pointsOf(string(d[1]))
		if len(pts) == 0 {
			continue
		}
		c := colors[f.Level]
		if c == "" {
			c = "#1d4ed8"
		}
		// Under the edge's own label when it has one (so the two never
		// overlap), else at the middle of its curve.
		group := out[m[1]:]
		if end := bytes.Index(group, []byte("</g>")); end >= 0 {
			group = group[:end]
		}
		if texts := svgText.FindAllSubmatch(group, -1); len(texts) > 0 {
			last := texts[len(texts)-1]
			x, _ := strconv.ParseFloat(string(last[1]), 64)
			y, _ := strconv.ParseFloat(string(last[2]), 64)
			label(x, y+13, c, f.Text)
			continue
		}
		mid := pts[len(pts)/2]
		label(mid[0], mid[1]-4, c, f.Text)
	}
	for _, id := range slices.Sorted(maps.Keys(o.Stages)) {
		f, b := o.Stages[id], stageBox[id]
		if _, ok := stageBox[id]; !ok {
			continue
		}
		dash := ""
		if f.Unseen {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&layer, `<rect x="%s" y="%s" width="%s" height="%s" rx="8" fill="none" stroke="#dc2626" stroke-opacity="%s" stroke-width="%s"%s/>`+"\n",
			num(b.x0-4), num(b.y0-4), num(b.x1-b.x0+8), num(b.y1-b.y0+8), num(0.35+0.65*clamp01(f.Heat)), num(1+5*clamp01(f.Heat)), dash)
		label((b.x0+b.x1)/2, b.y1+16, "#7f1d1d", f.Text)
	}
	for _, e := range o.Edges {
		a, okA := stageBox[e.From]
		b, okB := stageBox[e.To]
		if !e.OffMap || !okA || !okB {
			continue
		}
		x1, y1, x2, y2 := (a.x0+a.x1)/2, (a.y0+a.y1)/2, (b.x0+b.x1)/2, (b.y0+b.y1)/2
		fmt.Fprintf(&under, `<path d="M%s,%sL%s,%s" fill="none" stroke="#b91c1c" stroke-dasharray="6 4" stroke-width="%s"/>`+"\n", num(x1), num(y1), num(x2), num(y2), num(1+6*clamp01(e.Width)))
		label((x1+x2)/2, (y1+y2)/2, "#b91c1c", e.Text)
	}
	if o.Summary != "" {
		if b, ok := graphBox(out); ok {
			fmt.Fprintf(&layer, `<text x="%s" y="%s" fill="#1a202c" font-weight="normal" font-size="12">%s</text>`+"\n", num(b.x0+12), num(b.y1-6), escape.XML(o.Summary))
		}
	}
	layer.WriteString("</g>\n")
	under.WriteString("</g>\n")
	loc := svgGraph.FindIndex(out)
	if loc == nil {
		return out
	}
	first := svgNode.FindIndex(out)
	if first == nil || first[0] > loc[0] {
		first = loc
	}
	res := make([]byte, 0, len(out)+layer.Len()+under.Len())
	res = append(res, out[:first[0]]...)
	res = append(res, under.Bytes()...)
	res = append(res, out[first[0]:loc[0]]...)
	res = append(res, layer.Bytes()...)
	return append(res, out[loc[0]:]...)
}

// graphBox is the bounds of the graph's background polygon.
func graphBox(svg []byte) (box, bool) {
	m := svgPaper.FindSubmatch(svg)
	if m == nil {
		return box{}, false
	}
	return bounds(pointsOf(string(m[1]))), true
}
