package sim

import (
	"math"

	"github.com/journeykit/journey/pkg/journey"
)

// successWith solves the chain again with e's probability set to newP and
// returns the probability of success.
func (c *chain) successWith(e edgeRef, newP float64, start []float64) float64 {
	delta, dropDelta := c.change(e, newP)
	m := *c
	m.arcs = make([][]arc, len(c.arcs))
	copy(m.arcs, c.arcs)
	row := make([]arc, len(c.arcs[e.from]))
	copy(row, c.arcs[e.from])
	for k := range row {
		row[k].p = math.Max(0, row[k].p+delta[k])
	}
	m.arcs[e.from] = row
	m.drop = make([]float64, len(c.drop))
	copy(m.drop, c.drop)
	m.drop[e.from] = math.Max(0, m.drop[e.from]+dropDelta)
	return m.successProbability(start)
}

// successProbability solves the chain for the probability of success from
// the start vector; customers trapped in a closed loop never succeed.
func (c *chain) successProbability(start []float64) float64 {
	s := newSolver(c)
	h := s.backward(c.successStep())
	total := 0.0
	for k, w := range start {
		if w == 0 {
			continue
		}
		if c.absorbing(k) {
			if c.kinds[k] == journey.OutcomeSuccess {
				total += w
			}
			continue
		}
		total += w * h[k]
	}
	return total
}
