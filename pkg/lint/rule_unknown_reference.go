package lint

import (
	"fmt"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

var ruleUnknownReference = &Rule{
	ID:       "unknown-reference",
	Severity: diag.Error,
	Summary:  "A phase, stage, persona, channel, team, reason target or hand-off names nothing.",
	Why: "A reference to something that does not exist is usually a typo or a rename that missed a spot; " +
		"the diagram loses an arrow and the analytics lose a path. The message suggests the closest " +
		"existing id when there is one. Channels may be declared ones or the built-in kinds " +
		"(email, sms, web, ...); owners must be workspace `teams` when the workspace lists teams; a " +
		"hand-off into a `retired` journey leads nowhere.",
	journey: checkReferences,
}

// names is a set of ids in a stable order, for suggestions.
type names struct {
	set   map[string]bool
	order []string
}

func (n *names) add(id string) {
	if n.set == nil {
		n.set = map[string]bool{}
	}
	if id != "" && !n.set[id] {
		n.set[id] = true
		n.order = append(n.order, id)
	}
}

func (p *pass) unknown(kind string, ref journey.Text, known *names, stage string) {
	if ref.Value == "" || known.set[ref.Value] {
		return
	}
	msg := fmt.Sprintf("unknown %s %q", kind, ref.Value)
	if s := journey.Closest(ref.Value, known.order); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	p.report(ref.Range, stage, "%s", msg)
}

func checkReferences(p *pass) {
	j, cfg := p.j, p.ws.Config
	var phases, stages, personas, channels, teams names
	for _, ph := range j.Phases {
		phases.add(ph.ID.Value)
	}
	for _, s := range j.Stages {
		stages.add(s.ID.Value)
	}
	for _, pe := range j.Personas {
		personas.add(pe.ID.Value)
	}
	for _, c := range j.Channels {
		channels.add(c.ID.Value)
	}
	if cfg != nil {
		for _, pe := range cfg.Personas {
			personas.add(pe.ID.Value)
		}
		for _, c := range cfg.Channels {
			channels.add(c.ID.Value)
		}
		for _, t := range cfg.Teams {
			teams.add(t.Value)
		}
	}
	for _, c := range journey.BuiltinChannels {
		channels.add(c)
	}
	checkTeams := cfg != nil && len(cfg.Teams) > 0
	team := func(owner journey.Text, stage string) {
		if checkTeams {
			p.unknown("team", owner, &teams, stage)
		}
	}
	team(j.Owner, "")
	for _, ph := range j.Phases {
		team(ph.Owner, "")
	}
	for _, s := range j.Stages {
		id := s.ID.Value
		p.unknown("phase", s.Phase, &phases, id)
		team(s.Owner, id)
		for _, pe := range s.Personas {
			p.unknown("persona", pe, &personas, id)
		}
		for _, pe := range s.Emotion.PerPersona {
			p.unknown("persona", pe.Persona, &personas, id)
		}
		p.unknown("channel", s.Channel, &channels, id)
		for _, tp := range s.Touchpoints {
			p.unknown("channel", tp.Channel, &channels, id)
			team(tp.Owner, id)
		}
		for _, r := range s.Reasons {
			p.unknown("stage", r.Next, &stages, id)
		}
		for _, t := range s.Next {
			if t.IsHandoff() && t.Journey.Value != j.ID.Value {
				p.handoff(t, id)
				continue
			}
			p.unknown("stage", t.To, &stages, id)
		}
	}
}

// handoff checks that a hand-off names an active journey of the workspace
// and a stage of it.
func (p *pass) handoff(t *journey.Transition, stage string) {
	var journeys names
	var target *journey.Journey
	for _, other := range p.ws.Journeys {
		if other.Retired() {
			continue
		}
		journeys.add(other.ID.Value)
		if other.ID.Value == t.Journey.Value {
			target = other
		}
	}
	if target == nil {
		if other := p.ws.Journey(t.Journey.Value); other != nil && other.Retired() {
			p.report(t.Journey.Range, stage, "journey %q is retired: a hand-off into it leads nowhere", t.Journey.Value)
			return
		}
		p.unknown("journey", t.Journey, &journeys, stage)
		return
	}
	var stages names
	for _, s := range target.Stages {
		stages.add(s.ID.Value)
	}
	if t.To.Value != "" && !stages.set[t.To.Value] {
		msg := fmt.Sprintf("unknown stage %q in journey %q", t.To.Value, t.Journey.Value)
		if s := journey.Closest(t.To.Value, stages.order); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		p.report(t.To.Range, stage, "%s", msg)
	}
}
