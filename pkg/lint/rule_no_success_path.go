package lint

import (
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

var ruleNoSuccessPath = &Rule{
	ID:       "no-success-path",
	Severity: diag.Warning,
	Summary:  "No `success` outcome can be reached from any entry.",
	Why: "A journey where every path ends in `failure` or `exit` cannot convert anyone: either the stage " +
		"where customers succeed is missing, is not marked `outcome: success`, or no transition leads to it. " +
		"Hand-offs from other journeys of the workspace count as entries. Mark the stage where the journey " +
		"reaches its goal with `outcome: success` and make sure a path leads there.",
	journey: func(p *pass) {
		// no-entry and no-outcome say it once when there is nothing to walk
		// from or to.
		if len(p.a.entries) == 0 {
			return
		}
		outcomes := false
		for i, s := range p.j.Stages {
			if s.IsOutcome() || p.a.doubt[i].outcome {
				outcomes = true
			}
			if p.a.reachable[i] && (s.Outcome == journey.OutcomeSuccess || p.a.doubt[i].outcome) {
				return
			}
		}
		if !outcomes {
			return
		}
		p.report(idRange(p.j.ID, p.j.Meta), "", "journey %s has no path from an entry to a `success` outcome", quote(p.j.ID.Value))
	},
}
