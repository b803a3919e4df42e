package render

import (
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/svgtext"
)

// Marks is the styling hook of the flow view: a caller that knows
// something about the stages and transitions of a journey (the diff: which
// are added, removed, changed or renamed) says per element which mark it
// carries, and the flow writers (DOT, so SVG and PNG, and Mermaid) draw it.
// To show elements that are not in a journey (the removed ones), draw a
// journey that has them: the caller builds it, render only draws.
//
// Under marks, fill and line colours carry the marks alone: unmarked
// stages are plain whatever their role (badges, double borders, shapes and
// start markers still tell entries and outcomes apart), failure follow-ups
// are grey and dotted, and the legend lists the marks. A marked element's
// label starts with its style's prefix, so colour is never the only
// carrier of a mark.
//
// The same marks can later draw an HTML page: Class names each style for
// CSS as it names Mermaid's classDef and the SVG's class attribute.
type Marks struct {
	Legend
	// Stages marks stages by id.
	Stages map[string]Mark
	// Transitions marks transitions of the drawn journey, by identity.
	Transitions map[*journey.Transition]Mark
	// IDs writes each stage's id under its name ("old → new" for a stage
	// with a RenamedFrom).
	IDs bool
}

// Legend lists the styles of marks, in legend order.
type Legend struct {
	Styles []MarkStyle
	// Unmarked is the legend's text for unmarked elements ("UNCHANGED"),
	// or "" for no entry.
	Unmarked string
}

// MarkStyle is how one kind of mark looks.
type MarkStyle struct {
	// Class names the style: an identifier (letters, digits, '_' and '-',
	// not starting with a digit or '-'); a style with another name is
	// ignored. It is the Mermaid classDef, the SVG class attribute and,
	// later, the HTML class of the marked elements.
	Class string
	// Text is the style's legend entry ("+ ADDED").
	Text string
	// Prefix starts the label of every marked element ("+ ").
	Prefix string
	// Fill and Line are #rrggbb colours: the fill of a marked stage, the
	// line and text colour of a marked stage's border and of a marked
	// transition. "" (or anything but #rrggbb) keeps the plain colour.
	Fill, Line string
	// Dashed draws marked stages' borders and marked transitions dashed.
	Dashed bool
}

// Mark is what one stage or transition carries.
type Mark struct {
	// Class is one of the Legend's styles; a mark of an unknown class
	// draws only its note and former id.
	Class string
	// Note is an extra line of the label ("wait 4d → 3d").
	Note string
	// RenamedFrom is a stage's former id, shown with its id.
	RenamedFrom string
}

// maxNoteRunes bounds a mark's note in a label.
const maxNoteRunes = 80

// byClass is the valid styles by class, with colours that are not
// #rrggbb dropped.
func (m *Marks) byClass() map[string]*MarkStyle {
	out := map[string]*MarkStyle{}
	for _, st := range m.Styles {
		if !validClass(st.Class) || out[st.Class] != nil {
			continue
		}
		st := st
		if !validColor(st.Fill) {
			st.Fill = ""
		}
		if !validColor(st.Line) {
			st.Line = ""
		}
		out[st.Class] = &st
	}
	return out
}

// styles is the valid styles in legend order.
func (l Legend) styles() []*MarkStyle {
	m := &Marks{Legend: l}
	by := m.byClass()
	var out []*MarkStyle
	for _, st := range l.Styles {
		if s := by[st.Class]; s != nil {
			out = append(out, s)
			delete(by, st.Class)
		}
	}
	return out
}

// cells are the legend's entries as Graphviz HTML-like table cells.
func (l Legend) cells() []string {
	var cells []string
	for _, st := range l.styles() {
		fill, line := st.Fill, st.Line
		if fill == "" {
			fill = colorStageFill
		}
		if line == "" {
			line = colorStageLine
		}
		text := st.Text
		if text == "" {
			text = st.Class
		}
		cells = append(cells, legendCell(fill, line, escape.DOTHTML(svgtext.Truncate(text, 40))))
	}
	if l.Unmarked != "" {
		cells = append(cells, legendCell(colorStageFill, colorStageLine, escape.DOTHTML(svgtext.Truncate(l.Unmarked, 40))))
	}
	return cells
}

func validClass(c string) bool {
	for i, r := range c {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		case (r >= '0' && r <= '9' || r == '-') && i > 0:
		default:
			return false
		}
	}
	return c != ""
}

func validColor(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	for _, r := range c[1:] {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return false
		}
	}
	return true
}

// stageMark is the mark of a stage and its style (nil when unmarked or of
// an unknown class).
func (g *flowGraph) stageMark(id string) (Mark, *MarkStyle) {
	if g.marks == nil {
		return Mark{}, nil
	}
	m := g.marks.Stages[id]
	return m, g.styles[m.Class]
}

// transitionMark is the mark of a transition and its style.
func (g *flowGraph) transitionMark(t *journey.Transition) (Mark, *MarkStyle) {
	if g.marks == nil {
		return Mark{}, nil
	}
	m := g.marks.Transitions[t]
	return m, g.styles[m.Class]
}

// idLine is the id written under a stage's name under marks: its id (cut
// to idMax runes) after its former one (cut to oldMax) and arrow with
// Marks.IDs, else "renamed from" its former id, else "".
func (g *flowGraph) idLine(id string, m Mark, oldMax, idMax int, arrow string) string {
	switch {
	case g.marks == nil:
		return ""
	case g.marks.IDs && m.RenamedFrom != "":
		return svgtext.Truncate(m.RenamedFrom, oldMax) + arrow + svgtext.Truncate(id, idMax)
	case g.marks.IDs:
		return svgtext.Truncate(id, idMax)
	case m.RenamedFrom != "":
		return "renamed from " + svgtext.Truncate(m.RenamedFrom, oldMax)
	}
	return ""
}

// prefix is the style's label prefix ("" for no style).
func (st *MarkStyle) prefix() string {
	if st == nil {
		return ""
	}
	return st.Prefix
}

// markedLabel is a transition's label with its mark: the prefix before
// it, the note on a line after it. Unmarked, the label is unchanged.
func markedLabel(label string, m Mark, st *MarkStyle) string {
	if st == nil && m.Note == "" {
		return label
	}
	head := st.prefix() + label
	if m.Note != "" {
		note := svgtext.Truncate(m.Note, maxNoteRunes)
		if label == "" {
			head = st.prefix() + note
		} else {
			head += "\n" + note
		}
	}
	return strings.TrimSpace(head)
}

// nodeAttrs are the DOT attributes of a stage with this style.
func (st *MarkStyle) nodeAttrs() []string {
	var attrs []string
	if st.Fill != "" {
		attrs = append(attrs, "fillcolor=\""+st.Fill+"\"")
	}
	if st.Line != "" {
		attrs = append(attrs, "color=\""+st.Line+"\"")
	}
	attrs = append(attrs, "penwidth=2")
	if st.Dashed {
		attrs = append(attrs, "style=\"rounded,filled,dashed\"")
	}
	return append(attrs, "class="+escape.DOTString(st.Class))
}

// edgeAttrs are the DOT attributes of a transition with this style.
func (st *MarkStyle) edgeAttrs() []string {
	var attrs []string
	if st.Line != "" {
		attrs = append(attrs, "color=\""+st.Line+"\"", "fontcolor=\""+st.Line+"\"")
	}
	attrs = append(attrs, "penwidth=2")
	if st.Dashed {
		attrs = append(attrs, "style=dashed")
	}
	return append(attrs, "class="+escape.DOTString(st.Class))
}
