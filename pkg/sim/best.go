package sim

import (
	"math"

	"github.com/journeykit/journey/pkg/journey"
)

// tieTolerance: an edge must beat the best so far by more than this to
// replace it, so that ties (up to rounding) go to the first in file order.
const tieTolerance = 1e-12

// trapTolerance: a change of row i whose Sherman-Morrison denominator is
// below this closes a loop through i (up to rounding): customers who reach
// i never leave it.
const trapTolerance = 1e-10

// bestEdge tries every transition between two stages of the journey (not
// hand-offs, not failure reasons, not transitions of outcome stages, which
// absorb): its probability raised by Improvement (at most to 1), the rise
// taken first from the stage's drop-off, then from its other transitions
// in proportion to their probabilities. It returns the one that raises the
// probability of success the most; ties go to the first in file order.
//
// Only one row of Q changes, so the new probability of success follows
// from the old solution exactly (Sherman-Morrison): with v = s N the
// expected visits, h the probability of success from each stage, g = h on
// transient stages and 1 on success outcomes, and d the change of row i,
//
//	gain = v_i (d·g) / (1 - d·N[:,i])
//
// N[x][i] for a successor x of i along a positive arc is 0 unless x and i
// share a component, whose inverse block holds it; an arc of probability 0
// may lead anywhere, so for those the column N[:,i] is computed with one
// backward pass. When the denominator vanishes, the change closes a loop
// through i: the customers who reach i (v_i / N[i][i] of them) are
// trapped and lose their chance of success h_i.
func (c *chain) bestEdge(s *solver, v []float64) *BestEdge {
	var best *BestEdge
	for n, gain := range c.edgeGains(s, v) {
		e := c.edges[n]
		a := c.arcs[e.from][e.k]
		if best == nil || gain > best.Gain+tieTolerance {
			best = &BestEdge{From: c.ids[e.from], To: c.ids[a.to], Gain: gain, Rate: a.p, NewRate: math.Min(1, a.p+Improvement)}
		}
	}
	return best
}

// edgeGains is the rise of the probability of success for each of c.edges.
func (c *chain) edgeGains(s *solver, v []float64) []float64 {
	h := s.backward(c.successStep())
	g := func(state int) float64 {
		if state >= c.n {
			return 0
		}
		if c.absorbing(state) {
			if c.kinds[state] == journey.OutcomeSuccess {
				return 1
			}
			return 0
		}
		return h[state]
	}
	columns := map[int][]float64{}
	column := func(i int) []float64 {
		col, ok := columns[i]
		if !ok {
			unit := make([]float64, c.n)
			unit[i] = 1
			col = s.backward(unit)
			columns[i] = col
		}
		return col
	}
	gains := make([]float64, len(c.edges))
	for n, e := range c.edges {
		i, a := e.from, c.arcs[e.from][e.k]
		newP := math.Min(1, a.p+Improvement)
		if v[i] == 0 || newP <= a.p {
			continue // nobody there, or nothing to raise
		}
		delta, _ := c.change(e, newP) // the drop-off leads to no success
		num, den := 0.0, 1.0
		for k, d := range delta {
			to := c.arcs[i][k].to
			num += d * g(to)
			switch {
			case a.p > 0:
				den -= d * s.at(to, i)
			case to < c.n && !c.absorbing(to):
				den -= d * column(i)[to]
			}
		}
		if den > trapTolerance {
			gains[n] = v[i] * num / den
		} else {
			gains[n] = -v[i] / s.diag(i) * h[i]
		}
	}
	return gains
}

// successStep is, per stage, the probability of entering a success
// outcome in one step.
func (c *chain) successStep() []float64 {
	r := make([]float64, c.n)
	for k := 0; k < c.n; k++ {
		for _, a := range c.arcs[k] {
			if a.to < c.n && c.kinds[a.to] == journey.OutcomeSuccess {
				r[k] += a.p
			}
		}
	}
	return r
}

// change is how the probabilities of the arcs of e's stage change when e's
// goes to newP: the rise comes from the drop-off first, then from the
// other arcs in proportion to their probabilities.
func (c *chain) change(e edgeRef, newP float64) (delta []float64, dropDelta float64) {
	arcs := c.arcs[e.from]
	rise := newP - arcs[e.k].p
	fromDrop := math.Min(rise, c.drop[e.from])
	rest := rise - fromDrop
	others := 0.0
	for k, a := range arcs {
		if k != e.k {
			others += a.p
		}
	}
	delta = make([]float64, len(arcs))
	delta[e.k] = rise
	if rest > 0 && others > 0 {
		for k, a := range arcs {
			if k != e.k {
				delta[k] = -rest * a.p / others
			}
		}
	}
	return delta, -fromDrop
}
