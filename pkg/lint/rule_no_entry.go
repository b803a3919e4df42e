package lint

import "github.com/journeykit/journey/pkg/diag"

var ruleNoEntry = &Rule{
	ID:       "no-entry",
	Severity: diag.Error,
	Summary:  "No stage is an entry, and no hand-off from another journey leads in.",
	Why: "A journey needs a place where customers start: without one, nothing in it can be reached and " +
		"its rates and simulations mean nothing. Mark the first stage (or stages) with `entry: true`, or " +
		"hand customers over from another journey of the workspace.",
	journey: func(p *pass) {
		if len(p.a.entries) == 0 && len(p.j.Stages) > 0 {
			p.report(idRange(p.j.ID, p.j.Meta), "", "journey %s has no entry: mark the stage where customers start with `entry: true`", quote(p.j.ID.Value))
		}
	},
}
