package lint

import (
	"sort"
	"strings"

	"github.com/journeykit/journey/pkg/diag"
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
	// doubt marks, per stage, the values the graph depends on that have a
	// schema error and so could not be read. The graph rules read them in
	// the way that gives no finding: one mistake, one finding (the schema's).
	doubt []doubt
	// outcomeDoubt is set when some stage's `outcome` could not be read.
	outcomeDoubt bool
}

// doubt tells which of a stage's graph values could not be read.
type doubt struct {
	entry, outcome, next bool
}

// edge is one transition or reason follow-up inside the journey.
type edge struct {
	from, to int
	delayed  bool
}

func analyze(j *journey.Journey, handedIn map[string]bool, found []diag.Diagnostic) *analysis {
	a := &analysis{index: make(map[string]int, len(j.Stages)), g: graph.New(len(j.Stages))}
	bad := newSchemaSpots(found)
	a.doubt = make([]doubt, len(j.Stages))
	nextDoubt := false
	for i, s := range j.Stages {
		d := &a.doubt[i]
		d.entry = bad.inField(s.Meta, "entry")
		// The loader leaves an outcome it does not know empty; the schema says why.
		d.outcome = bad.inField(s.Meta, "outcome") || (s.Meta.Has("outcome") && s.Outcome == "")
		d.next = bad.inNext(s)
		a.outcomeDoubt = a.outcomeDoubt || d.outcome
		nextDoubt = nextDoubt || d.next
	}
	for i, s := range j.Stages {
		if _, dup := a.index[s.ID.Value]; !dup && s.ID.Value != "" {
			a.index[s.ID.Value] = i
		}
	}
	exits := []int{}
	for i, s := range j.Stages {
		if s.Entry || handedIn[s.ID.Value] || a.doubt[i].entry {
			a.entries = append(a.entries, i)
		}
		if s.IsOutcome() || a.doubt[i].outcome || a.doubt[i].next {
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
				a.edges = append(a.edges, edge{from: i, to: to, delayed: t.AfterMinutes > 0 || bad.inField(t.Meta, "after")})
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
	reach := a.g
	if nextDoubt {
		// A `next` that could not be read may lead anywhere: through one
		// extra node that leads to every stage. Loops are still those of
		// the transitions that could be read.
		n := len(j.Stages)
		reach = graph.New(n + 1)
		for i := range n {
			reach.Succ[i] = append(reach.Succ[i], a.g.Succ[i]...)
			reach.AddEdge(n, i)
			if a.doubt[i].next {
				reach.AddEdge(i, n)
			}
		}
	}
	a.reachable = reach.Reachable(a.entries)[:len(j.Stages)]
	a.canExit = reach.Reverse().Reachable(exits)[:len(j.Stages)]
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

// schemaSpots are the starts of a file's schema findings, in order, to ask
// whether a value had one.
type schemaSpots []journey.Pos

func newSchemaSpots(found []diag.Diagnostic) schemaSpots {
	var out schemaSpots
	for _, d := range found {
		if d.Rule == ruleSchema.ID {
			out = append(out, d.Range.Start)
		}
	}
	sort.Slice(out, func(i, k int) bool { return before(out[i], out[k]) })
	return out
}

func before(a, b journey.Pos) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column)
}

// in reports whether a schema finding starts inside r.
func (s schemaSpots) in(r journey.Range) bool {
	if len(s) == 0 {
		return false
	}
	k := sort.Search(len(s), func(i int) bool { return !before(s[i], r.Start) })
	return k < len(s) && !before(r.End, s[k]) && (s[k] != r.End || r.Start == r.End)
}

// inField reports whether the value of key in an object had a schema finding.
func (s schemaSpots) inField(m journey.Meta, key string) bool {
	if len(s) == 0 {
		return false
	}
	f, ok := m.Field(key)
	return ok && s.in(f.Value)
}

// inNext reports whether the stage's `next` had a schema finding that may
// hide where it leads: anywhere in it but in the values of a transition
// that do not name its target (a misspelt `rate` changes no path). Linear
// in the transitions and findings, after sorting.
func (s schemaSpots) inNext(st *journey.Stage) bool {
	if !s.inField(st.Meta, "next") {
		return false
	}
	var harmless []journey.Range
	for _, t := range st.Next {
		for _, f := range t.Meta.Fields {
			if f.Name != "to" && f.Name != "journey" {
				harmless = append(harmless, journey.Range{Start: f.Key.Start, End: f.Value.End})
			}
		}
	}
	sort.Slice(harmless, func(i, k int) bool { return before(harmless[i].Start, harmless[k].Start) })
	f, _ := st.Meta.Field("next")
	k := sort.Search(len(s), func(i int) bool { return !before(s[i], f.Value.Start) })
	h := 0
	for ; k < len(s) && !before(f.Value.End, s[k]); k++ {
		// The harmless ranges do not overlap: skip those that end before
		// the finding; the next one holds it or nothing does.
		for h < len(harmless) && before(harmless[h].End, s[k]) {
			h++
		}
		if h == len(harmless) || before(s[k], harmless[h].Start) {
			return true
		}
	}
	return false
}
