// Package attribution credits a journey's conversions to the channels
// (touchpoints, stages) customers met on the way, from an event log
// replayed against the map (journey attribute): the exact Markov-chain
// removal effect, first order or second, beside first-touch, last-touch
// and linear attribution.
//
// Definitions (docs/analytics.md, "journey attribute"):
//
//   - A case's events are mapped to stages and ordered as journey conform
//     does (package conform). Its path is the touches of the non-outcome
//     stages it reached, in that order, repeats included: a stage reached
//     twice is two touches. It converts when one of its events reaches a
//     stage with `outcome: success`.
//   - A touch is, with By "channel", the stage's `channel`, else the
//     channel of its first touchpoint (a stage with neither makes no
//     touch); with "touchpoint", each touchpoint of the stage in file
//     order, named STAGE/ID (STAGE/N, N counted from 1, when it has no
//     id); with "stage", the stage id.
//   - The chain has the states start, conversion, null and one per touch
//     (order 1) or per pair of consecutive touches (order 2, the first
//     touch paired with start). A path t1..tk walks start -> t1 -> ... ->
//     tk -> conversion or null; an empty path goes from start straight to
//     conversion or null. The transition probabilities are the observed
//     counts divided by the count of moves out of the state.
//   - P(conversion) is the probability of absorption in conversion from
//     start, solved exactly. Removing a channel sends every move into a
//     state that holds it to null; removal_effect = 1 - P(conversion
//     without it) / P(conversion) (0 when nothing converts), and markov =
//     conversions x removal_effect / the sum of the removal effects (0 when
//     that sum is 0).
//   - first_touch and last_touch count the converting cases whose first
//     (last) touch is the channel; linear gives each converting case's
//     conversion to its touches in equal parts, 1/k each of k touches, so a
//     channel touched twice in a path of three touches gets 2/3.
package attribution

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/journey"
)

// What a touch is.
const (
	ByChannel    = "channel"
	ByTouchpoint = "touchpoint"
	ByStage      = "stage"
)

// Bys are the values of Options.By.
var Bys = []string{ByChannel, ByTouchpoint, ByStage}

// Model says, for each stage of a conform.Map, which touches reaching it
// makes and whether it is an outcome.
type Model struct {
	Journey, Title string
	By             string
	// Names are the touches, in the order of their first stage in the
	// journey file.
	Names []string
	// Touches holds each stage's touches (indexes into Names), by the
	// stage's index in conform.Map.Stages.
	Touches [][]int32
	// Outcome is each stage's outcome kind ("" when it is none).
	Outcome []string
	// Silent are the non-outcome stages that make no touch.
	Silent []string
}

// NewModel reads the touches of j's stages, numbered as m numbers them.
func NewModel(j *journey.Journey, m *conform.Map, by string) (*Model, error) {
	if !slices.Contains(Bys, by) {
		return nil, fmt.Errorf("unknown attribution level %q: use channel, touchpoint or stage", by)
	}
	md := &Model{Journey: m.Journey, Title: m.Title, By: by, Touches: make([][]int32, len(m.Stages)), Outcome: make([]string, len(m.Stages))}
	names := map[string]int32{}
	touch := func(name string) int32 {
		if i, ok := names[name]; ok {
			return i
		}
		i := int32(len(md.Names))
		names[name] = i
		md.Names = append(md.Names, name)
		return i
	}
	index := make(map[string]int32, len(m.Stages))
	for i, id := range m.Stages {
		index[id] = int32(i)
	}
	done := make([]bool, len(m.Stages))
	for _, s := range j.Stages {
		si, ok := index[s.ID.Value]
		if !ok || done[si] {
			continue // a duplicate id: the first definition counts
		}
		done[si] = true
		if s.IsOutcome() {
			md.Outcome[si] = s.Outcome
			continue
		}
		var ts []int32
		switch by {
		case ByStage:
			ts = append(ts, touch(s.ID.Value))
		case ByChannel:
			ch := s.Channel.Value
			if ch == "" {
				for _, tp := range s.Touchpoints {
					if tp.Channel.Value != "" {
						ch = tp.Channel.Value
						break
					}
				}
			}
			if ch != "" {
				ts = append(ts, touch(ch))
			}
		case ByTouchpoint:
			for k, tp := range s.Touchpoints {
				name := tp.ID.Value
				if name == "" {
					name = strconv.Itoa(k + 1)
				}
				ts = append(ts, touch(s.ID.Value+"/"+name))
			}
		}
		if len(ts) == 0 {
			md.Silent = append(md.Silent, s.ID.Value)
		}
		md.Touches[si] = ts
	}
	return md, nil
}

// StageTouches returns the names of each stage's touches and whether the
// stage is a `success` outcome, by stage index (what the SQL of journey
// attribute --sql maps events to).
func (m *Model) StageTouches() (names [][]string, success []bool) {
	names = make([][]string, len(m.Touches))
	success = make([]bool, len(m.Touches))
	for i, ts := range m.Touches {
		for _, t := range ts {
			names[i] = append(names[i], m.Names[t])
		}
		success[i] = m.Outcome[i] == "success"
	}
	return names, success
}
