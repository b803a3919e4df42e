package diff

import (
	"fmt"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// Colours of the visual diff; the state is also written in each label
// (+ added, − removed, ~ changed) so colour is not its only carrier.
const (
	addedLine   = "#166534"
	addedFill   = "#dcfce7"
	removedLine = "#991b1b"
	removedFill = "#fee2e2"
	changedLine = "#92400e"
	changedFill = "#fef3c7"
	plainLine   = "#4a5568"
)

// SVG draws the changed journeys with the flow layout: every stage of the
// new version plus the removed ones, added stages and edges green, removed
// red and dashed, changed amber, with a legend.
// A diff past the flow view's layout bound is refused with a
// *render.TooLargeError before Graphviz starts, as a flow is.
func SVG(r *Result) ([]byte, error) {
	if stages, edges := drawnElements(r); stages+edges > render.MaxLayoutElements {
		return nil, &render.TooLargeError{Stages: stages, Edges: edges}
	}
	return render.LayoutSVGWithFont(DOT(r))
}

// drawnElements counts, at most, the stages and edges the visual diff draws:
// every stage and edge of both versions of each changed journey, once.
func drawnElements(r *Result) (stages, edges int) {
	for _, d := range r.Journeys {
		seen := map[string]bool{}
		edge := map[string]bool{}
		rename, _ := d.renames()
		for _, j := range []*journey.Journey{d.New, d.Old} {
			if j == nil {
				continue
			}
			id := func(s string) string { return s }
			if j == d.Old {
				id = func(s string) string { return mappedID(rename, s) }
			}
			for _, s := range j.Stages {
				from := id(s.ID.Value)
				if !seen[from] {
					seen[from] = true
					stages++
				}
				for _, t := range s.Next {
					if k := from + "\x00" + id(t.To.Value); !edge[k] {
						edge[k] = true
						edges++
					}
				}
				for _, reason := range s.Reasons {
					if k := from + "\x00" + id(reason.Next.Value); reason.Next.Value != "" && !edge[k] {
						edge[k] = true
						edges++
					}
				}
			}
		}
	}
	return stages, edges
}

// DOT is the Graphviz graph of the visual diff. A renamed stage is one
// node under its new id ("old → new" under its name), and the old version's
// edges are read through the renames: an edge kept across a rename is
// unchanged.
func DOT(r *Result) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("digraph journeydiff {\n")
	legend := `<table border="0" cellspacing="4" cellpadding="3"><tr><td align="left" colspan="4"><font point-size="16"><b>Journey changes</b></font></td></tr>` +
		`<tr><td align="left" colspan="4"><font point-size="10">` + escape.DOTHTML(SummaryLine(r)) + `</font></td></tr><tr>` +
		legendCell(addedFill, addedLine, "+ ADDED") + legendCell(removedFill, removedLine, "− REMOVED") +
		legendCell(changedFill, changedLine, "~ CHANGED") + legendCell("#ffffff", plainLine, "UNCHANGED") + `</tr></table>`
	w("  graph [rankdir=LR, fontname=\"Arial\", fontsize=12, nodesep=0.3, ranksep=0.45, pad=0.3, labelloc=t, labeljust=l, label=<%s>];\n", legend)
	w("  node [shape=box, style=\"rounded,filled\", fontname=\"Arial\", fontsize=11, fontcolor=\"#1a202c\", color=%q, fillcolor=\"#ffffff\", margin=\"0.14,0.07\"];\n", plainLine)
	w("  edge [fontname=\"Arial\", fontsize=9, color=%q, fontcolor=\"#4a5568\", arrowsize=0.7];\n", plainLine)
	for ji, d := range r.Journeys {
		status := stageStatus(d)
		rename, oldID := d.renames()
		w("  subgraph cluster_j%d {\n", ji)
		w("    label=<<b>%s</b> <font point-size=\"10\">(%s)</font>>; style=\"rounded\"; color=\"#cbd5e1\"; fontsize=13;\n", escape.DOTHTML(svgtext.Truncate(d.Journey, 80)), d.Status)
		name := map[string]string{}
		node := func(s *journey.Stage, st string) {
			if _, done := name[s.ID.Value]; done || s.ID.Value == "" {
				return
			}
			n := fmt.Sprintf("j%ds%d", ji, len(name))
			name[s.ID.Value] = n
			label := s.Name
			if label == "" {
				label = s.ID.Value
			}
			attrs := ""
			prefix := ""
			switch st {
			case "added":
				attrs, prefix = fmt.Sprintf(", fillcolor=%q, color=%q, penwidth=2", addedFill, addedLine), "+ "
			case "removed":
				attrs, prefix = fmt.Sprintf(", fillcolor=%q, color=%q, penwidth=2, style=\"rounded,filled,dashed\"", removedFill, removedLine), "− "
			case "changed":
				attrs, prefix = fmt.Sprintf(", fillcolor=%q, color=%q, penwidth=2", changedFill, changedLine), "~ "
			}
			lines := svgtext.Wrap(svgtext.Truncate(prefix+label, 100), 11, 150, false)
			for i := range lines {
				lines[i] = escape.DOTHTML(lines[i])
			}
			idLine := svgtext.Truncate(s.ID.Value, 60)
			if old, ok := oldID[s.ID.Value]; ok && st != "removed" {
				idLine = svgtext.Truncate(old, 40) + " → " + idLine
			}
			w("    %s [label=<%s<br/><font point-size=\"9\" color=\"#4a5568\">%s</font>>%s];\n", n, strings.Join(lines, "<br/>"), escape.DOTHTML(idLine), attrs)
		}
		var newStages, oldStages []*journey.Stage
		if d.New != nil {
			newStages = d.New.Stages
		}
		if d.Old != nil {
			oldStages = d.Old.Stages
		}
		for _, s := range newStages {
			st := status[s.ID.Value]
			if d.Status == "added" {
				st = "added"
			}
			node(s, st)
		}
		for _, s := range oldStages {
			if d.Status == "removed" || status[s.ID.Value] == "removed" {
				node(s, "removed")
			}
		}
		w("  }\n")
		// Edges: union of both versions, coloured by presence.
		type key struct{ from, to, when string }
		inOld, inNew := map[key]*journey.Transition{}, map[key]*journey.Transition{}
		var keys []key
		collect := func(stages []*journey.Stage, into map[key]*journey.Transition, rename map[string]string) {
			for _, s := range stages {
				for _, t := range s.Next {
					if t.Journey.Value != "" {
						continue
					}
					k := key{mappedID(rename, s.ID.Value), mappedID(rename, t.To.Value), t.When}
					if _, ok := inOld[k]; !ok {
						if _, ok := inNew[k]; !ok {
							keys = append(keys, k)
						}
					}
					into[k] = t
				}
			}
		}
		collect(newStages, inNew, nil)
		collect(oldStages, inOld, rename)
		for _, k := range keys {
			from, to := name[k.from], name[k.to]
			if from == "" || to == "" {
				continue
			}
			o, n := inOld[k], inNew[k]
			attrs := []string{}
			label := k.when
			switch {
			case d.Status == "added" || o == nil:
				attrs = append(attrs, "color=\""+addedLine+"\"", "penwidth=2", "fontcolor=\""+addedLine+"\"")
				label = "+ " + label
			case d.Status == "removed" || n == nil:
				attrs = append(attrs, "color=\""+removedLine+"\"", "style=dashed", "penwidth=2", "fontcolor=\""+removedLine+"\"")
				label = "− " + label
			case o.After.Value != n.After.Value || rateText(o.Rate) != rateText(n.Rate):
				attrs = append(attrs, "color=\""+changedLine+"\"", "penwidth=2", "fontcolor=\""+changedLine+"\"")
				label = "~ " + label + "\n" + edgeDelta(o, n)
			}
			if label = strings.TrimSpace(label); label != "" {
				attrs = append(attrs, "label="+escape.DOTString(svgtext.Truncate(label, 80)))
			}
			w("  %s -> %s", from, to)
			if len(attrs) > 0 {
				w(" [%s]", strings.Join(attrs, ", "))
			}
			w(";\n")
		}
	}
	w("}\n")
	return []byte(b.String())
}

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

func legendCell(fill, line, text string) string {
	return fmt.Sprintf(`<td bgcolor="%s" color="%s" border="1"><font color="%s" point-size="9">%s</font></td>`, fill, line, line, text)
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
			status[c.Stage] = "added"
		case StageRemoved:
			status[c.Stage] = "removed"
		default:
			if status[c.Stage] == "" {
				status[c.Stage] = "changed"
			}
		}
	}
	return status
}
