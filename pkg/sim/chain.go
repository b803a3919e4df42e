package sim

import (
	"fmt"
	"math"

	"github.com/journeykit/journey/pkg/journey"
)

// chain is a journey as an absorbing Markov chain. States 0..n-1 are the
// stages in file order; states n.. are the hand-off targets. Drop-off is
// not a state: each stage's drop-off probability is kept beside its arcs.
type chain struct {
	n   int
	ids []string
	// kinds holds the outcome kind of every state: "" for a transient
	// stage, success/failure/exit for an outcome stage, handoff for a
	// hand-off state.
	kinds []string
	// handoffs names the hand-off states "<journey>/<stage>".
	handoffs []string
	// arcs are the transitions of each transient stage, in file order,
	// with their probabilities. Outcome stages have none: they absorb.
	arcs [][]arc
	// drop is each stage's probability of dropping off the journey.
	drop []float64
	// edges are the transitions best_edge tries, in file order.
	edges []edgeRef
}

// arc is one transition of the chain.
type arc struct {
	to    int
	p     float64
	delay int64 // minutes; 0 when the transition has no `after`
}

// edgeRef points at an arc: stage from, its arc number k.
type edgeRef struct{ from, k int }

func (c *chain) states() int { return c.n + len(c.handoffs) }

func (c *chain) absorbing(state int) bool { return c.kinds[state] != "" }

func (c *chain) name(state int) string {
	if state < c.n {
		return c.ids[state]
	}
	return c.handoffs[state-c.n]
}

// absorbingStates lists the outcome stages in file order, then the
// hand-offs in the order they first appear.
func (c *chain) absorbingStates() []int {
	var out []int
	for s := 0; s < c.states(); s++ {
		if c.absorbing(s) {
			out = append(out, s)
		}
	}
	return out
}

// RateError is a stage whose rates cannot be shares of customers.
type RateError struct {
	Journey, Stage string
	Sum            float64
}

func (e *RateError) Error() string {
	return fmt.Sprintf("journey %q: the rates of stage %q add up to %g, more than 1", e.Journey, e.Stage, e.Sum)
}

// ReferenceError is a transition to a stage that does not exist.
type ReferenceError struct {
	Journey, Stage, To string
}

func (e *ReferenceError) Error() string {
	return fmt.Sprintf("journey %q: stage %q leads to %q, which is no stage of the journey", e.Journey, e.Stage, e.To)
}

// buildChain turns the journey into a chain. A stage's missing rates share
// equally what its given rates leave of 1; when every transition has a
// rate, 1 minus their sum drops off; a stage that is no outcome and has no
// transition drops everybody off. Outcome stages absorb: their transitions
// and their failure reasons' follow-ups are not part of the chain.
func buildChain(j *journey.Journey) (*chain, error) {
	n := len(j.Stages)
	c := &chain{n: n, ids: make([]string, n), kinds: make([]string, n), arcs: make([][]arc, n), drop: make([]float64, n)}
	index := make(map[string]int, n)
	for i, s := range j.Stages {
		c.ids[i] = s.ID.Value
		c.kinds[i] = s.Outcome
		if _, dup := index[s.ID.Value]; !dup {
			index[s.ID.Value] = i
		}
	}
	handoff := map[string]int{}
	for i, s := range j.Stages {
		if s.IsOutcome() {
			continue
		}
		rated, unrated := 0.0, 0
		for _, t := range s.Next {
			if t.Rate == nil {
				unrated++
				continue
			}
			r := *t.Rate
			if math.IsNaN(r) || r < 0 || r > 1 {
				return nil, fmt.Errorf("journey %q: stage %q has a rate %g outside 0..1", j.ID.Value, s.ID.Value, r)
			}
			rated += r
		}
		if rated > 1+rateTolerance {
			return nil, &RateError{Journey: j.ID.Value, Stage: s.ID.Value, Sum: rated}
		}
		scale := 1.0
		if rated > 1 {
			scale = 1 / rated // float noise within the tolerance
		}
		share := 0.0
		if unrated > 0 {
			share = math.Max(0, 1-rated) / float64(unrated)
		} else if left := 1 - rated; left > rateTolerance {
			c.drop[i] = left
		}
		for _, t := range s.Next {
			p := share
			if t.Rate != nil {
				p = *t.Rate * scale
			}
			a := arc{p: p, delay: max(0, t.AfterMinutes)}
			if t.IsHandoff() && t.Journey.Value != j.ID.Value {
				name := t.Journey.Value + "/" + t.To.Value
				h, ok := handoff[name]
				if !ok {
					h = n + len(c.handoffs)
					handoff[name] = h
					c.handoffs = append(c.handoffs, name)
					c.kinds = append(c.kinds, KindHandoff)
				}
				a.to = h
			} else {
				to, ok := index[t.To.Value]
				if !ok {
					return nil, &ReferenceError{Journey: j.ID.Value, Stage: s.ID.Value, To: t.To.Value}
				}
				a.to = to
				c.edges = append(c.edges, edgeRef{from: i, k: len(c.arcs[i])})
			}
			c.arcs[i] = append(c.arcs[i], a)
		}
		if len(s.Next) == 0 {
			c.drop[i] = 1
		}
	}
	return c, nil
}

// UnknownStageError is a start stage that the journey does not have.
type UnknownStageError struct {
	Journey, Stage string
	// Suggestion is the closest stage id, or "".
	Suggestion string
}

func (e *UnknownStageError) Error() string {
	msg := fmt.Sprintf("journey %q has no stage %q", e.Journey, e.Stage)
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggestion)
	}
	return msg
}

// startVector spreads the customers evenly over the start stages.
func (c *chain) startVector(j *journey.Journey, names []string) ([]float64, []Entry, error) {
	if len(names) == 0 {
		names = StartStages(j)
	}
	if len(names) == 0 {
		return nil, nil, ErrNoStart
	}
	var idx []int
	seen := map[int]bool{}
	for _, name := range names {
		k := -1
		for i, id := range c.ids {
			if id == name {
				k = i
				break
			}
		}
		if k < 0 {
			return nil, nil, &UnknownStageError{Journey: j.ID.Value, Stage: name, Suggestion: journey.Closest(name, c.ids)}
		}
		if !seen[k] {
			seen[k] = true
			idx = append(idx, k)
		}
	}
	start := make([]float64, c.n)
	share := 1 / float64(len(idx))
	entries := make([]Entry, len(idx))
	for e, k := range idx {
		start[k] = share
		entries[e] = Entry{Stage: c.ids[k], Share: share}
	}
	return start, entries, nil
}

// absorption returns the probability of ending in each absorbing state and
// of dropping off at each stage, from the expected visits v.
func (c *chain) absorption(v, start []float64) (absorbed, drops []float64) {
	absorbed = make([]float64, c.states())
	drops = make([]float64, c.n)
	for k := 0; k < c.n; k++ {
		if c.absorbing(k) {
			absorbed[k] += start[k]
			continue
		}
		if v[k] == 0 {
			continue
		}
		drops[k] = v[k] * c.drop[k]
		for _, a := range c.arcs[k] {
			if c.absorbing(a.to) {
				absorbed[a.to] += v[k] * a.p
			}
		}
	}
	return absorbed, drops
}
