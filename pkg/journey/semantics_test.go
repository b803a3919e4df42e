package journey

import "testing"

func text(s string) Text { return Text{Value: s} }

func TestOwnerOf(t *testing.T) {
	j := &Journey{Owner: text("marketing"), Phases: []*Phase{
		{ID: text("capture"), Owner: text("growth")},
		{ID: text("close")},
	}}
	for _, c := range []struct {
		name        string
		stage       Stage
		journey     string
		team, where string
	}{
		{"own owner", Stage{Owner: text("sales"), Phase: text("capture")}, "marketing", "sales", OwnedByStage},
		{"phase's", Stage{Phase: text("capture")}, "marketing", "growth", OwnedByPhase},
		{"phase without owner", Stage{Phase: text("close")}, "marketing", "marketing", OwnedByJourney},
		{"unknown phase", Stage{Phase: text("nowhere")}, "marketing", "marketing", OwnedByJourney},
		{"nobody", Stage{Phase: text("close")}, "", "", ""},
	} {
		j.Owner = text(c.journey)
		team, where := j.OwnerOf(&c.stage)
		if team != c.team || where != c.where {
			t.Errorf("%s: %q from %q, want %q from %q", c.name, team, where, c.team, c.where)
		}
	}
}

func TestPassesAndEmotionFor(t *testing.T) {
	single := &Stage{Personas: []Text{text("founder")}, Emotion: Emotion{Set: true, Value: -1}}
	everyone := &Stage{Emotion: Emotion{Set: true, Value: 2}}
	per := &Stage{Emotion: Emotion{Set: true, PerPersona: []PersonaEmotion{
		{Persona: text("founder"), Value: 2}, {Persona: text("admin"), Value: -1}, {Persona: text("buyer"), Value: -2},
	}}}
	none := &Stage{}
	for _, c := range []struct {
		name    string
		s       *Stage
		persona string
		passes  bool
		emotion int
		has     bool
	}{
		{"listed persona", single, "founder", true, -1, true},
		{"other persona", single, "admin", false, -1, false},
		{"every persona", single, "", true, -1, true},
		{"stage for all", everyone, "admin", true, 2, true},
		{"per persona", per, "admin", true, -1, true},
		{"per persona, missing", per, "guest", true, 0, false},
		{"per persona, mean toward zero", per, "", true, 0, true}, // (2-1-2)/3 = -1/3 -> 0
		{"no emotion", none, "founder", true, 0, false},
	} {
		if got := c.s.Passes(c.persona); got != c.passes {
			t.Errorf("%s: Passes = %v, want %v", c.name, got, c.passes)
		}
		e, ok := c.s.EmotionFor(c.persona)
		if e != c.emotion || ok != c.has {
			t.Errorf("%s: EmotionFor = %d, %v; want %d, %v", c.name, e, ok, c.emotion, c.has)
		}
	}
}
