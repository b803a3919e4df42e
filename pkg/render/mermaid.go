package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// Mermaid writes the flow view as a Mermaid flowchart (LR or TB as
// opts.Direction resolves for the flow view): phases as subgraphs,
// node ids made safe (s0, s1... in file order), every label escaped. Under
// opts.Marks, a marked stage takes its style's class (a classDef each) and
// a marked link is coloured by linkStyle, dashed when its style is.
func Mermaid(j *journey.Journey, opts Options) []byte {
	g := newFlowGraph(j, opts)
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	if g.tb {
		w("flowchart TB\n")
	} else {
		w("flowchart LR\n")
	}
	inPhase := map[string][]*journey.Stage{}
	for _, s := range g.stages {
		inPhase[s.Phase.Value] = append(inPhase[s.Phase.Value], s)
	}
	node := func(s *journey.Stage, indent string) {
		name := s.Name
		if name == "" {
			name = s.ID.Value
		}
		mark, style := g.stageMark(s.ID.Value)
		label := escape.Mermaid(svgtext.Truncate(style.prefix()+name, maxTextRunes))
		if line := g.idLine(s.ID.Value, mark, 80, 80, " → "); line != "" {
			label += "<br>" + escape.Mermaid(line)
		}
		if mark.Note != "" {
			label += "<br>" + escape.Mermaid(svgtext.Truncate(mark.Note, maxNoteRunes))
		}
		n := g.name[s.ID.Value]
		if g.marks != nil {
			// Shapes tell the roles; classes are the marks alone.
			class := ""
			if style != nil {
				class = ":::" + style.Class
			}
			switch {
			case s.Outcome != "":
				w("%s%s([\"%s\"])%s\n", indent, n, label, class)
			case s.Entry:
				w("%s%s[/\"%s\"/]%s\n", indent, n, label, class)
			default:
				w("%s%s[\"%s\"]%s\n", indent, n, label, class)
			}
			return
		}
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
		w("  subgraph p%d[\"%s\"]\n", i, escape.Mermaid(svgtext.Truncate(name, maxTextRunes)))
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
	links := 0                       // Mermaid numbers the links in order, for linkStyle
	marked := map[*MarkStyle][]int{} // the links of each style
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
					w("  %s>\"%s\"]:::handoff\n", to, escape.Mermaid("hand-off: "+svgtext.Truncate(t.Journey.Value, maxTextRunes)+" / "+svgtext.Truncate(t.To.Value, maxTextRunes)))
				}
			}
			if to == "" {
				continue
			}
			mark, style := g.transitionMark(t)
			arrow := "-->"
			if style != nil {
				marked[style] = append(marked[style], links)
				if style.Dashed {
					arrow = "-.->"
				}
			}
			links++
			if label := markedLabel(transitionLabel(t), mark, style); label != "" {
				w("  %s %s|\"%s\"| %s\n", from, arrow, escape.Mermaid(label), to)
			} else {
				w("  %s %s %s\n", from, arrow, to)
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
			links++
			w("  %s -.->|\"%s\"| %s\n", from, escape.Mermaid(svgtext.Truncate(label, maxTextRunes)), to)
		}
	}
	if g.marks != nil {
		for _, st := range g.marks.Legend.styles() {
			st = g.styles[st.Class]
			w("  classDef %s %s\n", st.Class, st.mermaidClass())
			if idx := marked[st]; len(idx) > 0 {
				nums := make([]string, len(idx))
				for i, n := range idx {
					nums[i] = strconv.Itoa(n)
				}
				w("  linkStyle %s %s\n", strings.Join(nums, ","), st.mermaidLink())
			}
		}
		if len(handoffs) > 0 {
			w("  classDef handoff fill:%s,stroke:%s,color:%s\n", colorHandoffBg, colorHandoff, colorInk)
		}
		return []byte(b.String())
	}
	w("  classDef entry fill:%s,stroke:%s,stroke-width:2px,color:%s\n", colorEntryFill, colorEntryLine, colorInk)
	w("  classDef success fill:%s,stroke:%s,stroke-width:2px,color:%s\n", colorSuccessBg, colorSuccess, colorInk)
	w("  classDef failure fill:%s,stroke:%s,stroke-width:2px,color:%s\n", colorFailureBg, colorFailure, colorInk)
	w("  classDef exit fill:%s,stroke:%s,stroke-width:2px,stroke-dasharray:4 3,color:%s\n", colorExitBg, colorExit, colorInk)
	w("  classDef handoff fill:%s,stroke:%s,color:%s\n", colorHandoffBg, colorHandoff, colorInk)
	return []byte(b.String())
}

// mermaidClass is the style as a Mermaid classDef.
func (st *MarkStyle) mermaidClass() string {
	var parts []string
	if st.Fill != "" {
		parts = append(parts, "fill:"+st.Fill)
	}
	if st.Line != "" {
		parts = append(parts, "stroke:"+st.Line)
	}
	parts = append(parts, "stroke-width:2px")
	if st.Dashed {
		parts = append(parts, "stroke-dasharray:4 3")
	}
	return strings.Join(append(parts, "color:"+colorInk), ",")
}

// mermaidLink is the style as a Mermaid linkStyle.
func (st *MarkStyle) mermaidLink() string {
	if st.Line == "" {
		return "stroke-width:2px"
	}
	return "stroke:" + st.Line + ",stroke-width:2px,color:" + st.Line
}
