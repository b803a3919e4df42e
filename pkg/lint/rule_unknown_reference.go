package lint

import (
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

func (p *pass) unknown(kind string, ref journey.Text, known *names, stage string) {
	if ref.Value == "" || known.set[ref.Value] {
		return
	}
	d := p.report(ref.Range, stage, "unknown %s %s", kind, quote(ref.Value))
	if s := known.suggest(p.sug, ref.Value); s != "" {
		d.Suggestion = diag.Suggest(s, ref.Range)
	}
}

func checkReferences(p *pass) {
	j, cfg := p.j, p.ws.Config
	var phases, stages, personas, channels, teams names
	var h handoffs
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
				p.handoff(t, id, &h)
				continue
			}
			p.unknown("stage", t.To, &stages, id)
		}
	}
}

// handoff checks that a hand-off names an active journey of the workspace
// and a stage of it.
func (p *pass) handoff(t *journey.Transition, stage string, h *handoffs) {
	h.init(p.ws)
	target := h.active[t.Journey.Value]
	if target == nil {
		if other := h.retired[t.Journey.Value]; other != nil {
			p.report(t.Journey.Range, stage, "journey %s is retired: a hand-off into it leads nowhere", quote(t.Journey.Value))
			return
		}
		p.unknown("journey", t.Journey, &h.journeys, stage)
		return
	}
	stages := h.stages[target]
	if stages == nil {
		stages = &names{}
		for _, s := range target.Stages {
			stages.add(s.ID.Value)
		}
		h.stages[target] = stages
	}
	if t.To.Value != "" && !stages.set[t.To.Value] {
		d := p.report(t.To.Range, stage, "unknown stage %s in journey %s", quote(t.To.Value), quote(t.Journey.Value))
		if s := stages.suggest(p.sug, t.To.Value); s != "" {
			d.Suggestion = diag.Suggest(s, t.To.Range)
		}
	}
}

// handoffs indexes the journeys of the workspace once per journey checked,
// however many hand-offs it has.
type handoffs struct {
	done     bool
	journeys names
	active   map[string]*journey.Journey
	retired  map[string]*journey.Journey
	stages   map[*journey.Journey]*names
}

func (h *handoffs) init(ws *journey.Workspace) {
	if h.done {
		return
	}
	h.done = true
	h.active = map[string]*journey.Journey{}
	h.retired = map[string]*journey.Journey{}
	h.stages = map[*journey.Journey]*names{}
	for _, j := range ws.Journeys {
		if j.Retired() {
			if h.retired[j.ID.Value] == nil {
				h.retired[j.ID.Value] = j
			}
			continue
		}
		h.journeys.add(j.ID.Value)
		h.active[j.ID.Value] = j // the last one, as before
	}
}
