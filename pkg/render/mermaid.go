package render

import (
	"fmt"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// Mermaid writes the flow view as a Mermaid flowchart: phases as subgraphs,
// node ids made safe (s0, s1... in file order), every label escaped.
func Mermaid(j *journey.Journey, opts Options) []byte {
	g := newFlowGraph(j, opts)
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("flowchart LR\n")
	inPhase := map[string][]*journey.Stage{}
	for _, s := range g.stages {
		inPhase[s.Phase.Value] = append(inPhase[s.Phase.Value], s)
	}
	node := func(s *journey.Stage, indent string) {
		name := s.Name
		if name == "" {
			name = s.ID.Value
		}
		label := escape.Mermaid(svgtext.Truncate(name, 80))
		n := g.name[s.ID.Value]
		switch {
		case s.Outcome != "":
			w("%s%s([\"%s\"]):::%s\n", indent, n, label, s.Outcome)
		case s.Entry:
			w("%s%s[/\"%s\"/]:::entry\n", indent, n, label)
		default:
			w("%s%s[\"%s\"]\n", indent, n, label)
		}
	}
	for i, ph := range j.Phases {
		stages := inPhase[ph.ID.Value]
		delete(inPhase, ph.ID.Value)
		if len(stages) == 0 {
			continue
		}
		name := ph.Name
		if name == "" {
			name = ph.ID.Value
		}
		w("  subgraph p%d[\"%s\"]\n", i, escape.Mermaid(svgtext.Truncate(name, 60)))
		for _, s := range stages {
			node(s, "    ")
		}
		w("  end\n")
	}
	for _, s := range g.stages {
		if _, left := inPhase[s.Phase.Value]; left {
			node(s, "  ")
		}
	}
	handoffs := map[string]string{}
	for _, s := range g.stages {
		from := g.name[s.ID.Value]
		for _, t := range s.Next {
			to := g.name[t.To.Value]
			if t.IsHandoff() {
				key := t.Journey.Value + "\x00" + t.To.Value
				to = handoffs[key]
				if to == "" {
					to = fmt.Sprintf("h%d", len(handoffs))
					handoffs[key] = to
					w("  %s>\"%s\"]:::handoff\n", to, escape.Mermaid("hand-off: "+svgtext.Truncate(t.Journey.Value, 40)+" / "+svgtext.Truncate(t.To.Value, 40)))
				}
			}
			if to == "" {
				continue
			}
			if label := transitionLabel(t); label != "" {
				w("  %s -->|\"%s\"| %s\n", from, escape.Mermaid(label), to)
			} else {
				w("  %s --> %s\n", from, to)
			}
		}
		for _, r := range s.Reasons {
			to := g.name[r.Next.Value]
			if to == "" {
				continue
			}
			label := r.Name
			if label == "" {
				label = r.ID.Value
			}
			w("  %s -.->|\"%s\"| %s\n", from, escape.Mermaid(svgtext.Truncate(label, 40)), to)
		}
	}
	w("  classDef entry fill:%s,stroke:%s,stroke-width:2px,color:%s\n", colorEntryFill, colorEntryLine, colorInk)
	w("  classDef success fill:%s,stroke:%s,stroke-width:2px,color:%s\n", colorSuccessBg, colorSuccess, colorInk)
	w("  classDef failure fill:%s,stroke:%s,stroke-width:2px,color:%s\n", colorFailureBg, colorFailure, colorInk)
	w("  classDef exit fill:%s,stroke:%s,stroke-width:2px,stroke-dasharray:4 3,color:%s\n", colorExitBg, colorExit, colorInk)
	w("  classDef handoff fill:%s,stroke:%s,color:%s\n", colorHandoffBg, colorHandoff, colorInk)
	return []byte(b.String())
}
