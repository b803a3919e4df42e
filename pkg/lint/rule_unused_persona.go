package lint

import "github.com/journeykit/journey/pkg/diag"

var ruleUnusedPersona = &Rule{
	ID:       "unused-persona",
	Severity: diag.Warning,
	Summary:  "A persona of the journey that no stage uses.",
	Why: "When stages say which personas pass through them, a persona that none names is either missing " +
		"from the stages it travels or no longer part of this journey. The rule is skipped when no stage " +
		"names personas (then every stage is for every persona).",
	journey: func(p *pass) {
		used := map[string]bool{}
		named := false
		for _, s := range p.j.Stages {
			for _, pe := range s.Personas {
				used[pe.Value], named = true, true
			}
			for _, pe := range s.Emotion.PerPersona {
				used[pe.Persona.Value], named = true, true
			}
		}
		if !named {
			return
		}
		for _, pe := range p.j.Personas {
			if !used[pe.ID.Value] && pe.ID.Value != "" {
				p.report(idRange(pe.ID, pe.Meta), "", "persona %s is declared but no stage names it", quote(pe.ID.Value))
			}
		}
	},
}
