package diff

import (
	"strings"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render"
)

// SVG draws the changed journeys with the flow layout (pkg/render's flow
// view with the changes as marks): every stage of the new version plus the
// removed ones, added stages and edges green, removed red and dashed,
// changed amber, under a legend and the summary line.
// A diff past the flow view's layout bounds, counted over every journey
// drawn, is refused with a *render.TooLargeError before Graphviz starts, as
// a flow is.
func SVG(r *Result) ([]byte, error) {
	return render.SheetSVG(sheet(r))
}

// DOT is the Graphviz graph of the visual diff. A renamed stage is one
// node under its new id ("old → new" under its name), and the old version's
// edges are read through the renames: an edge kept across a rename is
// unchanged.
func DOT(r *Result) []byte {
	return render.SheetDOT(sheet(r))
}

// sheet is the visual diff as pkg/render draws it: one frame per changed
// journey, the union of its versions with the changes marked (see union).
func sheet(r *Result) *render.Sheet {
	s := &render.Sheet{Title: "Journey changes", Subtitle: SummaryLine(r), Legend: changeLegend}
	for _, d := range r.Journeys {
		u := union(d)
		u.marks.IDs = true
		s.Flows = append(s.Flows, render.SheetFlow{Journey: u.j, Caption: d.Journey, Detail: "(" + d.Status + ")", Options: render.Options{Marks: u.marks}})
	}
	return s
}

// edgeDelta says what changed in a transition: "wait 4d → 3d, rate 30% → 20%".
func edgeDelta(o, n *journey.Transition) string {
	var parts []string
	if o.After.Value != n.After.Value {
		parts = append(parts, "wait "+show(o.After.Value)+" → "+show(n.After.Value))
	}
	if rateText(o.Rate) != rateText(n.Rate) {
		parts = append(parts, "rate "+show(rateText(o.Rate))+" → "+show(rateText(n.Rate)))
	}
	return strings.Join(parts, ", ")
}

// stageStatus is added, removed or changed per stage id of a journey diff.
func stageStatus(d *JourneyDiff) map[string]string {
	status := map[string]string{}
	for _, c := range d.Changes {
		if c.Stage == "" || c.Kind == LintError {
			continue
		}
		switch c.Kind {
		case StageAdded:
			status[c.Stage] = markAdded
		case StageRemoved:
			status[c.Stage] = markRemoved
		default:
			if status[c.Stage] == "" {
				status[c.Stage] = markChanged
			}
		}
	}
	return status
}
