package render

import (
	"github.com/journeykit/journey/pkg/journey"
)

// WithCatalog returns j with the personas and channels it uses but does
// not declare taken from the workspace catalog cfg (its .journey.yaml), so
// that the views name them ("Small-business owner", not
// small-business-owner). Only the entries the journey refers to are added
// (a stage's personas and per-persona emotions, a stage's or touchpoint's
// channel), after the journey's own, in the catalog's order; a journey's
// own declaration wins. j is returned as it is when nothing is added; else
// a copy (the stages are shared).
func WithCatalog(j *journey.Journey, cfg *journey.Config) *journey.Journey {
	if j == nil || cfg == nil || len(cfg.Personas) == 0 && len(cfg.Channels) == 0 {
		return j
	}
	usedP, usedC := map[string]bool{}, map[string]bool{}
	for _, s := range j.Stages {
		if s == nil {
			continue
		}
		for _, p := range s.Personas {
			usedP[p.Value] = true
		}
		for _, pe := range s.Emotion.PerPersona {
			usedP[pe.Persona.Value] = true
		}
		usedC[s.Channel.Value] = true
		for _, t := range s.Touchpoints {
			if t != nil {
				usedC[t.Channel.Value] = true
			}
		}
	}
	for _, p := range j.Personas {
		if p != nil {
			delete(usedP, p.ID.Value)
		}
	}
	for _, c := range j.Channels {
		if c != nil {
			delete(usedC, c.ID.Value)
		}
	}
	var personas []*journey.Persona
	for _, p := range cfg.Personas {
		if p != nil && usedP[p.ID.Value] {
			delete(usedP, p.ID.Value) // the first of duplicates
			personas = append(personas, p)
		}
	}
	var channels []*journey.Channel
	for _, c := range cfg.Channels {
		if c != nil && usedC[c.ID.Value] {
			delete(usedC, c.ID.Value)
			channels = append(channels, c)
		}
	}
	if len(personas) == 0 && len(channels) == 0 {
		return j
	}
	cp := *j
	cp.Personas = append(append([]*journey.Persona(nil), j.Personas...), personas...)
	cp.Channels = append(append([]*journey.Channel(nil), j.Channels...), channels...)
	return &cp
}
