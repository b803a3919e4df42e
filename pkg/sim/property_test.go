package sim

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sort"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
)

// randomJourney draws a valid journey: every stage that is no outcome has a
// transition with a positive probability to a later stage (or none at all,
// a dead end), so no customer is ever trapped; other transitions go
// anywhere, loops and self-loops included (unless acyclic), some without a
// rate, some with rate 0, some into other journeys.
func randomJourney(rng *rand.Rand, acyclic bool) *journey.Journey {
	n := 2 + rng.Intn(14)
	outcomes := 1 + rng.Intn(3)
	kinds := []string{journey.OutcomeSuccess, journey.OutcomeFailure, journey.OutcomeExit}
	var stages []*journey.Stage
	id := func(k int) string { return fmt.Sprintf("s%d", k) }
	transient := n - outcomes
	if transient < 1 {
		transient = 1
	}
	total := transient + outcomes
	durations := []string{"", "30m", "1h", "1d", "2d", "1w"}
	for k := 0; k < total; k++ {
		s := stage(id(k))
		if k >= transient {
			s.Outcome = kinds[(k-transient)%3]
			if s.Outcome == journey.OutcomeFailure && rng.Intn(2) == 0 {
				reason("why", id(rng.Intn(transient)))(s) // does not continue the chain
			}
			stages = append(stages, s)
			continue
		}
		if k == 0 || rng.Intn(4) == 0 {
			s.Entry = true
		}
		if k > 0 && rng.Intn(20) == 0 {
			stages = append(stages, s) // a dead end
			continue
		}
		targets := []string{id(k + 1 + rng.Intn(total-k-1))}
		for e := rng.Intn(4); e > 0; e-- {
			if acyclic {
				targets = append(targets, id(k+1+rng.Intn(total-k-1)))
			} else {
				targets = append(targets, id(rng.Intn(total)))
			}
		}
		weights := make([]float64, len(targets))
		sum := 0.0
		for i := range weights {
			weights[i] = 0.05 + rng.Float64()
			sum += weights[i]
		}
		share := 1.0
		if rng.Intn(2) == 0 {
			share = 0.5 + rng.Float64()/2
		}
		for i, target := range targets {
			rate := weights[i] / sum * share
			if rng.Intn(4) == 0 {
				rate = -1 // no rate: shares what is left
			} else if i > 0 && rng.Intn(10) == 0 {
				rate = 0
			}
			if i > 0 && rng.Intn(8) == 0 {
				handoff("other", fmt.Sprintf("x%d", rng.Intn(3)), rate)(s)
				continue
			}
			to(target, rate, durations[rng.Intn(len(durations))])(s)
		}
		stages = append(stages, s)
	}
	return build(stages...)
}

// oracle solves the chain the plain way: dense Q, R, N = (I-Q)^-1 by
// Gaussian elimination over all transient stages at once, the expected
// times backward (tau = N c), and each edge's gain by solving again.
type oracle struct {
	c                      *chain
	trans                  []int // transient stages
	at                     map[int]int
	N                      [][]float64
	start                  []float64
	prob                   []float64 // per state
	drop, success          float64
	visit, visits, minutes []float64
}

func solveDense(a [][]float64) [][]float64 {
	n := len(a)
	m := make([][]float64, n)
	for i := range a {
		m[i] = make([]float64, 2*n)
		copy(m[i], a[i])
		m[i][n+i] = 1
	}
	for col := 0; col < n; col++ {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(m[r][col]) > math.Abs(m[p][col]) {
				p = r
			}
		}
		m[col], m[p] = m[p], m[col]
		for r := 0; r < n; r++ {
			if r != col {
				f := m[r][col] / m[col][col]
				for j := col; j < 2*n; j++ {
					m[r][j] -= f * m[col][j]
				}
			}
		}
	}
	inv := make([][]float64, n)
	for i := range inv {
		inv[i] = make([]float64, n)
		for j := range inv[i] {
			inv[i][j] = m[i][n+j] / m[i][i]
		}
	}
	return inv
}

func newOracle(c *chain, start []float64) *oracle {
	o := &oracle{c: c, at: map[int]int{}, start: start}
	for k := 0; k < c.n; k++ {
		if !c.absorbing(k) {
			o.at[k] = len(o.trans)
			o.trans = append(o.trans, k)
		}
	}
	t := len(o.trans)
	a := make([][]float64, t)
	for i, k := range o.trans {
		a[i] = make([]float64, t)
		a[i][i] = 1
		for _, e := range c.arcs[k] {
			if j, ok := o.at[e.to]; ok && e.to < c.n {
				a[i][j] -= e.p
			}
		}
	}
	o.N = solveDense(a)
	// B[i][state] and visits.
	o.prob = make([]float64, c.states())
	o.visit = make([]float64, c.n)
	o.visits = make([]float64, c.n)
	for k := 0; k < c.n; k++ {
		if c.absorbing(k) {
			o.prob[k] += start[k]
		}
	}
	v := make([]float64, t)
	for i, ki := range o.trans {
		for j := range o.trans {
			v[j] += start[ki] * o.N[i][j]
		}
	}
	for j, kj := range o.trans {
		o.visits[kj] = v[j]
		o.visit[kj] = v[j] / o.N[j][j]
		o.drop += v[j] * c.drop[kj]
		for _, e := range c.arcs[kj] {
			if c.absorbing(e.to) {
				o.prob[e.to] += v[j] * e.p
			}
		}
	}
	for k := 0; k < c.n; k++ {
		if c.absorbing(k) {
			o.visit[k], o.visits[k] = o.prob[k], o.prob[k]
			if c.kinds[k] == journey.OutcomeSuccess {
				o.success += o.prob[k]
			}
		}
	}
	// Expected time to each absorbing state, backward: tau_a = N c_a with
	// c_a(k) = sum over arcs k->x of p d g_a(x), g_a = P(end in a | at x).
	o.minutes = make([]float64, c.states())
	for state := c.n; state >= 0; state-- {
		_ = state
	}
	for a := 0; a < c.states(); a++ {
		if !c.absorbing(a) || o.prob[a] == 0 {
			continue
		}
		g := func(x int) float64 {
			if x == a {
				return 1
			}
			j, ok := o.at[x]
			if !ok || x >= c.n {
				return 0
			}
			sum := 0.0
			for i, ki := range o.trans {
				for _, e := range c.arcs[ki] {
					if e.to == a {
						sum += o.N[j][i] * e.p
					}
				}
			}
			return sum
		}
		cost := make([]float64, t)
		for i, ki := range o.trans {
			for _, e := range c.arcs[ki] {
				cost[i] += e.p * float64(e.delay) * g(e.to)
			}
		}
		total := 0.0
		for i, ki := range o.trans {
			for j := range o.trans {
				total += start[ki] * o.N[i][j] * cost[j]
			}
		}
		o.minutes[a] = total / o.prob[a]
	}
	return o
}

// successAfter solves again with edge e's probability set to newP.
func (o *oracle) successAfter(e edgeRef, newP float64) float64 {
	delta, dropDelta := o.c.change(e, newP)
	m := *o.c
	m.arcs = slices.Clone(o.c.arcs)
	m.arcs[e.from] = slices.Clone(o.c.arcs[e.from])
	for k := range m.arcs[e.from] {
		m.arcs[e.from][k].p += delta[k]
	}
	m.drop = slices.Clone(o.c.drop)
	m.drop[e.from] += dropDelta
	return newOracle(&m, o.start).success
}

// paths enumerates every path of an acyclic journey with its probability
// and duration, and returns the lower median time per absorbing state.
func pathMedians(c *chain, start []float64) map[int]int64 {
	type leg struct {
		t int64
		p float64
	}
	got := map[int][]leg{}
	var walk func(k int, t int64, p float64)
	walk = func(k int, t int64, p float64) {
		if k >= c.n || c.absorbing(k) {
			got[k] = append(got[k], leg{t, p})
			return
		}
		for _, a := range c.arcs[k] {
			if a.p > 0 {
				walk(a.to, t+a.delay, p*a.p)
			}
		}
	}
	for k, w := range start {
		if w > 0 {
			walk(k, 0, w)
		}
	}
	out := map[int]int64{}
	for a, legs := range got {
		sort.Slice(legs, func(i, j int) bool { return legs[i].t < legs[j].t })
		total := 0.0
		for _, l := range legs {
			total += l.p
		}
		cum := 0.0
		for i, l := range legs {
			cum += l.p
			if cum >= total/2*(1-1e-12) && (i+1 == len(legs) || legs[i+1].t != l.t) {
				out[a] = l.t
				break
			}
		}
	}
	return out
}

// Random valid journeys: the block solver agrees with the dense one, the
// outcome probabilities, drop-off and hand-offs add up to 1, visit
// probabilities lie in 0..1, an entry is visited at least as often as
// customers start there, and the best edge is the one whose re-solved
// chain gains the most.
func TestSimulateProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(20240607))
	for n := 0; n < 400; n++ {
		acyclic := n%3 == 0
		j := randomJourney(rng, acyclic)
		r, err := Simulate(j, Options{})
		if err != nil {
			t.Fatalf("journey %d: %v", n, err)
		}
		c, _ := buildChain(j)
		start, _, _ := c.startVector(j, nil)
		o := newOracle(c, start)
		fail := func(format string, args ...any) {
			t.Helper()
			t.Errorf("journey %d: "+format, append([]any{n}, args...)...)
		}
		sum := r.DropOff
		for i, out := range r.Outcomes {
			sum += out.Probability
			state := c.absorbingStates()[i]
			if math.Abs(out.Probability-o.prob[state]) > eps {
				fail("P(%s) = %g, dense %g", out.Stage, out.Probability, o.prob[state])
			}
			if out.Probability > 0 && math.Abs(*out.ExpectedTimeMinutes-o.minutes[state]) > 1e-6*math.Max(1, o.minutes[state]) {
				fail("E[T|%s] = %g, dense %g", out.Stage, *out.ExpectedTimeMinutes, o.minutes[state])
			}
		}
		if math.Abs(sum-1) > eps {
			fail("outcomes + drop-off = %.15g", sum)
		}
		if math.Abs(r.DropOff-o.drop) > eps || math.Abs(r.Success-o.success) > eps {
			fail("drop-off %g / %g, success %g / %g", r.DropOff, o.drop, r.Success, o.success)
		}
		for k, s := range r.Stages {
			if s.VisitProbability < 0 || s.VisitProbability > 1 {
				fail("visit probability of %s = %g", s.Stage, s.VisitProbability)
			}
			if math.Abs(s.VisitProbability-o.visit[k]) > eps || math.Abs(s.ExpectedVisits-o.visits[k]) > eps {
				fail("%s: visit %g / %g, visits %g / %g", s.Stage, s.VisitProbability, o.visit[k], s.ExpectedVisits, o.visits[k])
			}
			if s.ExpectedVisits < s.VisitProbability-eps {
				fail("%s: expected visits %g below visit probability %g", s.Stage, s.ExpectedVisits, s.VisitProbability)
			}
			if s.VisitProbability < start[k]-eps {
				fail("entry %s: visit probability %g below its start share %g", s.Stage, s.VisitProbability, start[k])
			}
		}
		// Best edge against re-solving the dense chain for every edge.
		bestGain, bestAt := math.Inf(-1), -1
		for i, e := range c.edges {
			gain := o.successAfter(e, math.Min(1, c.arcs[e.from][e.k].p+Improvement)) - o.success
			if gain > bestGain+1e-9 {
				bestGain, bestAt = gain, i
			}
		}
		if bestAt < 0 {
			if r.BestEdge != nil {
				fail("best edge %+v without edges", r.BestEdge)
			}
		} else {
			if r.BestEdge == nil || math.Abs(r.BestEdge.Gain-bestGain) > eps {
				fail("best edge %+v, dense best gain %g", r.BestEdge, bestGain)
			}
		}
		checkMediansOnGrid(t, n, c, start, r)
		if acyclic {
			want := pathMedians(c, start)
			for i, out := range r.Outcomes {
				state := c.absorbingStates()[i]
				if out.Probability == 0 {
					continue
				}
				if out.MedianTimeMinutes == nil || *out.MedianTimeMinutes != want[state] {
					fail("median of %s = %v, paths say %d", out.Stage, out.MedianTimeMinutes, want[state])
				}
			}
		}
	}
}

// Sherman-Morrison gains equal re-solving the chain, edge by edge,
// edges of probability 0 and changes that trap customers included.
func TestGainFormulaMatchesResolve(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	checked, zero := 0, 0
	for n := 0; n < 300; n++ {
		j := randomJourney(rng, false)
		c, _ := buildChain(j)
		start, _, _ := c.startVector(j, nil)
		s := newSolver(c)
		v, err := s.forward(start)
		if err != nil {
			t.Fatal(err)
		}
		base := c.successProbability(start)
		for k, got := range c.edgeGains(s, v) {
			e := c.edges[k]
			a := c.arcs[e.from][e.k]
			want := c.successWith(e, math.Min(1, a.p+Improvement), start) - base
			if math.Abs(got-want) > eps {
				t.Errorf("journey %d edge %s -> %s (p=%g): formula %g, re-solved %g", n, c.ids[e.from], c.ids[a.to], a.p, got, want)
			}
			checked++
			if a.p == 0 && v[e.from] > 0 {
				zero++
			}
		}
	}
	if zero < 20 {
		t.Errorf("only %d edges of probability 0 checked (of %d)", zero, checked)
	}
}

// Raising the loop edge of the only stage with a way out to 1 traps every
// customer: success falls from 1 to 0.
func TestGainThatTraps(t *testing.T) {
	j := build(
		stage("a", entry, to("b", 1, "")),
		stage("b", to("a", 0.95, "1d"), to("won", 0.05, "")),
		stage("won", success),
	)
	c, _ := buildChain(j)
	start, _, _ := c.startVector(j, nil)
	s := newSolver(c)
	v, _ := s.forward(start)
	gains := c.edgeGains(s, v)
	near(t, "a -> b (already 1)", gains[0], 0)
	near(t, "b -> a", gains[1], -1)
	near(t, "b -> won", gains[2], 0)
	near(t, "re-solved", c.successWith(c.edges[1], 1, start), 0)
}

// checkMediansOnGrid checks every median against the distribution of the
// time to each outcome computed another way: time steps of the gcd of the
// waits, and wait-less transitions (instant loops included) spread by
// plain iteration until the mass left is negligible. The median m must
// have F(m) >= 1/2 and F(just before m) < 1/2, up to rounding.
func checkMediansOnGrid(t *testing.T, n int, c *chain, start []float64, r *Result) {
	t.Helper()
	step := int64(0)
	for k := 0; k < c.n; k++ {
		for _, a := range c.arcs[k] {
			if a.p > 0 && a.delay > 0 {
				step = gcd(step, a.delay)
			}
		}
	}
	if step == 0 {
		step = 1
	}
	medians := map[int]int64{}
	var last int64
	for i, out := range r.Outcomes {
		if out.MedianTimeMinutes != nil {
			state := c.absorbingStates()[i]
			medians[state] = *out.MedianTimeMinutes
			last = max(last, *out.MedianTimeMinutes)
		} else if out.Probability > 0 {
			t.Errorf("journey %d: no median for %s: %q", n, out.Stage, r.Notes)
		}
	}
	cdf := map[int]map[int64]float64{} // state -> grid time -> F
	reached := make([]float64, c.states())
	future := map[int64][]float64{0: slices.Clone(start)}
	for tau := int64(0); tau*step <= last; tau++ {
		x := future[tau]
		delete(future, tau)
		for x != nil {
			next := make([]float64, c.n)
			left := 0.0
			for k, w := range x {
				if w == 0 {
					continue
				}
				if c.absorbing(k) {
					reached[k] += w
					continue
				}
				for _, a := range c.arcs[k] {
					switch {
					case a.delay > 0:
						at := tau + a.delay/step
						if future[at] == nil {
							future[at] = make([]float64, c.states())
						}
						future[at][a.to] += w * a.p
					case a.to >= c.n:
						reached[a.to] += w * a.p
					default:
						next[a.to] += w * a.p
						left += w * a.p
					}
				}
			}
			x = nil
			if left > 1e-18 {
				x = next
			} else {
				for k, w := range next {
					if c.absorbing(k) {
						reached[k] += w
					}
				}
			}
		}
		for state := range medians {
			if cdf[state] == nil {
				cdf[state] = map[int64]float64{}
			}
			cdf[state][tau*step] = reached[state]
		}
	}
	for i, out := range r.Outcomes {
		state := c.absorbingStates()[i]
		m, ok := medians[state]
		if !ok {
			continue
		}
		half := out.Probability / 2
		if m%step != 0 || cdf[state][m] < half*(1-1e-9) || (m > 0 && cdf[state][m-step] > half*(1+1e-9)) {
			t.Errorf("journey %d: median of %s = %d, but F(%d) = %g and F(%d) = %g for half %g", n, out.Stage, m, m, cdf[state][m], m-step, cdf[state][m-step], half)
		}
	}
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
