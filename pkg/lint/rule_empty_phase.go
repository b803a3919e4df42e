package lint

import "github.com/journeykit/journey/pkg/diag"

var ruleEmptyPhase = &Rule{
	ID:       "empty-phase",
	Severity: diag.Warning,
	Summary:  "A phase with no stage.",
	Why: "An empty column on the map is either a gap in the journey that needs designing or a leftover. " +
		"Add the stages that belong to it, or remove the phase.",
	journey: func(p *pass) {
		used := map[string]bool{}
		for _, s := range p.j.Stages {
			used[s.Phase.Value] = true
		}
		for _, ph := range p.j.Phases {
			if !used[ph.ID.Value] && ph.ID.Value != "" {
				p.report(idRange(ph.ID, ph.Meta), "", "phase %s has no stage", quote(ph.ID.Value))
			}
		}
	},
}
