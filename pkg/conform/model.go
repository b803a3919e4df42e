// Package conform replays an analytics event log against a journey map:
// which stage-to-stage moves customers really make, how many of them the
// map allows (fitness), observed against designed rates per edge, the time
// between stages, and the stages nobody reaches.
//
// The entry points: NewMap reads what conform needs of a journey, Run
// replays a log (read by package eventlog) against it, Write prints the
// Report as text, JSON or Markdown. Package sqlgen writes the SQL that
// computes the same moves inside a warehouse.
//
// Definitions (docs/analytics.md, "journey conform"):
//
//   - An event is mapped to the stage whose `events` list names it (a stage
//     without `events` is reached by the event named like its id). An event
//     listed by two stages belongs to the first in file order.
//   - The events of one case (customer) are ordered by time; events with
//     the same time by the position of their stage in the journey file
//     (as the SQL of package sqlgen orders them), then in input order.
//   - A move is two consecutive mapped events of a case: from the first
//     one's stage to the second one's. Events that match no stage are not
//     part of any move (they are counted as unknown). Two consecutive events
//     of the same stage are a self-move.
//   - A move is on the map when the journey has that edge: a transition of
//     the `from` stage to the `to` stage of this journey, or a failure
//     reason's `next`. Hand-offs into other journeys are not edges of this
//     map.
//   - fitness = on-map moves / moves.
//   - observed_rate of an edge = moves along it / events mapped to its
//     `from` stage (the times customers reached `from`).
//   - With Options.CollapseRepeats, consecutive events of one stage in a
//     case are one visit at the time of its first event: no self-moves,
//     and a stage is reached once per visit.
//   - A case starts off entry when its first event is at a stage without
//     `entry: true` (not checked when the journey has no entry stage).
package conform

import (
	"fmt"
	"math"

	"github.com/journeykit/journey/pkg/journey"
)

// Map is what conform needs of a journey: its stages, which event reaches
// which stage, and its edges.
type Map struct {
	Journey string
	Title   string
	// Stages are the stage ids in file order (a duplicate id is kept once).
	Stages []string
	// Events lists the event-to-stage mapping in file order: each event
	// name once, with the first stage that lists it.
	Events []EventStage
	// Edges are the edges of the journey in file order, one per (from,
	// to) pair.
	Edges []Edge
	// Entries says, for each of Stages, whether it is an entry (`entry:
	// true`). A journey without one (entered only by hand-offs) is not
	// checked for cases that start elsewhere.
	Entries []bool
	// Notes are remarks about the mapping (an event listed by two stages,
	// a transition to a stage the journey does not have).
	Notes []string

	byEvent  map[string]int32
	byEdge   map[uint64]int
	hasEntry bool
}

// EventStage maps one event name to a stage.
type EventStage struct {
	Event string
	Stage int32
}

// Edge is an edge of the journey graph.
type Edge struct {
	From, To int32
	// Rate is the designed rate: the sum of the `rate`s of the transitions
	// from From to To, nil when none of them has a rate (and for a failure
	// reason's follow-up).
	Rate *float64
	// Transitions is how many transitions and reasons make up the edge.
	Transitions int
}

// NewMap reads the stages, event names and edges of j.
func NewMap(j *journey.Journey) (*Map, error) {
	m := &Map{Journey: j.ID.Value, Title: j.Title, byEvent: map[string]int32{}, byEdge: map[uint64]int{}}
	index := map[string]int32{}
	for _, s := range j.Stages {
		id := s.ID.Value
		if id == "" {
			continue
		}
		if i, dup := index[id]; dup {
			if s.Entry {
				m.Entries[i] = true
				m.hasEntry = true
			}
			m.Notes = append(m.Notes, fmt.Sprintf("stage id %q is defined twice: its events and transitions are merged", id))
			continue
		}
		if len(m.Stages) >= math.MaxInt32 {
			return nil, fmt.Errorf("journey %q has too many stages", j.ID.Value)
		}
		index[id] = int32(len(m.Stages))
		m.Stages = append(m.Stages, id)
		m.Entries = append(m.Entries, s.Entry)
		m.hasEntry = m.hasEntry || s.Entry
	}
	if len(m.Stages) == 0 {
		return nil, fmt.Errorf("journey %q has no stage", j.ID.Value)
	}
	for _, s := range j.Stages {
		si, ok := index[s.ID.Value]
		if !ok {
			continue
		}
		for _, name := range s.EventNames() {
			if prev, dup := m.byEvent[name]; dup {
				if prev != si {
					m.Notes = append(m.Notes, fmt.Sprintf("event %q is listed by stages %q and %q: it counts for %q", name, m.Stages[prev], m.Stages[si], m.Stages[prev]))
				}
				continue
			}
			m.byEvent[name] = si
			m.Events = append(m.Events, EventStage{Event: name, Stage: si})
		}
	}
	for _, s := range j.Stages {
		from, ok := index[s.ID.Value]
		if !ok {
			continue
		}
		for _, t := range s.Next {
			if t.IsHandoff() && t.Journey.Value != j.ID.Value {
				continue
			}
			to, ok := index[t.To.Value]
			if !ok {
				m.Notes = append(m.Notes, fmt.Sprintf("stage %q has a transition to %q, which the journey does not have", s.ID.Value, t.To.Value))
				continue
			}
			m.addEdge(from, to, t.Rate)
		}
		for _, r := range s.Reasons {
			if r.Next.Value == "" {
				continue
			}
			to, ok := index[r.Next.Value]
			if !ok {
				m.Notes = append(m.Notes, fmt.Sprintf("reason %q of stage %q leads to %q, which the journey does not have", r.ID.Value, s.ID.Value, r.Next.Value))
				continue
			}
			m.addEdge(from, to, nil)
		}
	}
	return m, nil
}

func edgeKey(from, to int32) uint64 { return uint64(uint32(from))<<32 | uint64(uint32(to)) }

func (m *Map) addEdge(from, to int32, rate *float64) {
	k := edgeKey(from, to)
	i, ok := m.byEdge[k]
	if !ok {
		i = len(m.Edges)
		m.byEdge[k] = i
		m.Edges = append(m.Edges, Edge{From: from, To: to})
	}
	e := &m.Edges[i]
	e.Transitions++
	if rate != nil {
		sum := *rate
		if e.Rate != nil {
			sum += *e.Rate
		}
		e.Rate = &sum
	}
}

// Stage returns the index of the stage that the event reaches.
func (m *Map) Stage(event string) (int32, bool) {
	i, ok := m.byEvent[event]
	return i, ok
}

// EdgeIndex returns the index in Edges of the edge from -> to.
func (m *Map) EdgeIndex(from, to int32) (int, bool) {
	i, ok := m.byEdge[edgeKey(from, to)]
	return i, ok
}

// StageIndex returns the index of the stage with the given id.
func (m *Map) StageIndex(id string) (int32, bool) {
	for i, s := range m.Stages {
		if s == id {
			return int32(i), true
		}
	}
	return 0, false
}
