package raster

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"
)

// svgDoc wraps body in a 100×100 SVG document.
func svgDoc(body string) string {
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">` + body + `</svg>`
}

// rgbAt is the colour of a pixel, un-premultiplied over the white page.
func rgbAt(img *image.RGBA, x, y int) [3]int {
	c := img.RGBAAt(x, y)
	return [3]int{int(c.R), int(c.G), int(c.B)}
}

func near(got [3]int, want [3]int, tol int) bool {
	for i := range got {
		if d := got[i] - want[i]; d > tol || d < -tol {
			return false
		}
	}
	return true
}

var (
	white = [3]int{255, 255, 255}
	red   = [3]int{255, 0, 0}
	black = [3]int{0, 0, 0}
	blue  = [3]int{0, 0, 255}
	green = [3]int{0, 128, 0}
	lime  = [3]int{0, 255, 0}
)

type probe struct {
	x, y int
	want [3]int
}

func TestPixels(t *testing.T) {
	tests := []struct {
		name   string
		svg    string
		scale  float64
		probes []probe
	}{
		{
			name:   "filled rect",
			svg:    svgDoc(`<rect x="10" y="10" width="50" height="50" fill="red"/>`),
			probes: []probe{{30, 30, red}, {11, 11, red}, {58, 58, red}, {80, 80, white}, {5, 30, white}, {61, 30, white}},
		},
		{
			name:   "scale doubles the picture",
			svg:    svgDoc(`<rect x="10" y="10" width="50" height="50" fill="red"/>`),
			scale:  2,
			probes: []probe{{60, 60, red}, {118, 118, red}, {125, 125, white}, {15, 15, white}},
		},
		{
			name:   "short hex, rgb() and named colours",
			svg:    svgDoc(`<rect width="30" height="30" fill="#00f"/><rect x="30" width="30" height="30" fill="rgb(255, 0, 0)"/><rect x="60" width="30" height="30" fill="green"/>`),
			probes: []probe{{15, 15, blue}, {45, 15, red}, {75, 15, green}, {95, 15, white}},
		},
		{
			name:   "style attribute overrides presentation attribute",
			svg:    svgDoc(`<rect x="10" y="10" width="50" height="50" fill="red" style="fill: #00ff00; stroke:none"/>`),
			probes: []probe{{30, 30, lime}},
		},
		{
			name:   "fill-opacity blends with the page",
			svg:    svgDoc(`<rect x="10" y="10" width="50" height="50" fill="red" fill-opacity="0.5"/>`),
			probes: []probe{{30, 30, [3]int{255, 128, 128}}},
		},
		{
			name:   "group opacity blends the group once",
			svg:    svgDoc(`<g opacity="0.5" transform="translate(5 5)"><rect x="5" y="5" width="50" height="50" fill="red"/><rect x="25" y="25" width="50" height="50" fill="blue"/></g>`),
			probes: []probe{{20, 20, [3]int{255, 128, 128}}, {40, 40, [3]int{128, 128, 255}}, {70, 70, [3]int{128, 128, 255}}},
		},
		{
			name:   "fill none and transparent draw nothing",
			svg:    svgDoc(`<rect x="10" y="10" width="50" height="50" fill="none"/><rect x="10" y="10" width="50" height="50" fill="transparent"/>`),
			probes: []probe{{30, 30, white}},
		},
		{
			name:   "default fill is black",
			svg:    svgDoc(`<polygon points="10,10 90,10 90,90 10,90"/>`),
			probes: []probe{{50, 50, black}},
		},
		{
			name:   "stroked line darkens pixels along it",
			svg:    svgDoc(`<line x1="0" y1="50" x2="100" y2="50" stroke="black" stroke-width="4"/>`),
			probes: []probe{{10, 49, black}, {50, 50, black}, {90, 48, black}, {50, 40, white}, {50, 55, white}},
		},
		{
			name:   "transparent stroke draws nothing",
			svg:    svgDoc(`<line x1="0" y1="50" x2="100" y2="50" stroke="transparent" stroke-width="4"/>`),
			probes: []probe{{50, 50, white}},
		},
		{
			name:   "stroke only outlines",
			svg:    svgDoc(`<rect x="20" y="20" width="60" height="60" fill="none" stroke="blue" stroke-width="4"/>`),
			probes: []probe{{20, 50, blue}, {80, 50, blue}, {50, 20, blue}, {50, 50, white}, {10, 50, white}},
		},
		{
			name:   "dasharray leaves gaps",
			svg:    svgDoc(`<line x1="0" y1="50" x2="100" y2="50" stroke="black" stroke-width="4" stroke-dasharray="10,10"/>`),
			probes: []probe{{5, 50, black}, {15, 50, white}, {25, 50, black}, {35, 50, white}, {45, 50, black}},
		},
		{
			name:   "dashoffset shifts dashes",
			svg:    svgDoc(`<line x1="0" y1="50" x2="100" y2="50" stroke="black" stroke-width="4" stroke-dasharray="10 10" stroke-dashoffset="10"/>`),
			probes: []probe{{5, 50, white}, {15, 50, black}},
		},
		{
			name:   "round caps extend the line",
			svg:    svgDoc(`<line x1="20" y1="50" x2="80" y2="50" stroke="black" stroke-width="10" stroke-linecap="round"/>`),
			probes: []probe{{17, 50, black}, {83, 50, black}, {16, 45, white}},
		},
		{
			name:   "miter join fills the corner",
			svg:    svgDoc(`<polyline points="20,80 20,20 80,20" fill="none" stroke="black" stroke-width="10"/>`),
			probes: []probe{{16, 16, black}, {50, 20, black}, {20, 50, black}, {50, 50, white}},
		},
		{
			name:   "translate moves things",
			svg:    svgDoc(`<g transform="translate(50 50)"><rect width="10" height="10" fill="red"/></g>`),
			probes: []probe{{55, 55, red}, {5, 5, white}},
		},
		{
			name:   "nested transforms compose",
			svg:    svgDoc(`<g transform="translate(10,10)"><g transform="scale(2)"><rect x="10" y="10" width="10" height="10" fill="red"/></g></g>`),
			probes: []probe{{35, 35, red}, {48, 48, red}, {25, 25, white}, {52, 52, white}},
		},
		{
			name:   "rotate and matrix",
			svg:    svgDoc(`<rect x="40" y="10" width="20" height="5" fill="red" transform="rotate(90 50 50)"/><rect width="10" height="10" fill="blue" transform="matrix(1 0 0 1 80 80)"/>`),
			probes: []probe{{87, 45, red}, {87, 55, red}, {50, 12, white}, {85, 85, blue}},
		},
		{
			name:   "graphviz group transform",
			svg:    `<svg width="100pt" height="100pt" viewBox="0.00 0.00 100.00 100.00"><g transform="scale(1 1) rotate(0) translate(4 96)"><polygon fill="white" stroke="none" points="-4,4 -4,-96 96,-96 96,4 -4,4"/><ellipse fill="red" stroke="black" stroke-width="2" cx="20" cy="-20" rx="10" ry="5"/></g></svg>`,
			probes: []probe{{24, 76, red}, {24, 71, black}, {24, 60, white}, {12, 70, white}},
		},
		{
			name:   "path grammar",
			svg:    svgDoc(`<path d="m10,10 h30 v30 h-30 z M60 10 L90 10 L90 40 Z M10 60 C10 60 40 60 40 60 S40 90 40 90 L10 90 z M60 60 Q75 50 90 60 T90 90 H60 V60 M60,95 A5,5 0 0,1 70,95" fill="red" stroke="none"/>`),
			probes: []probe{{25, 25, red}, {85, 20, red}, {65, 35, white}, {25, 75, red}, {75, 75, red}, {50, 50, white}},
		},
		{
			name:   "circle and ellipse",
			svg:    svgDoc(`<circle cx="25" cy="25" r="20" fill="red"/><ellipse cx="70" cy="70" rx="20" ry="10" fill="blue"/>`),
			probes: []probe{{25, 25, red}, {7, 7, white}, {70, 70, blue}, {70, 58, white}, {52, 70, blue}},
		},
		{
			name:   "rounded rect corners are cut",
			svg:    svgDoc(`<rect x="10" y="10" width="80" height="80" rx="20" fill="red"/>`),
			probes: []probe{{11, 11, white}, {50, 11, red}, {11, 50, red}, {50, 50, red}},
		},
		{
			name:   "display none and visibility hidden hide",
			svg:    svgDoc(`<g display="none"><rect width="50" height="50" fill="red"/></g><rect x="50" width="50" height="50" fill="red" visibility="hidden"/>`),
			probes: []probe{{25, 25, white}, {75, 25, white}},
		},
		{
			name:   "a draws its children, title and unknown elements are skipped",
			svg:    svgDoc(`<title>x</title><!-- c --><a xlink:title="t" xmlns:xlink="http://www.w3.org/1999/xlink"><rect width="50" height="50" fill="red"/></a><foo><rect x="50" width="50" height="50" fill="red"/></foo>`),
			probes: []probe{{25, 25, red}, {75, 25, white}},
		},
		{
			name:   "inherited fill from group",
			svg:    svgDoc(`<g fill="blue" stroke="none"><rect width="50" height="50"/></g>`),
			probes: []probe{{25, 25, blue}},
		},
		{
			name:   "use references a definition",
			svg:    svgDoc(`<defs><rect id="r" width="20" height="20"/></defs><use href="#r" x="60" y="60" fill="red"/>`),
			probes: []probe{{70, 70, red}, {10, 10, white}},
		},
		{
			name: "marker-end draws at the path end",
			svg: svgDoc(`<defs><marker id="m" markerWidth="10" markerHeight="10" refX="0" refY="5" orient="auto" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z" fill="red"/></marker></defs>` +
				`<path d="M10,50 L60,50" stroke="black" stroke-width="2" marker-end="url(#m)"/>`),
			probes: []probe{{62, 50, red}, {30, 50, black}, {75, 50, white}},
		},
		{
			name:   "background is white",
			svg:    svgDoc(``),
			probes: []probe{{0, 0, white}, {99, 99, white}},
		},
		{
			name:   "the SVG can paint its own background",
			svg:    svgDoc(`<rect width="100%" height="100%" fill="#000"/>`),
			probes: []probe{{0, 0, black}, {99, 99, black}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scale := tt.scale
			if scale == 0 {
				scale = 1
			}
			img, err := render([]byte(tt.svg), scale, maxPixels)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tt.probes {
				if got := rgbAt(img, p.x, p.y); !near(got, p.want, 24) {
					t.Errorf("pixel (%d,%d) = %v, want %v", p.x, p.y, got, p.want)
				}
			}
		})
	}
}

// darkBox is the bounding box of pixels darker than the threshold (sum of
// channels), or empty.
func darkBox(img *image.RGBA, r image.Rectangle) image.Rectangle {
	var box image.Rectangle
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if int(c.R)+int(c.G)+int(c.B) < 3*160 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

func TestText(t *testing.T) {
	doc := func(body string) string {
		return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">` + body + `</svg>`
	}
	tests := []struct {
		name string
		svg  string
		// The dark pixels must lie within in and must touch each edge
		// of touch (a box a little smaller than the expected ink).
		in, touch image.Rectangle
	}{
		{
			name:  "start anchor, y is the baseline",
			svg:   doc(`<text x="100" y="50" font-size="20">Hello</text>`),
			in:    image.Rect(99, 33, 152, 51),
			touch: image.Rect(103, 37, 145, 49),
		},
		{
			name:  "middle anchor",
			svg:   doc(`<text x="100" y="50" font-size="20" text-anchor="middle">Hello</text>`),
			in:    image.Rect(73, 33, 127, 51),
			touch: image.Rect(80, 37, 121, 49),
		},
		{
			name:  "end anchor",
			svg:   doc(`<text x="100" y="50" font-size="20" text-anchor="end">Hello</text>`),
			in:    image.Rect(48, 33, 101, 51),
			touch: image.Rect(57, 37, 98, 49),
		},
		{
			name:  "entities are decoded",
			svg:   doc(`<text x="10" y="50" font-size="20">&#45;&amp;&lt;&#39;&quot;&gt;&#x41;&nbsp;</text>`),
			in:    image.Rect(9, 30, 100, 56),
			touch: image.Rect(13, 37, 75, 49),
		},
		{
			name:  "tspans with x and dy, inherited from g",
			svg:   doc(`<g font-size="20" text-anchor="middle" fill="#000"><text x="0" y="30"><tspan x="100">Hi</tspan><tspan x="100" dy="40">Hi</tspan></text></g>`),
			in:    image.Rect(85, 14, 115, 71),
			touch: image.Rect(92, 20, 108, 68),
		},
		{
			name:  "translated text",
			svg:   doc(`<g transform="translate(50 20)"><text x="0" y="30" font-size="20">l</text></g>`),
			in:    image.Rect(50, 34, 56, 51),
			touch: image.Rect(52, 37, 53, 49),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := render([]byte(tt.svg), 1, maxPixels)
			if err != nil {
				t.Fatal(err)
			}
			got := darkBox(img, img.Bounds())
			if got.Empty() {
				t.Fatal("no dark pixels")
			}
			if !got.In(tt.in) {
				t.Errorf("ink %v is not inside %v", got, tt.in)
			}
			if !tt.touch.In(got) {
				t.Errorf("ink %v does not cover %v", got, tt.touch)
			}
		})
	}
}

func TestBoldIsHeavier(t *testing.T) {
	ink := func(weight string) int {
		svg := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 40"><text x="5" y="30" font-size="20" font-weight="` + weight + `">Journey map</text></svg>`
		img, err := render([]byte(svg), 1, maxPixels)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for i := 0; i < len(img.Pix); i += 4 {
			n += 255 - int(img.Pix[i])
		}
		return n
	}
	if normal, bold := ink("normal"), ink("bold"); bold <= normal*11/10 {
		t.Errorf("bold ink %d is not clearly more than normal %d", bold, normal)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name  string
		svg   string
		scale float64
		want  string
	}{
		{"invalid XML", `<svg viewBox="0 0 10 10"><rect></svg>`, 1, "bad SVG"},
		{"not XML", `hello`, 1, "bad SVG"},
		{"empty", ``, 1, "bad SVG"},
		{"not svg", `<html/>`, 1, "not <svg>"},
		{"unknown entity", `<svg viewBox="0 0 10 10"><text>&bogus;</text></svg>`, 1, "bad SVG"},
		{"no size", `<svg/>`, 1, "viewBox"},
		{"too many pixels", `<svg viewBox="0 0 20000 20000"/>`, 1, "too large"},
		{"too many pixels by scale", `<svg viewBox="0 0 1000 1000"/>`, 11, "too large"},
		{"too wide", `<svg viewBox="0 0 100000 1"/>`, 1, "too large"},
		{"zero scale", `<svg viewBox="0 0 10 10"/>`, 0, "scale"},
		{"negative scale", `<svg viewBox="0 0 10 10"/>`, -1, "scale"},
		{"NaN scale", `<svg viewBox="0 0 10 10"/>`, math.NaN(), "scale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PNG([]byte(tt.svg), tt.scale)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestSizeFromViewBoxOrWidth(t *testing.T) {
	tests := []struct {
		svg  string
		w, h int
	}{
		{`<svg viewBox="0 0 10.5 20" width="99pt" height="1pt"/>`, 21, 40},
		{`<svg width="30" height="15px"/>`, 60, 30},
		{`<svg viewBox="-5,-5 10,10"><rect x="-5" y="-5" width="5" height="5" fill="red"/></svg>`, 20, 20},
	}
	for _, tt := range tests {
		data, err := PNG([]byte(tt.svg), 2)
		if err != nil {
			t.Fatalf("%s: %v", tt.svg, err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
			t.Errorf("%s: size %v, want %dx%d", tt.svg, b.Size(), tt.w, tt.h)
		}
	}
}

func TestDeterministic(t *testing.T) {
	svg, err := os.ReadFile("testdata/flow.svg")
	if err != nil {
		t.Fatal(err)
	}
	a, err := PNG(svg, 2)
	if err != nil {
		t.Fatal(err)
	}
	b, err := PNG(svg, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two runs gave different bytes")
	}
}

func TestConcurrent(t *testing.T) {
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><text x="60" y="25" text-anchor="middle" font-size="14" font-weight="bold">Same bytes</text><circle cx="10" cy="20" r="8" fill="#1e40af"/></svg>`)
	want, err := PNG(svg, 2)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			got, err := PNG(svg, 2)
			if err == nil && !bytes.Equal(got, want) {
				err = errors.New("different bytes")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestGraphvizSample renders a real Graphviz SVG written by journey.
func TestGraphvizSample(t *testing.T) {
	svg, err := os.ReadFile("testdata/flow.svg")
	if err != nil {
		t.Fatal(err)
	}
	data, err := PNG(svg, 2)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// viewBox="0.00 0.00 781.33 388.20" at scale 2.
	if b := dec.Bounds(); b.Dx() != 1563 || b.Dy() != 777 {
		t.Fatalf("size %v, want 1563x777", b.Size())
	}
	img := image.NewRGBA(dec.Bounds())
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			img.Set(x, y, dec.At(x, y))
		}
	}
	// The title, "E-book download to sales call", bold 16 at x=36.6,
	// baseline y=46 in user units.
	title := darkBox(img, image.Rect(60, 50, 800, 110))
	if title.Empty() || title.Min.X > 80 || title.Max.X < 500 || title.Min.Y > 75 || title.Max.Y > 100 {
		t.Errorf("title ink at %v", title)
	}
	// Corners are the white page.
	for _, p := range []image.Point{{0, 0}, {1562, 0}, {0, 776}, {1562, 776}} {
		if got := rgbAt(img, p.X, p.Y); got != white {
			t.Errorf("corner %v = %v, want white", p, got)
		}
	}
	// The entry node: fill #eff6ff inside a #1e40af border (stroke-width 2).
	// Its path spans x 39.6..204.6, y -195.54..-146.46 in graph space,
	// shifted by translate(21.6 366.6).
	at := func(x, y float64) [3]int { return rgbAt(img, int((21.6+x)*2), int((366.6+y)*2)) }
	if got := at(60, -170); !near(got, [3]int{0xef, 0xf6, 0xff}, 8) {
		t.Errorf("entry node fill = %v", got)
	}
	if got := at(120, -195.54); !near(got, [3]int{0x1e, 0x40, 0xaf}, 40) {
		t.Errorf("entry node border = %v", got)
	}
}

func BenchmarkPNG(b *testing.B) {
	svg, err := os.ReadFile("testdata/flow.svg")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PNG(svg, 2); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	svg, err := os.ReadFile("testdata/flow.svg")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := render(svg, 2, maxPixels); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzPNG(f *testing.F) {
	// A slice of what Graphviz writes (testdata/flow.svg is too big to be
	// a good seed: minimising inputs found from it takes minutes).
	f.Add([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
 "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- Generated by graphviz -->
<svg width="120pt" height="60pt" viewBox="0.00 0.00 120.00 60.00" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 56)">
<title>g</title>
<polygon fill="white" stroke="none" points="-4,4 -4,-56 116,-56 116,4 -4,4"/>
<g id="node1" class="node"><title>a</title><g id="a_node1"><a xlink:title="a&#10;b">
<path fill="#eff6ff" stroke="#1e40af" stroke-width="2" stroke-dasharray="5,2" d="M18,-40C18,-40 54,-40 54,-40 57,-40 60,-37 60,-34 60,-34 60,-28 60,-28 60,-25 57,-22 54,-22L18,-22Z"/>
<text text-anchor="middle" x="36" y="-27.9" font-family="Liberation Sans, Arial, Helvetica, sans-serif" font-weight="bold" font-size="9.00" fill="#1e40af">● E&#45;book &amp; &lt;x&gt;</text>
</a></g></g>
<g id="edge1" class="edge"><title>a&#45;&gt;b</title>
<path fill="none" stroke="#4a5568" stroke-width="1.1" d="M60,-31C70,-31 80,-20 90,-20"/>
<polygon fill="#4a5568" stroke="#4a5568" stroke-width="1.1" points="90,-22.5 97,-20 90,-17.5 90,-22.5"/>
<ellipse fill="#1e40af" stroke="#1e40af" cx="1.8" cy="-31" rx="1.8" ry="1.8"/>
</g></g></svg>`), 1.0)
	f.Add([]byte(svgDoc(`<rect x="10" y="10" width="50" height="50" rx="5" fill="red" stroke="#000" stroke-dasharray="3 1"/>`)), 1.0)
	f.Add([]byte(svgDoc(`<path d="M10 10 C 20 20 30 0 40 10 S 60 30 70 10 Q 80 0 90 10 T 95 20 A 5 5 30 1 0 50 50 z m1,1 h5v5H1V1l2 2z" stroke="blue" stroke-linejoin="round" stroke-linecap="square"/>`)), 2.0)
	f.Add([]byte(svgDoc(`<g font-size="9" fill="#333" style="font-weight:bold;text-anchor:middle"><text x="50" y="50">a<tspan x="50" dy="1em">b &amp; c</tspan></text></g>`)), 1.5)
	f.Add([]byte(svgDoc(`<defs><marker id="m" viewBox="0 0 10 10" refX="5" refY="5" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z"/></marker></defs><polyline points="10,10 50,50 90,10" stroke="red" marker-start="url(#m)" marker-mid="url(#m)" marker-end="url(#m)" fill="none"/>`)), 1.0)
	f.Add([]byte(svgDoc(`<use href="#a" id="a"/><g transform="rotate(30 50 50) skewX(10) matrix(1 0 0 1 5 5)" opacity=".5"><circle cx="50" cy="50" r="40" stroke="green" stroke-width="3"/></g>`)), 1.0)
	f.Fuzz(func(t *testing.T, svg []byte, scale float64) {
		// Keep pictures small so that the fuzzer spends its time on
		// parsing and geometry, not on allocating pages.
		if img, err := render(svg, scale, 1<<20); err == nil && img == nil {
			t.Fatal("nil image without error")
		}
	})
}
