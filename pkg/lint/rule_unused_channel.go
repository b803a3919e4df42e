package lint

import "github.com/journeykit/journey/pkg/diag"

var ruleUnusedChannel = &Rule{
	ID:       "unused-channel",
	Severity: diag.Warning,
	Summary:  "A channel declared in the journey and never used.",
	Why: "A declared channel that no stage or touchpoint uses clutters the map's legend and hints at a " +
		"touchpoint that was forgotten. Use it, or remove it.",
	journey: func(p *pass) {
		used := map[string]bool{}
		for _, s := range p.j.Stages {
			used[s.Channel.Value] = true
			for _, tp := range s.Touchpoints {
				used[tp.Channel.Value] = true
			}
		}
		for _, c := range p.j.Channels {
			if !used[c.ID.Value] && c.ID.Value != "" {
				p.report(idRange(c.ID, c.Meta), "", "channel %s is declared but never used", quote(c.ID.Value))
			}
		}
	},
}
