package lint

import (
	"math"
	"strconv"

	"github.com/journeykit/journey/pkg/diag"
)

// rateTolerance absorbs floating-point error in sums such as 0.1+0.2+0.7.
const rateTolerance = 1e-9

var ruleRateSum = &Rule{
	ID:       "rate-sum",
	Severity: diag.Error,
	Summary:  "The `rate`s of a stage's transitions add up to more than 1.",
	Why: "A rate is the share of customers at a stage who take that transition, so together they can be " +
		"at most 100%. The rest (1 minus the sum) drops off the journey. A sum above 1 means the funnel " +
		"numbers are wrong and every simulation built on them is too.",
	journey: func(p *pass) {
		for _, s := range p.j.Stages {
			sum := 0.0
			for _, t := range s.Next {
				if t.Rate != nil {
					sum += *t.Rate
				}
			}
			if sum > 1+rateTolerance && s.ID.Value != "" {
				p.report(idRange(s.ID, s.Meta), s.ID.Value, "the rates of stage %s add up to %s, more than 1", quote(s.ID.Value), strconv.FormatFloat(math.Round(sum*1e9)/1e9, 'f', -1, 64))
			}
		}
	},
}
