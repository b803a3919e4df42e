package render

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
)

// MermaidJourney writes j as Mermaid's user-journey diagram, the canvas
// view in Mermaid: `journey`, the title, a `section` per phase (in file
// order; stages of an undeclared phase go to a last section "Other") and
// a task per stage, `Name: score: actor, actor`. The score is the stage's
// emotion + 3 (Mermaid's 1..5; 3 when the stage has none; the mean of a
// per-persona emotion, rounded toward zero, unless opts.Persona picks one),
// and the actors are the names of the personas who pass the stage (all of
// them when it lists none). Text goes through escape.MermaidJourney*:
// the diagram has no quoting, so the characters its grammar reserves are
// written in their full-width forms. journey import mermaid reads it back.
func MermaidJourney(j *journey.Journey, opts Options) []byte {
	var b bytes.Buffer
	b.WriteString("journey\n")
	title := strings.TrimSpace(escape.MermaidJourneyTitle(j.Title))
	if title == "" {
		title = escape.MermaidJourneyTitle(j.ID.Value)
	}
	if title != "" {
		fmt.Fprintf(&b, "  title %s\n", title)
	}

	names := map[string]string{} // persona id -> name
	var all []string
	for _, p := range j.Personas {
		if p == nil || p.ID.Value == "" {
			continue
		}
		if _, dup := names[p.ID.Value]; dup {
			continue
		}
		name := p.Name
		if strings.TrimSpace(name) == "" {
			name = p.ID.Value
		}
		names[p.ID.Value] = name
		all = append(all, p.ID.Value)
	}

	type section struct {
		name   string
		stages []*journey.Stage
	}
	var sections []*section
	byPhase := map[string]*section{}
	for _, p := range j.Phases {
		if p == nil {
			continue
		}
		name := p.Name
		if strings.TrimSpace(name) == "" {
			name = p.ID.Value
		}
		s := &section{name: name}
		sections = append(sections, s)
		if _, dup := byPhase[p.ID.Value]; !dup && p.ID.Value != "" {
			byPhase[p.ID.Value] = s
		}
	}
	var other *section
	for _, st := range j.Stages {
		if st == nil || !st.Passes(opts.Persona) {
			continue
		}
		s := byPhase[st.Phase.Value]
		if s == nil {
			if other == nil {
				other = &section{name: "Other"}
			}
			s = other
		}
		s.stages = append(s.stages, st)
	}
	if other != nil {
		sections = append(sections, other)
	}

	for i, s := range sections {
		name := escape.MermaidJourneySection(s.name)
		if name == "" {
			name = fmt.Sprintf("Phase %d", i+1)
		}
		fmt.Fprintf(&b, "  section %s\n", name)
		for _, st := range s.stages {
			task := escape.MermaidJourneyTask(st.Name)
			if task == "" {
				task = escape.MermaidJourneyTask(st.ID.Value)
			}
			if task == "" {
				task = "Stage"
			}
			score := 3
			if e, ok := st.EmotionFor(opts.Persona); ok {
				score = min(5, max(1, e+3))
			}
			fmt.Fprintf(&b, "    %s: %d", task, score)
			var actors []string
			for _, id := range stageActors(st, all, opts.Persona) {
				if name, ok := names[id]; ok {
					if a := escape.MermaidJourneyActor(name); a != "" {
						actors = append(actors, a)
					}
				}
			}
			if len(actors) > 0 {
				fmt.Fprintf(&b, ": %s", strings.Join(actors, ", "))
			}
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// stageActors lists the ids of the personas who pass st: its own list, or
// every persona; only persona when one is picked.
func stageActors(st *journey.Stage, all []string, persona string) []string {
	if persona != "" {
		return []string{persona}
	}
	if len(st.Personas) == 0 {
		return all
	}
	ids := make([]string, 0, len(st.Personas))
	seen := map[string]bool{}
	for _, p := range st.Personas {
		if !seen[p.Value] {
			seen[p.Value] = true
			ids = append(ids, p.Value)
		}
	}
	return ids
}
