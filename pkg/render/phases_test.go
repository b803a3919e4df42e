package render

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestCutPhases(t *testing.T) {
	j := mustLoad(t, "../../examples/saas/retention.journey.yaml")
	cut := CutPhases(j, []string{"activation", "onboarding"})
	var phases, stages []string
	for _, p := range cut.Phases {
		phases = append(phases, p.ID.Value)
	}
	for _, s := range cut.Stages {
		stages = append(stages, s.ID.Value)
		if s.Phase.Value != "onboarding" && s.Phase.Value != "activation" {
			t.Errorf("stage %s of phase %s kept", s.ID.Value, s.Phase.Value)
		}
	}
	// The journey's order, whatever the order of the ids.
	if got := strings.Join(phases, ","); got != "onboarding,activation" {
		t.Errorf("phases %s", got)
	}
	if len(stages) != 6 {
		t.Errorf("stages %v", stages)
	}
	// j itself is untouched.
	if len(j.Phases) != 7 || len(j.Stages) != 19 {
		t.Errorf("the journey was changed: %d phases, %d stages", len(j.Phases), len(j.Stages))
	}
	if CutPhases(j, nil) != j {
		t.Error("no ids: not the journey itself")
	}

	// The flow draws only the stages kept, and no edge into the others.
	dot := DOT(cut, Options{})
	for _, gone := range []string{"Starts a 14-day free trial", "Uses the product every week"} {
		if bytes.Contains(dot, []byte(gone)) {
			t.Errorf("DOT of the cut flow draws %q", gone)
		}
	}
	full, err := Render(j, "flow", "dot", Options{Phases: []string{"onboarding", "activation"}})
	if err != nil || !bytes.Equal(full, dot) {
		t.Errorf("Render with Options.Phases differs from DOT of the cut journey (err %v)", err)
	}
	// The canvas names the phase the journey continues in.
	svg, err := Render(j, "canvas", "svg", Options{Phases: []string{"activation"}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte("continues in Ongoing usage")) || bytes.Contains(svg, []byte("Starts a 14-day free trial")) {
		t.Error("the cut canvas does not say where the journey continues, or draws a stage left out")
	}
	// The canvas in Mermaid has the phases kept as its sections.
	mmd, err := Render(j, "canvas", "mermaid", Options{Phases: []string{"activation"}})
	if err != nil || bytes.Contains(mmd, []byte("Sign-up")) || !bytes.Contains(mmd, []byte("Activation")) {
		t.Errorf("Mermaid journey of the cut: %v\n%s", err, mmd)
	}
}

func TestUnknownPhase(t *testing.T) {
	j := mustLoad(t, "../../examples/saas/retention.journey.yaml")
	for _, view := range []string{"flow", "canvas"} {
		_, err := Render(j, view, "svg", Options{Phases: []string{"activation", "onbording"}})
		var u *UnknownPhaseError
		if !errors.As(err, &u) || u.ID != "onbording" || u.Suggest != "onboarding" {
			t.Fatalf("%s: error %v", view, err)
		}
		if msg := err.Error(); !strings.Contains(msg, `did you mean "onboarding"?`) || !strings.Contains(msg, "signup, onboarding, activation") {
			t.Errorf("message %q", msg)
		}
	}
	err := CheckPhases(j, []string{"zzzzzzzzzz"})
	var u *UnknownPhaseError
	if !errors.As(err, &u) || u.Suggest != "" || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("no suggestion expected: %v", err)
	}
	// An unknown id leaves the journey whole rather than empty.
	if CutPhases(j, []string{"zzz"}) != j {
		t.Error("CutPhases with an unknown id")
	}
}
