// Package sim computes what a journey's transition rates imply: the share
// of customers who reach each outcome, drop off or leave by a hand-off, how
// likely each stage is to be visited, how long the way to an outcome takes,
// and which edge is worth improving first.
//
// The journey is read as an absorbing Markov chain over its stages and the
// chain is solved exactly with linear algebra (no sampling): outcome stages,
// hand-offs into other journeys and "drop-off" absorb; every other stage is
// transient. The strongly connected components of the transient stages are
// solved one after the other in topological order, each with the exact
// inverse of its own block of I-Q, so that a long journey made of small
// loops costs little more than its size. docs/analytics.md explains the
// math.
package sim

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
)

// Outcome kinds reported besides journey.OutcomeSuccess, OutcomeFailure and
// OutcomeExit.
const (
	// KindHandoff is a transition into another journey: customers leave
	// this journey there.
	KindHandoff = "handoff"
)

// rateTolerance absorbs floating-point error in rate sums such as
// 0.1+0.2+0.7 (the same tolerance as the rate-sum rule).
const rateTolerance = 1e-9

// Options tune a simulation.
type Options struct {
	// Start names the stages customers start at, evenly split. Empty means
	// the journey's entry stages (`entry: true`).
	Start []string
}

// Result is everything a simulation computes. The JSON keys journey,
// outcomes (stage, kind, probability), drop_off, stages (stage,
// visit_probability) and best_edge (from, to, gain) are the contract of
// `journey simulate --format json`; the others are additions.
type Result struct {
	Journey string  `json:"journey"`
	Title   string  `json:"title,omitempty"`
	Entries []Entry `json:"entries"`
	// Outcomes lists the outcome stages in file order, then the hand-offs
	// in the order they first appear.
	Outcomes []Outcome `json:"outcomes"`
	// DropOff is the probability of leaving the journey without an
	// outcome or a hand-off.
	DropOff float64 `json:"drop_off"`
	// Success is the sum of the probabilities of the success outcomes.
	Success float64 `json:"success_probability"`
	// Stages lists every stage in file order.
	Stages []Stage `json:"stages"`
	// BestEdge is nil when the journey has no edge to improve.
	BestEdge *BestEdge `json:"best_edge"`
	// Notes explain what could not be computed, and why.
	Notes []string `json:"notes,omitempty"`
}

// Entry is a stage customers start at, with the share that starts there.
type Entry struct {
	Stage string  `json:"stage"`
	Share float64 `json:"share"`
}

// Outcome is where customers end: an outcome stage, or a hand-off into
// another journey (Stage is then "<journey>/<stage>").
type Outcome struct {
	Stage       string  `json:"stage"`
	Kind        string  `json:"kind"`
	Probability float64 `json:"probability"`
	// ExpectedTimeMinutes is the mean time from the start to this outcome
	// among the customers who end here (waits from `after`; a transition
	// without one takes no time). Nil when the outcome is never reached.
	ExpectedTimeMinutes *float64 `json:"expected_time_minutes,omitempty"`
	// MedianTimeMinutes is the lower median of that time, exact. Nil when
	// the outcome is never reached, or when customers spread over too many
	// moments to follow (see Result.Notes).
	MedianTimeMinutes *int64 `json:"median_time_minutes,omitempty"`
}

// Stage is what the simulation says about one stage.
type Stage struct {
	Stage string `json:"stage"`
	// VisitProbability is the probability that a customer reaches the
	// stage at least once.
	VisitProbability float64 `json:"visit_probability"`
	// ExpectedVisits is the mean number of times a customer is at the
	// stage (above the visit probability when loops bring customers back).
	ExpectedVisits float64 `json:"expected_visits"`
	// DropOff is the probability that a customer drops off the journey at
	// this stage.
	DropOff float64 `json:"drop_off"`
}

// BestEdge is the transition whose improvement raises the probability of
// success the most: its rate raised by 0.1 (at most to 1).
type BestEdge struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Gain is how much the probability of success rises.
	Gain float64 `json:"gain"`
	// Rate is the edge's probability now (a missing rate counted as its
	// share), NewRate the one simulated.
	Rate    float64 `json:"rate"`
	NewRate float64 `json:"new_rate"`
}

// Improvement is the rise in rate simulated for every edge by BestEdge.
const Improvement = 0.1

// TrappedError reports customers caught in a loop they can never leave
// with the given rates (for example a way out whose rate is 0).
type TrappedError struct {
	Journey string
	Stages  []string
}

func (e *TrappedError) Error() string {
	return fmt.Sprintf("journey %q: customers are trapped: with these rates stages %s loop with no way out (add or raise a rate towards an outcome)", e.Journey, quoteList(e.Stages))
}

// LimitError reports a loop too large to solve (more than MaxLoop stages).
type LimitError struct {
	Journey, Stage string
	Size           int
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("journey %q: the loop through stage %q has %d stages; simulate solves loops of up to %d stages", e.Journey, e.Stage, e.Size, MaxLoop)
}

// ErrNoStart is returned when the journey has no entry stage and
// Options.Start names none.
var ErrNoStart = errors.New("no stage to start at: the journey has no `entry: true` stage")

// Simulate solves the journey's chain. It fails on what makes the numbers
// meaningless: rates adding up to more than 1, a transition to a stage
// that does not exist, a start stage that does not exist, customers
// trapped in a loop. Lint finds all of these first (rate-sum,
// unknown-reference, no-exit-loop).
func Simulate(j *journey.Journey, o Options) (*Result, error) {
	c, err := buildChain(j)
	if err != nil {
		return nil, err
	}
	start, entries, err := c.startVector(j, o.Start)
	if err != nil {
		return nil, err
	}
	s := newSolver(c)
	if s.tooLarge != nil {
		return nil, &LimitError{Journey: j.ID.Value, Stage: c.ids[s.tooLarge[0]], Size: len(s.tooLarge)}
	}
	res := &Result{Journey: j.ID.Value, Title: j.Title, Entries: entries}

	// Expected visits v = s N, and the flows into the absorbing states.
	v, err := s.forward(start)
	if err != nil {
		var te *TrappedError
		if errors.As(err, &te) {
			te.Journey = j.ID.Value
		}
		return nil, err
	}
	absorbed, drops := c.absorption(v, start)
	// Time-weighted visits m = u N with u_j = sum over edges k->j of
	// v_k p d: the expected sum of arrival times over all visits.
	u := make([]float64, c.n)
	for k := 0; k < c.n; k++ {
		if v[k] == 0 {
			continue
		}
		for _, a := range c.arcs[k] {
			if a.to < c.n && !c.absorbing(a.to) {
				u[a.to] += v[k] * a.p * float64(a.delay)
			}
		}
	}
	m, err := s.forward(u)
	if err != nil {
		return nil, err
	}
	timeMass := make([]float64, c.states())
	for k := 0; k < c.n; k++ {
		for _, a := range c.arcs[k] {
			if a.to >= c.n || c.absorbing(a.to) {
				timeMass[a.to] += a.p * (m[k] + v[k]*float64(a.delay))
			}
		}
	}

	medians, notes := c.medians(start, absorbed)
	res.Notes = append(res.Notes, notes...)
	var followed []string
	for k, st := range j.Stages {
		if !c.absorbing(k) || absorbed[k] <= 0 {
			continue
		}
		onward := len(st.Next) > 0
		for _, r := range st.Reasons {
			onward = onward || r.Next.Value != ""
		}
		if onward {
			followed = append(followed, st.ID.Value)
		}
	}
	if len(followed) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("an outcome ends the journey here: the follow-ups after %s (transitions out of an outcome, failure reasons' `next`) are not simulated", quoteList(followed)))
	}

	for _, a := range c.absorbingStates() {
		out := Outcome{Stage: c.name(a), Kind: c.kinds[a], Probability: clamp01(absorbed[a])}
		if absorbed[a] > 0 {
			t := timeMass[a] / absorbed[a]
			out.ExpectedTimeMinutes = &t
			if md, ok := medians[a]; ok {
				out.MedianTimeMinutes = &md
			}
		}
		if out.Kind == journey.OutcomeSuccess {
			res.Success += absorbed[a]
		}
		res.Outcomes = append(res.Outcomes, out)
	}
	res.Success = clamp01(res.Success)
	total := 0.0
	for k := 0; k < c.n; k++ {
		total += drops[k]
	}
	res.DropOff = clamp01(total)

	for k, st := range j.Stages {
		r := Stage{Stage: st.ID.Value, DropOff: clamp01(drops[k])}
		if c.absorbing(k) {
			r.VisitProbability = clamp01(absorbed[k])
			r.ExpectedVisits = absorbed[k]
		} else if v[k] > 0 {
			r.ExpectedVisits = v[k]
			r.VisitProbability = clamp01(v[k] / s.diag(k))
		}
		res.Stages = append(res.Stages, r)
	}

	res.BestEdge = c.bestEdge(s, v)
	return res, nil
}

func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// quoteList is `"a", "b" and "c"`.
func quoteList(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("%q", id)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// StartStages returns the stages a simulation starts at by default: those
// with `entry: true`, in file order.
func StartStages(j *journey.Journey) []string {
	var ids []string
	for _, s := range j.Stages {
		if s.Entry && !slices.Contains(ids, s.ID.Value) {
			ids = append(ids, s.ID.Value)
		}
	}
	return ids
}
