// Package render draws journeys: the flow view (DOT built here, laid out by
// Graphviz through go-graphviz), the canvas view (package canvas), Mermaid,
// and PNG pictures of either SVG (package raster).
package render

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/canvas"
	"github.com/journeykit/journey/pkg/render/raster"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// Views and Formats are the values render accepts, in help order.
var (
	Views   = []string{"flow", "canvas"}
	Formats = []string{"svg", "png", "dot", "mermaid"}
)

// FormatFromPath infers the output format from a file name's extension.
func FormatFromPath(path string) (string, bool) {
	lower := strings.ToLower(path)
	for ext, f := range map[string]string{".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid"} {
		if strings.HasSuffix(lower, ext) {
			return f, true
		}
	}
	return "", false
}

// Extension is the file extension written for a format.
func Extension(format string) string {
	if format == "mermaid" {
		return "mmd"
	}
	return format
}

// PNGScale is the resolution of PNG output: 2 pixels per SVG unit, sharp on
// high-density screens and in slides.
const PNGScale = 2

// Render draws j in the given view and format.
func Render(j *journey.Journey, view, format string, opts Options) ([]byte, error) {
	if !slices.Contains(Views, view) {
		return nil, fmt.Errorf("unknown view %q: use %s", view, strings.Join(Views, " or "))
	}
	if !slices.Contains(Formats, format) {
		return nil, fmt.Errorf("unknown format %q: use %s", format, strings.Join(Formats, ", "))
	}
	if view == "canvas" {
		if format == "dot" || format == "mermaid" {
			return nil, fmt.Errorf("the canvas view is drawn as svg or png, not %s", format)
		}
		svg, err := canvas.SVG(j, canvas.Options{Persona: opts.Persona})
		if err != nil || format == "svg" {
			return svg, err
		}
		return raster.PNG(svg, PNGScale)
	}
	switch format {
	case "dot":
		return DOT(j, opts), nil
	case "mermaid":
		return Mermaid(j, opts), nil
	}
	svg, err := FlowSVG(j, opts)
	if err != nil || format == "svg" {
		return svg, err
	}
	return raster.PNG(svg, PNGScale)
}

// LayoutSVGWithFont lays out DOT that asks for Arial (whose metrics
// Graphviz knows) and names the embedded font family in the SVG.
func LayoutSVGWithFont(dot []byte) ([]byte, error) {
	svg, err := LayoutSVG(dot)
	if err != nil {
		return nil, err
	}
	return bytes.ReplaceAll(svg, []byte(`font-family="Arial"`), []byte(`font-family="`+svgtext.FontFamily+`"`)), nil
}

// HTMLText escapes s for a Graphviz HTML-like label.
func HTMLText(s string) string { return htmlText(s) }

// FlowSVG lays out the flow view with Graphviz.
func FlowSVG(j *journey.Journey, opts Options) ([]byte, error) {
	return LayoutSVGWithFont(DOT(j, opts))
}
