package lint

import "github.com/journeykit/journey/pkg/diag"

var ruleDeadEnd = &Rule{
	ID:       "dead-end",
	Severity: diag.Error,
	Summary:  "A stage that is not an outcome has no outgoing transition.",
	Why: "Customers who reach a dead end are stuck: the map does not say what happens to them next, and " +
		"nobody owns getting them out. Add a `next` transition, or mark the stage as an `outcome` if the " +
		"journey really ends there.",
	journey: func(p *pass) {
		for i, s := range p.j.Stages {
			if d := p.a.doubt[i]; d.outcome || d.next {
				continue // the schema finding on the value is the one finding
			}
			if !s.IsOutcome() && len(s.Next) == 0 && s.ID.Value != "" {
				p.report(idRange(s.ID, s.Meta), s.ID.Value, "stage %s is a dead end: it is not an outcome and has no `next`", quote(s.ID.Value))
			}
		}
	},
}
