package journey

// The meaning of a stage that several parts of journey need (the lint
// rules, the diagrams, the reports): one definition each, here.

// Where a stage's owner comes from.
const (
	OwnedByStage   = ""        // the stage's own `owner`
	OwnedByPhase   = "phase"   // its phase's `owner`
	OwnedByJourney = "journey" // the journey's `owner`
)

// OwnerOf is the team responsible for stage s of j, and where that comes
// from (OwnedByStage, OwnedByPhase or OwnedByJourney): its own owner, else
// its phase's, else the journey's. "" when none of them is set.
func (j *Journey) OwnerOf(s *Stage) (team, from string) {
	if s.Owner.Value != "" {
		return s.Owner.Value, OwnedByStage
	}
	if s.Phase.Value != "" {
		if ph := j.Phase(s.Phase.Value); ph != nil && ph.Owner.Value != "" {
			return ph.Owner.Value, OwnedByPhase
		}
	}
	if j.Owner.Value != "" {
		return j.Owner.Value, OwnedByJourney
	}
	return "", ""
}

// Passes reports whether persona goes through s: a stage that lists no
// personas is passed by all; "" stands for every persona.
func (s *Stage) Passes(persona string) bool {
	if persona == "" || len(s.Personas) == 0 {
		return true
	}
	for _, p := range s.Personas {
		if p.Value == persona {
			return true
		}
	}
	return false
}

// EmotionFor is the emotion persona feels at s, and whether there is one.
// With a single value, it is the value for every persona that passes s;
// with values per persona, it is that persona's, and for "" (every
// persona) their mean, rounded toward zero.
func (s *Stage) EmotionFor(persona string) (int, bool) {
	e := s.Emotion
	if !e.Set {
		return 0, false
	}
	if len(e.PerPersona) == 0 {
		return e.Value, s.Passes(persona)
	}
	if persona == "" {
		sum := 0
		for _, pe := range e.PerPersona {
			sum += pe.Value
		}
		return sum / len(e.PerPersona), true
	}
	for _, pe := range e.PerPersona {
		if pe.Persona.Value == persona {
			return pe.Value, true
		}
	}
	return 0, false
}
