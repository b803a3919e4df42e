package lint

import "github.com/journeykit/journey/pkg/diag"

var ruleNoOutcome = &Rule{
	ID:       "no-outcome",
	Severity: diag.Error,
	Summary:  "No stage is an outcome.",
	Why: "A journey map is drawn to get customers somewhere: a purchase, an enrolment, a renewal, or a " +
		"clean exit. Without an outcome there is no conversion to measure. Mark the final stages with " +
		"`outcome: success`, `failure` or `exit`.",
	journey: func(p *pass) {
		if p.a.outcomeDoubt {
			return // an outcome that could not be read has its schema finding
		}
		for _, s := range p.j.Stages {
			if s.IsOutcome() {
				return
			}
		}
		if len(p.j.Stages) > 0 {
			p.report(idRange(p.j.ID, p.j.Meta), "", "journey %s has no outcome: mark where customers end with `outcome: success`, `failure` or `exit`", quote(p.j.ID.Value))
		}
	},
}
