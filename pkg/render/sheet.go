package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// A Sheet is several journeys in one picture: each journey's flow view
// (with its own options and marks) in a frame with a caption, under one
// title and legend. The visual diff is a sheet of the changed journeys.
type Sheet struct {
	Title, Subtitle string
	Legend          Legend
	Flows           []SheetFlow
}

// SheetFlow is one journey of a Sheet.
type SheetFlow struct {
	Journey *journey.Journey
	// Caption is the frame's title (bold), Detail follows it in smaller
	// type.
	Caption, Detail string
	Options         Options
}

// SheetDOT writes the sheet as a Graphviz DOT graph. The journeys' node
// names start with j0, j1...; their SVG ids with "j0-".
func SheetDOT(s *Sheet) []byte {
	dot, _ := s.dot()
	return dot
}

// SheetSVG lays out the sheet with Graphviz. A sheet past the flow view's
// layout bounds, counted over all its journeys, is refused with a
// *TooLargeError before Graphviz starts.
func SheetSVG(s *Sheet) ([]byte, error) {
	dot, size := s.dot()
	if err := size.check(); err != nil {
		return nil, err
	}
	return LayoutSVGWithFont(dot)
}

// layoutSize is what the bounds of the flow layout count.
type layoutSize struct{ stages, edges, cost int }

func (z layoutSize) check() error {
	if z.cost > MaxLayoutCost || z.stages+z.edges > MaxLayoutElements {
		return &TooLargeError{Stages: z.stages, Edges: z.edges, Cost: z.cost}
	}
	return nil
}

// dot is the sheet's DOT and its size summed over the journeys.
func (s *Sheet) dot() ([]byte, layoutSize) {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("digraph journeys {\n")
	writeGraphDefaults(&b, legendTable(s.Title, s.Subtitle, s.Legend.cells()), false)
	var size layoutSize
	for i, f := range s.Flows {
		if f.Journey == nil {
			continue
		}
		prefix := "j" + strconv.Itoa(i)
		g := newFlowGraphIn(f.Journey, f.Options, prefix)
		w("  subgraph cluster_%s {\n", prefix)
		label := "<b>" + escape.DOTHTML(svgtext.Truncate(f.Caption, 80)) + "</b>"
		if f.Detail != "" {
			label += ` <font point-size="10">` + escape.DOTHTML(svgtext.Truncate(f.Detail, 80)) + `</font>`
		}
		w("    label=<%s>; style=\"rounded\"; color=%q; fontsize=13; fontcolor=%q; margin=12;\n", label, colorPhaseLine, colorInk)
		size.cost += g.writeBody(&b, "    ")
		w("  }\n")
		size.stages += len(g.stages)
		size.edges += g.edgeCount()
	}
	w("}\n")
	return []byte(b.String()), size
}
