package lint

import (
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

var ruleDuplicateTransition = &Rule{
	ID:       "duplicate-transition",
	Severity: diag.Warning,
	Summary:  "Two transitions of a stage with the same target and the same `when`.",
	Why: "Two identical edges split one path in two: their rates are counted twice and diagrams draw two " +
		"arrows for one move. Merge them, or give them different `when` conditions.",
	journey: func(p *pass) {
		type key struct{ journey, to, when string }
		for _, s := range p.j.Stages {
			first := map[key]journey.Range{}
			for _, t := range s.Next {
				k := key{t.Journey.Value, t.To.Value, t.When}
				if at, dup := first[k]; dup {
					p.report(t.To.Range, s.ID.Value, "stage %s already has a transition to %s with the same `when`", quote(s.ID.Value), quote(t.To.Value)).Related =
						firstDefined(p.j.File, at)
					continue
				}
				first[k] = t.To.Range
			}
		}
	},
}
