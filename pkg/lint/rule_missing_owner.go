package lint

import "github.com/journeykit/journey/pkg/diag"

var ruleMissingOwner = &Rule{
	ID:       "missing-owner",
	Severity: diag.Warning,
	Summary:  "No team owns the stage (its own owner, its phase's or the journey's).",
	Why: "A stage nobody owns is a stage nobody improves. Set `owner` on the stage, on its phase, or on " +
		"the journey as the default for every stage.",
	journey: func(p *pass) {
		for _, s := range p.j.Stages {
			if team, _ := p.j.OwnerOf(s); team != "" || s.ID.Value == "" {
				continue
			}
			p.report(idRange(s.ID, s.Meta), s.ID.Value, "stage %s has no owner: set `owner` on it, its phase or the journey", quote(s.ID.Value))
		}
	},
}
