// Package render draws journeys: the flow view (DOT built here, laid out by
// Graphviz through go-graphviz), the canvas view (package canvas), Mermaid,
// and PNG pictures of either SVG (package raster).
//
// Importing this package has one effect at a distance, contained to the
// package initialisation: when the default temp directory cannot hold
// go-graphviz's cache (see internal/gvcache), TMPDIR points at a private
// cache directory while the package inits run. A program that imports
// render must call RestoreTempDir first thing in main (cmd/journey does) so
// that nothing it starts afterwards (git, editors, its own temp files)
// sees the change; a test in cmd/journey checks the init order this relies
// on.
package render

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// Formats are every format some view is drawn in, in help order (see
// View.Formats for each view's).
var Formats = []string{"svg", "png", "dot", "mermaid"}

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

// Render draws j in the given view and format. With opts.Phases it draws
// those phases only (see CutPhases); an id that names no phase of j is an
// *UnknownPhaseError. The landscape ignores opts.Phases.
func Render(j *journey.Journey, view, format string, opts Options) ([]byte, error) {
	v := ViewByName(view)
	if v == nil {
		return nil, fmt.Errorf("unknown view %q: use %s", view, strings.Join(Views, " or "))
	}
	if !slices.Contains(Formats, format) {
		return nil, fmt.Errorf("unknown format %q: use %s", format, strings.Join(Formats, ", "))
	}
	if err := CheckFormat(v, format); err != nil {
		return nil, err
	}
	if _, whole := v.(WorkspaceView); !whole {
		if err := CheckPhases(j, opts.Phases); err != nil {
			return nil, err
		}
	}
	return v.Draw(j, format, opts)
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

// Bounds of the flow layout. Graphviz's dot layout grows faster than
// quadratically with the long edges of a journey (see layoutCost) and with
// the stages that share a rank: past these bounds it runs for minutes (a
// 1,000-stage flow did not finish in 5 minutes) where DOT and Mermaid take
// milliseconds. Measured on 2 CPU cores with the WebAssembly Graphviz:
// journeys just under the bounds take 2 to 4 s of CPU; 60 stages that can
// each restart or give up (cost 6,904) took 64 s, 300 stages and 600
// transitions 11 s.
const (
	// MaxLayoutCost bounds layoutCost: stages plus the estimated virtual
	// nodes of long edges.
	MaxLayoutCost = 4000
	// MaxLayoutElements bounds the stages plus transitions and failure
	// follow-ups drawn.
	MaxLayoutElements = 600
)

// TooLargeError is a flow that would take Graphviz minutes to lay out.
type TooLargeError struct {
	Stages, Edges int // drawn
	Cost          int // layoutCost
}

func (e *TooLargeError) Error() string {
	if e.Stages+e.Edges > MaxLayoutElements {
		return fmt.Sprintf("%d stages and %d transitions are too many to lay out as a picture (the limit is %d together: Graphviz would take minutes)",
			e.Stages, e.Edges, MaxLayoutElements)
	}
	return fmt.Sprintf("%d stages with %d transitions, many of them spanning much of the flow, are too many to lay out as a picture (layout cost %d, the limit is %d: Graphviz would take minutes)",
		e.Stages, e.Edges, e.Cost, MaxLayoutCost)
}

// FlowSVG lays out the flow view with Graphviz. A flow past the layout
// bounds is refused with a *TooLargeError before Graphviz starts.
func FlowSVG(j *journey.Journey, opts Options) ([]byte, error) {
	dot, err := boundedFlowDOT(j, opts)
	if err != nil {
		return nil, err
	}
	return LayoutSVGWithFont(dot)
}

// boundedFlowDOT is the DOT of the flow view, or a *TooLargeError when its
// layout would pass the bounds.
func boundedFlowDOT(j *journey.Journey, opts Options) ([]byte, error) {
	dot, cost := flowDOT(j, opts)
	g := newFlowGraph(j, opts)
	if edges := g.edgeCount(); cost > MaxLayoutCost || len(g.stages)+edges > MaxLayoutElements {
		return nil, &TooLargeError{Stages: len(g.stages), Edges: edges, Cost: cost}
	}
	return dot, nil
}
