package lint

import (
	"strings"

	"github.com/journeykit/journey/pkg/graph"
	"github.com/journeykit/journey/pkg/journey"
)

// analysis is what the graph rules share about one journey, computed once
// in time linear in its size.
type analysis struct {
	// index maps a stage id to the position of its first definition.
	index map[string]int
	g     *graph.Graph
	edges []edge
	// entries are the stages customers start at: `entry: true`, and those
	// that hand-offs from other journeys lead into.
	entries []int
	// reachable marks the stages some path from an entry leads to.
	reachable []bool
	// canExit marks the stages from which an outcome, or a hand-off out of
	// the journey, can be reached.
	canExit []bool
	// loops are the strongly connected sets of stages that form a cycle.
	loops [][]int
}

// edge is one transition or reason follow-up inside the journey.
type edge struct {
	from, to int
	delayed  bool
}

func analyze(j *journey.Journey, handedIn map[string]bool) *analysis {
	a := &analysis{index: make(map[string]int, len(j.Stages)), g: graph.New(len(j.Stages))}
	for i, s := range j.Stages {
		if _, dup := a.index[s.ID.Value]; !dup && s.ID.Value != "" {
			a.index[s.ID.Value] = i
		}
	}
	exits := []int{}
	for i, s := range j.Stages {
		if s.Entry || handedIn[s.ID.Value] {
			a.entries = append(a.entries, i)
		}
		if s.IsOutcome() {
			exits = append(exits, i)
		}
		handsOff := false
		for _, t := range s.Next {
			if t.IsHandoff() && t.Journey.Value != j.ID.Value {
				handsOff = true
				continue
			}
			if to, ok := a.index[t.To.Value]; ok {
				a.g.AddEdge(i, to)
				a.edges = append(a.edges, edge{from: i, to: to, delayed: t.AfterMinutes > 0})
			}
		}
		for _, r := range s.Reasons {
			if to, ok := a.index[r.Next.Value]; ok {
				a.g.AddEdge(i, to)
				a.edges = append(a.edges, edge{from: i, to: to})
			}
		}
		if handsOff {
			exits = append(exits, i)
		}
	}
	a.reachable = a.g.Reachable(a.entries)
	a.canExit = a.g.Reverse().Reachable(exits)
	for _, c := range a.g.SCC() {
		if a.g.IsCycle(c) {
			a.loops = append(a.loops, c)
		}
	}
	return a
}

// stageList names the stages of a loop for a message, in file order:
// `"a", "b" and "c"`. Every stage is named, however many.
func stageList(j *journey.Journey, idx []int) string {
	names := make([]string, len(idx))
	for k, i := range idx {
		names[k] = quote(j.Stages[i].ID.Value)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
