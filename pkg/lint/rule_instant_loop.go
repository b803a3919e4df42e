package lint

import "github.com/journeykit/journey/pkg/diag"

var ruleInstantLoop = &Rule{
	ID:       "instant-loop",
	Severity: diag.Warning,
	Summary:  "A loop none of whose transitions waits (no `after`).",
	Why: "A loop that never waits would send customers around it instantly: the same e-mail again and " +
		"again in the same minute. Real loops wait between turns (a reminder every 2 days). Give at least " +
		"one transition of the loop an `after` delay.",
	journey: func(p *pass) {
		inLoop := map[int]int{}
		for k, loop := range p.a.loops {
			for _, i := range loop {
				inLoop[i] = k
			}
		}
		delayed := make([]bool, len(p.a.loops))
		for _, e := range p.a.edges {
			k, ok := inLoop[e.from]
			if ok && e.delayed {
				if k2, ok2 := inLoop[e.to]; ok2 && k2 == k {
					delayed[k] = true
				}
			}
		}
		for k, loop := range p.a.loops {
			if delayed[k] {
				continue
			}
			first := p.j.Stages[loop[0]]
			if len(loop) == 1 {
				p.report(idRange(first.ID, first.Meta), first.ID.Value, "stage %s leads back to itself with no `after` delay", quote(first.ID.Value))
				continue
			}
			p.report(idRange(first.ID, first.Meta), first.ID.Value, "stages %s form a loop with no `after` delay: customers would go round it instantly", stageList(p.j, loop))
		}
	},
}
