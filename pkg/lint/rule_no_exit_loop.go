package lint

import "github.com/journeykit/journey/pkg/diag"

var ruleNoExitLoop = &Rule{
	ID:       "no-exit-loop",
	Severity: diag.Error,
	Summary:  "A loop of stages from which no outcome can be reached: customers are trapped.",
	Why: "Nurture and re-engagement loops are normal, but every loop needs a way out: a conversion, a " +
		"failure with a reason, or an exit such as unsubscribing. A loop without one keeps customers " +
		"cycling forever. Add a transition from one of its stages to an outcome (or a hand-off).",
	journey: func(p *pass) {
		for _, loop := range p.a.loops {
			trapped := true
			for _, i := range loop {
				if p.a.canExit[i] {
					trapped = false
					break
				}
			}
			if trapped {
				first := p.j.Stages[loop[0]]
				p.report(idRange(first.ID, first.Meta), first.ID.Value, "customers are trapped: stages %s form a loop with no way to an outcome", stageList(p.j, loop))
			}
		}
	},
}
