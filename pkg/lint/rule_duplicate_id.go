package lint

import (
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

var ruleDuplicateID = &Rule{
	ID:       "duplicate-id",
	Severity: diag.Error,
	Summary:  "An id is defined twice.",
	Why: "Ids are how stages, phases, personas and channels refer to each other, and how analytics and " +
		"`journey diff` follow them over time. Two things with one id make every reference to it ambiguous. " +
		"Ids are unique per kind inside a journey (touchpoints and reasons per stage); journey ids are unique " +
		"in the workspace. Rename one of them.",
	journey:   checkDuplicateIDs,
	workspace: checkDuplicateJourneys,
}

func checkDuplicateIDs(p *pass) {
	j := p.j
	unique := func(kind, stage string, ids []journey.Text) {
		first := map[string]journey.Text{}
		for _, id := range ids {
			if id.Value == "" {
				continue
			}
			if f, dup := first[id.Value]; dup {
				p.report(id.Range, stage, "duplicate %s id %s", kind, quote(id.Value)).Related = firstDefined(p.j.File, f.Range)
				continue
			}
			first[id.Value] = id
		}
	}
	ids := func(n int, at func(int) journey.Text) []journey.Text {
		out := make([]journey.Text, n)
		for i := range out {
			out[i] = at(i)
		}
		return out
	}
	unique("phase", "", ids(len(j.Phases), func(i int) journey.Text { return j.Phases[i].ID }))
	unique("persona", "", ids(len(j.Personas), func(i int) journey.Text { return j.Personas[i].ID }))
	unique("channel", "", ids(len(j.Channels), func(i int) journey.Text { return j.Channels[i].ID }))
	stageIDs := ids(len(j.Stages), func(i int) journey.Text { return j.Stages[i].ID })
	first := map[string]journey.Text{}
	for _, id := range stageIDs {
		if f, dup := first[id.Value]; dup && id.Value != "" {
			p.report(id.Range, id.Value, "duplicate stage id %s", quote(id.Value)).Related = firstDefined(p.j.File, f.Range)
		} else {
			first[id.Value] = id
		}
	}
	for _, s := range j.Stages {
		unique("touchpoint", s.ID.Value, ids(len(s.Touchpoints), func(i int) journey.Text { return s.Touchpoints[i].ID }))
		unique("reason", s.ID.Value, ids(len(s.Reasons), func(i int) journey.Text { return s.Reasons[i].ID }))
	}
}

func checkDuplicateJourneys(p *workspacePass) {
	first := map[string]*journey.Journey{}
	for _, j := range p.ws.Journeys {
		id := j.ID.Value
		if id == "" {
			continue
		}
		if f, dup := first[id]; dup {
			p.report(j, idRange(j.ID, j.Meta), "duplicate journey id %s", quote(id)).Related = firstDefined(f.File, idRange(f.ID, f.Meta))
			continue
		}
		first[id] = j
	}
}
