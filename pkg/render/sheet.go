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

// dot is the sheet's DOT and its size summed over the journeys. The sheet
// is drawn top to bottom when one of its journeys would be on its own (see
// Options.Direction), the journeys' frames then stacked in order.
func (s *Sheet) dot() ([]byte, layoutSize) {
	graphs := make([]*flowGraph, len(s.Flows))
	tb := false
	for i, f := range s.Flows {
		if f.Journey == nil {
			continue
		}
		graphs[i] = newFlowGraphIn(f.Journey, f.Options, "j"+strconv.Itoa(i))
		tb = tb || graphs[i].topToBottom(f.Options.Direction)
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("digraph journeys {\n")
	writeGraphDefaults(&b, legendTable(s.Title, s.Subtitle, s.Legend.cells()), tb)
	var size layoutSize
	var prev *flowGraph
	for i, f := range s.Flows {
		g := graphs[i]
		if g == nil {
			continue
		}
		g.tb = tb
		w("  subgraph cluster_%s {\n", g.prefix)
		label := "<b>" + htmlLines(wrapText(f.Caption, phaseTitleSize, titleWrap, true), "left") + "</b>"
		if f.Detail != "" {
			label += ` <font point-size="` + strconv.Itoa(textSize) + `">` + escape.DOTHTML(svgtext.Truncate(f.Detail, maxTextRunes)) + `</font>`
		}
		w("    label=<%s>; style=\"rounded\"; color=%q; fontsize=%d; fontcolor=%q; margin=12;\n", label, colorPhaseLine, phaseTitleSize, colorInk)
		size.cost += g.writeBody(&b, "    ")
		w("  }\n")
		// Top to bottom, frames side by side would add up their widths:
		// an invisible edge puts each below the one before.
		if tb && prev != nil {
			if from, to := prev.sheetEnd(true), g.sheetEnd(false); from != "" && to != "" {
				w("  %s -> %s [style=invis];\n", from, to)
			}
		}
		prev = g
		size.stages += len(g.stages)
		size.edges += g.edgeCount()
	}
	w("}\n")
	return []byte(b.String()), size
}

// sheetEnd is the DOT name of a stage at the end (last) or the start of
// the flow, by phases, or "" for a flow without stages.
func (g *flowGraph) sheetEnd(last bool) string {
	if len(g.columns) > 0 {
		col := g.columns[0]
		if last {
			col = g.columns[len(g.columns)-1]
		}
		if ends := g.phaseEnds(col, last); len(ends) > 0 {
			return g.name[ends[0].ID.Value]
		}
	}
	if len(g.stages) > 0 {
		return g.name[g.stages[0].ID.Value]
	}
	return ""
}
