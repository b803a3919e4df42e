package lint

import (
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

var ruleUnhandledReason = &Rule{
	ID:       "unhandled-reason",
	Severity: diag.Warning,
	Summary:  "A failure reason with no `next` follow-up.",
	Why: "Knowing why customers are lost is only useful if something happens next: a price objection " +
		"gets a discount offer in three months, a timing objection a reminder before the next intake. " +
		"Give each reason a `next` stage that starts its follow-up. Reasons belong on `outcome: failure` " +
		"stages only; one written on another stage is reported too.",
	journey: func(p *pass) {
		for _, s := range p.j.Stages {
			for _, r := range s.Reasons {
				if s.Outcome != journey.OutcomeFailure {
					p.report(idRange(r.ID, r.Meta), s.ID.Value, "reason %s is on stage %s, which is not an `outcome: failure` stage: reasons explain why customers are lost", quote(r.ID.Value), quote(s.ID.Value))
					continue
				}
				if r.Next.Value == "" && r.ID.Value != "" {
					p.report(idRange(r.ID, r.Meta), s.ID.Value, "failure reason %s of stage %s has no follow-up: add `next` to send these customers somewhere", quote(r.ID.Value), quote(s.ID.Value))
				}
			}
		}
	},
}
