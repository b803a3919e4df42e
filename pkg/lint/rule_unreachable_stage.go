package lint

import "github.com/journeykit/journey/pkg/diag"

var ruleUnreachableStage = &Rule{
	ID:       "unreachable-stage",
	Severity: diag.Error,
	Summary:  "No path leads to the stage from any entry.",
	Why: "A stage no customer can reach is either left over from an earlier version of the journey or " +
		"missing the transition that leads to it. Hand-offs from other journeys of the workspace count as " +
		"entries. Add a `next` that leads here, or remove the stage.",
	journey: func(p *pass) {
		if len(p.a.entries) == 0 {
			return // no-entry says it once, instead of every stage saying it
		}
		// A second stage with a taken id is duplicate-id's finding, not ours.
		for i, s := range p.j.Stages {
			if !p.a.reachable[i] && s.ID.Value != "" && p.a.index[s.ID.Value] == i {
				p.report(idRange(s.ID, s.Meta), s.ID.Value, "stage %s cannot be reached from any entry", quote(s.ID.Value))
			}
		}
	},
}
