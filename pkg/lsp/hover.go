package lsp

import (
	"fmt"
	"strings"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/lint"
)

// mdEscape keeps text from a user's file literal in Markdown.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '{', '}', '(', ')', '!', '~':
			b.WriteByte('\\')
		case '\n', '\r':
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func code(s string) string { return "`" + strings.ReplaceAll(s, "`", "'") + "`" }

func (f *sfile) isConfig() bool { return f.set != nil && f.set.config == f }

func (f *sfile) schema() *jsonSchema {
	j, c := schemas()
	if f.isConfig() {
		return c
	}
	return j
}

func (st *state) hover(p TextDocumentPositionParams) *Hover {
	f := st.file(p.TextDocument.URI)
	if f == nil {
		return nil
	}
	t := f.text()
	off := t.offset(p.Position)
	here := t.ourPos(off)
	var parts []string
	var rng *Range

	// Findings under the cursor: their rule.
	for _, d := range f.set.findings[f.abs] {
		if !contains(d.Range, here) {
			continue
		}
		if r := lint.RuleByID(d.Rule); r != nil {
			parts = append(parts, fmt.Sprintf("**%s** (%s): %s\n\n[%s in docs/rules.md](%s#%s)", r.ID, d.Severity, r.Summary, r.ID, diag.DocsURL, r.ID))
		}
	}
	if o, ix := f.at(p.Position); o != nil {
		r := o.file.text().rangeToLSP(o.rng)
		rng = &r
		parts = append(parts, st.describe(f.set, ix, o.sym))
	} else if c := cursorAt(t, off); c.onKey {
		if d := f.schema().description(f.schema().property(c.lineKeyPath, c.lineKey)); d != "" {
			r := Range{Start: t.position(c.keyStart), End: t.position(c.keyEnd)}
			rng = &r
			parts = append(parts, code(c.lineKey)+": "+d)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return &Hover{Contents: MarkupContent{Kind: "markdown", Value: strings.Join(parts, "\n\n---\n\n")}, Range: rng}
}

// describe says what a symbol is.
func (st *state) describe(set *wset, ix *index, sym symbol) string {
	switch sym.kind {
	case kindStage:
		s, f := ix.stageOf(set, sym)
		if s == nil {
			return "stage " + code(sym.id) + " (not defined)"
		}
		return describeStage(set, ix, f, s)
	case kindJourney:
		if f := ix.journeys[sym.id]; f != nil && f.nav != nil {
			j := f.nav
			return fmt.Sprintf("journey %s: %s\n\n%d stages, in %s", code(j.ID.Value), mdEscape(j.Title), len(j.Stages), code(f.display))
		}
		return "journey " + code(sym.id) + " (not in the workspace)"
	}
	for _, i := range ix.bySym[sym] {
		o := ix.occs[i]
		if !o.def {
			continue
		}
		name := ""
		switch sym.kind {
		case kindPhase:
			if o.file.nav != nil {
				if ph := o.file.nav.Phase(sym.id); ph != nil {
					name = ph.Name
				}
			}
		case kindPersona, kindChannel:
			name = defName(o)
		}
		return fmt.Sprintf("%s %s: %s", sym.kind, code(sym.id), mdEscape(name))
	}
	if sym.kind == kindChannel && sym.scope == builtinScope {
		return "channel " + code(sym.id) + ": a built-in channel kind"
	}
	return sym.kind.String() + " " + code(sym.id) + " (not defined)"
}

func defName(o occurrence) string {
	var personas []*journey.Persona
	var channels []*journey.Channel
	if o.file.isConfig() && o.file.file != nil && o.file.file.Config != nil {
		personas, channels = o.file.file.Config.Personas, o.file.file.Config.Channels
	} else if o.file.nav != nil {
		personas, channels = o.file.nav.Personas, o.file.nav.Channels
	}
	if o.sym.kind == kindPersona {
		for _, p := range personas {
			if p.ID.Value == o.sym.id {
				return p.Name
			}
		}
	}
	for _, c := range channels {
		if c.ID.Value == o.sym.id {
			if c.Kind != "" {
				return c.Name + " (" + c.Kind + ")"
			}
			return c.Name
		}
	}
	return ""
}

func describeStage(set *wset, ix *index, f *sfile, s *journey.Stage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "stage %s", code(s.ID.Value))
	if s.Name != "" {
		fmt.Fprintf(&b, ": **%s**", mdEscape(s.Name))
	}
	b.WriteString("\n\n")
	if s.Phase.Value != "" {
		fmt.Fprintf(&b, "phase %s", code(s.Phase.Value))
		if ph := f.nav.Phase(s.Phase.Value); ph != nil && ph.Name != "" {
			fmt.Fprintf(&b, " (%s)", mdEscape(ph.Name))
		}
		b.WriteString("  \n")
	}
	if s.Entry {
		b.WriteString("entry stage  \n")
	}
	if s.IsOutcome() {
		fmt.Fprintf(&b, "outcome: %s  \n", code(s.Outcome))
	}
	var out []string
	for _, t := range s.Next {
		if t.IsHandoff() && t.Journey.Value != f.nav.ID.Value {
			out = append(out, code(t.Journey.Value+"/"+t.To.Value)+" (hand-off)")
		} else {
			out = append(out, code(t.To.Value))
		}
	}
	for _, r := range s.Reasons {
		if r.Next.Value != "" {
			out = append(out, code(r.Next.Value)+" (reason "+code(r.ID.Value)+")")
		}
	}
	var in []string
	for _, i := range ix.bySym[symbol{kindStage, f.abs, s.ID.Value}] {
		o := ix.occs[i]
		if o.def || o.file.nav == nil {
			continue
		}
		from := stageAround(o.file.nav, o.rng.Start)
		if from == "" {
			continue
		}
		if o.file != f {
			in = append(in, code(o.file.nav.ID.Value+"/"+from)+" (hand-off)")
		} else {
			in = append(in, code(from))
		}
	}
	if len(in) > 0 {
		b.WriteString("\nincoming: " + strings.Join(in, ", ") + "  \n")
	}
	if len(out) > 0 {
		b.WriteString("\noutgoing: " + strings.Join(out, ", ") + "  \n")
	}
	return strings.TrimRight(b.String(), " \n")
}

// stageAround is the id of the stage whose object holds p.
func stageAround(j *journey.Journey, p journey.Pos) string {
	for _, s := range j.Stages {
		if contains(s.Meta.Range, p) {
			return s.ID.Value
		}
	}
	return ""
}
