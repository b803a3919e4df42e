package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
)

// Cutting a map into slides: Options.Phases draws a subset of a journey's
// phases. The cut is made on the journey before a view lays anything out
// (CutPhases), so every view that draws stages draws the same subset:
//
//   - the flow view (SVG, PNG, DOT, Mermaid) draws the phases kept and
//     their stages; a transition or failure follow-up into a stage of a
//     phase left out is dropped, as an edge into a stage another persona
//     takes is under --persona (the flow has no node to end it at);
//   - the canvas draws the phases kept as its columns and, since its Next
//     and Failure reasons lanes are text, names every target left out with
//     the phase it is in: "→ Books a demo · continues in Sales-ready". Its
//     emotion curves only join stages drawn.
//   - the canvas in Mermaid (a user-journey diagram) draws the phases kept
//     as its sections.
//
// An id that names no phase of the journey is an error (*UnknownPhaseError)
// that suggests the closest id.

// UnknownPhaseError is a phase id that names no phase of a journey.
type UnknownPhaseError struct {
	ID      string   // as given
	Journey string   // the journey's id
	Phases  []string // the journey's phase ids, in file order
	Suggest string   // the closest phase id, or ""
}

func (e *UnknownPhaseError) Error() string {
	msg := fmt.Sprintf("no phase %q in journey %q", e.ID, e.Journey)
	switch {
	case len(e.Phases) == 0:
		msg += " (it declares no phases)"
	default:
		list := e.Phases
		if len(list) > 20 {
			list = append(slices.Clone(list[:20]), "…")
		}
		msg += ": its phases are " + strings.Join(list, ", ")
	}
	if e.Suggest != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggest)
	}
	return msg
}

// CheckPhases reports the first of ids that names no phase of j as an
// *UnknownPhaseError.
func CheckPhases(j *journey.Journey, ids []string) error {
	if j == nil {
		return nil
	}
	var known []string
	have := map[string]bool{}
	for _, p := range j.Phases {
		if p != nil && !have[p.ID.Value] {
			have[p.ID.Value] = true
			known = append(known, p.ID.Value)
		}
	}
	for _, id := range ids {
		if !have[id] {
			return &UnknownPhaseError{ID: id, Journey: j.ID.Value, Phases: known, Suggest: journey.Closest(id, known)}
		}
	}
	return nil
}

// CutPhases returns j cut to the phases ids (in the journey's order,
// whatever the order of ids): a copy that declares those phases only and
// holds their stages only. The stages are shared with j, not copied, and
// keep their transitions and reasons: edges into stages left out stay in
// the model, and the views draw only the edges between stages they draw.
// With no ids, or with an id that names no phase (see CheckPhases), j is
// returned as it is.
func CutPhases(j *journey.Journey, ids []string) *journey.Journey {
	if j == nil || len(ids) == 0 || CheckPhases(j, ids) != nil {
		return j
	}
	keep := map[string]bool{}
	for _, id := range ids {
		keep[id] = true
	}
	cut := *j
	cut.Phases = nil
	for _, p := range j.Phases {
		if p != nil && keep[p.ID.Value] {
			cut.Phases = append(cut.Phases, p)
		}
	}
	cut.Stages = nil
	for _, s := range j.Stages {
		if s != nil && keep[s.Phase.Value] {
			cut.Stages = append(cut.Stages, s)
		}
	}
	return &cut
}
