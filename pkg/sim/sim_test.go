package sim

import (
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
)

// A tiny builder for journeys written in Go: stage("a", entry, to("b", 0.4, "1d")).

type stageOpt func(*journey.Stage)

var entry stageOpt = func(s *journey.Stage) { s.Entry = true }

func outcome(kind string) stageOpt { return func(s *journey.Stage) { s.Outcome = kind } }

var (
	success = outcome(journey.OutcomeSuccess)
	failure = outcome(journey.OutcomeFailure)
	exit    = outcome(journey.OutcomeExit)
)

// to is a transition; rate < 0 means no rate; after "" means no wait.
func to(id string, rate float64, after string) stageOpt {
	return func(s *journey.Stage) { s.Next = append(s.Next, transition(id, rate, after)) }
}

func handoff(j, id string, rate float64) stageOpt {
	return func(s *journey.Stage) {
		t := transition(id, rate, "")
		t.Journey = journey.Text{Value: j}
		s.Next = append(s.Next, t)
	}
}

func reason(id, next string) stageOpt {
	return func(s *journey.Stage) {
		s.Reasons = append(s.Reasons, &journey.Reason{ID: journey.Text{Value: id}, Next: journey.Text{Value: next}})
	}
}

func transition(id string, rate float64, after string) *journey.Transition {
	t := &journey.Transition{To: journey.Text{Value: id}, AfterMinutes: -1}
	if rate >= 0 {
		r := rate
		t.Rate = &r
	}
	if after != "" {
		m, ok := journey.ParseDuration(after)
		if !ok {
			panic("bad duration " + after)
		}
		t.After = journey.Text{Value: after}
		t.AfterMinutes = m
	}
	return t
}

func stage(id string, opts ...stageOpt) *journey.Stage {
	s := &journey.Stage{ID: journey.Text{Value: id}, Name: id, Phase: journey.Text{Value: "p"}}
	for _, o := range opts {
		o(s)
	}
	return s
}

func build(stages ...*journey.Stage) *journey.Journey {
	return &journey.Journey{ID: journey.Text{Value: "test"}, Title: "Test", Stages: stages}
}

const eps = 1e-9

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > eps {
		t.Errorf("%s = %.15g, want %.15g", what, got, want)
	}
}

func simulate(t *testing.T, j *journey.Journey, start ...string) *Result {
	t.Helper()
	r, err := Simulate(j, Options{Start: start})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func outcomeOf(t *testing.T, r *Result, id string) Outcome {
	t.Helper()
	for _, o := range r.Outcomes {
		if o.Stage == id {
			return o
		}
	}
	t.Fatalf("no outcome %q in %+v", id, r.Outcomes)
	return Outcome{}
}

func stageOf(t *testing.T, r *Result, id string) Stage {
	t.Helper()
	for _, s := range r.Stages {
		if s.Stage == id {
			return s
		}
	}
	t.Fatalf("no stage %q", id)
	return Stage{}
}

// A funnel: half, then 40%, then half go on; the rest drops off.
func TestSimulateFunnel(t *testing.T) {
	r := simulate(t, build(
		stage("visits", entry, to("signs-up", 0.5, "1d")),
		stage("signs-up", to("activates", 0.4, "2d")),
		stage("activates", to("pays", 0.5, "1d")),
		stage("pays", success),
	))
	won := outcomeOf(t, r, "pays")
	near(t, "P(pays)", won.Probability, 0.1)
	near(t, "drop-off", r.DropOff, 0.9)
	near(t, "success", r.Success, 0.1)
	if won.ExpectedTimeMinutes == nil || won.MedianTimeMinutes == nil {
		t.Fatalf("times missing: %+v", won)
	}
	near(t, "expected time", *won.ExpectedTimeMinutes, 4*1440)
	if *won.MedianTimeMinutes != 4*1440 {
		t.Errorf("median = %d", *won.MedianTimeMinutes)
	}
	for id, want := range map[string][2]float64{"visits": {1, 0.5}, "signs-up": {0.5, 0.3}, "activates": {0.2, 0.1}, "pays": {0.1, 0}} {
		s := stageOf(t, r, id)
		near(t, id+" visit", s.VisitProbability, want[0])
		near(t, id+" visits", s.ExpectedVisits, want[0])
		near(t, id+" drop-off", s.DropOff, want[1])
	}
	if len(r.Notes) != 0 {
		t.Errorf("notes: %q", r.Notes)
	}
}

// A re-engagement loop, solved by hand. From a, 35% convert, 50% get the
// re-engagement e-mail c, 15% drop off; from c, half come back to a, 30%
// unsubscribe, 20% drop off. One round trip a -> c -> a has probability
// 0.25, so with x = P(success from a): x = 0.35 + 0.25 x, x = 7/15;
// P(unsubscribe) = 0.5*0.3/0.75 = 1/5; drop-off = (0.15 + 0.5*0.2)/0.75
// = 1/3. Expected visits: a 1/0.75 = 4/3, c 2/3; c is reached at least
// once with probability 1/2. Round trips before the end are geometric,
// P(L=l) = 0.75*0.25^l, mean 1/3 whatever the outcome: each takes 3d, so
// E[T | won] = 1d + 1d = 2880 min, E[T | unsubscribed] = 2d + 1d = 4320.
func reengagement() *journey.Journey {
	return build(
		stage("a", entry, to("won", 0.35, "1d"), to("c", 0.5, "2d")),
		stage("c", to("a", 0.5, "1d"), to("unsubscribed", 0.3, "")),
		stage("won", success),
		stage("unsubscribed", exit),
	)
}

func TestSimulateLoop(t *testing.T) {
	r := simulate(t, reengagement())
	won, unsub := outcomeOf(t, r, "won"), outcomeOf(t, r, "unsubscribed")
	near(t, "P(won)", won.Probability, 7.0/15)
	near(t, "P(unsubscribed)", unsub.Probability, 1.0/5)
	near(t, "drop-off", r.DropOff, 1.0/3)
	near(t, "visits a", stageOf(t, r, "a").ExpectedVisits, 4.0/3)
	near(t, "visit a", stageOf(t, r, "a").VisitProbability, 1)
	near(t, "visits c", stageOf(t, r, "c").ExpectedVisits, 2.0/3)
	near(t, "visit c", stageOf(t, r, "c").VisitProbability, 0.5)
	near(t, "drop at a", stageOf(t, r, "a").DropOff, 0.15*4/3)
	near(t, "E[T|won]", *won.ExpectedTimeMinutes, 2880)
	near(t, "E[T|unsubscribed]", *unsub.ExpectedTimeMinutes, 4320)
	// Medians: P(no round trip | the outcome) = 0.75 >= 1/2.
	if won.MedianTimeMinutes == nil || *won.MedianTimeMinutes != 1440 || unsub.MedianTimeMinutes == nil || *unsub.MedianTimeMinutes != 2880 {
		t.Errorf("medians %v %v, want 1440 and 2880", won.MedianTimeMinutes, unsub.MedianTimeMinutes)
	}
	if len(r.Notes) != 0 {
		t.Errorf("notes %q", r.Notes)
	}
	// Best edge by hand: a->won 0.35 -> 0.45 (from a's drop-off) gives
	// 0.45/0.75 = 0.6, a rise of 2/15; a->c 0.5 -> 0.6 gives 0.35/0.7,
	// c->a 0.5 -> 0.6 gives 0.35/0.7, both +1/30; c->unsubscribed +0.
	e := r.BestEdge
	if e == nil || e.From != "a" || e.To != "won" {
		t.Fatalf("best edge %+v, want a -> won", e)
	}
	near(t, "gain", e.Gain, 2.0/15)
	near(t, "new rate", e.NewRate, 0.45)
}

// Every edge's gain in the loop, against the hand-solved values.
func TestEdgeGainsByHand(t *testing.T) {
	j := reengagement()
	c, _ := buildChain(j)
	start, _, _ := c.startVector(j, nil)
	base := c.successProbability(start)
	near(t, "base", base, 7.0/15)
	want := []float64{2.0 / 15, 1.0 / 30, 1.0 / 30, 0}
	for n, e := range c.edges {
		got := c.successWith(e, math.Min(1, c.arcs[e.from][e.k].p+Improvement), start) - base
		near(t, c.ids[e.from]+"->"+c.ids[c.arcs[e.from][e.k].to], got, want[n])
	}
}

// The rise comes from the drop-off first, then from the other edges in
// proportion. a: won 0.5, c 0.3, lost 0.2 (no drop-off); c: won 0.5, rest
// drops off. Success = 0.5 + 0.3*0.5 = 0.65.
// a->won +0.1 takes 0.06 from c and 0.04 from lost: 0.6 + 0.24*0.5 = 0.72.
// a->c +0.1 takes 1/14 from won and 1/35 from lost: 0.5-1/14 + 0.2 (-3/140).
// a->lost: takes 0.0625 from won, 0.0375 from c: 0.4375 + 0.13125 (-0.08125).
// c->won +0.1 from c's drop-off: 0.5 + 0.3*0.6 = 0.68 (+0.03).
func TestBestEdgeProportional(t *testing.T) {
	j := build(
		stage("a", entry, to("won", 0.5, ""), to("c", 0.3, ""), to("lost", 0.2, "")),
		stage("c", to("won", 0.5, "")),
		stage("won", success),
		stage("lost", failure),
	)
	r := simulate(t, j)
	near(t, "success", r.Success, 0.65)
	if e := r.BestEdge; e == nil || e.From != "a" || e.To != "won" {
		t.Fatalf("best edge %+v", r.BestEdge)
	}
	near(t, "gain", r.BestEdge.Gain, 0.07)
	c, _ := buildChain(j)
	start, _, _ := c.startVector(j, nil)
	for n, want := range []float64{0.07, -3.0 / 140, -0.08125, 0.03} {
		e := c.edges[n]
		near(t, "gain of edge "+c.ids[e.from]+"->"+c.ids[c.arcs[e.from][e.k].to], c.successWith(e, math.Min(1, c.arcs[e.from][e.k].p+Improvement), start)-0.65, want)
	}
}

// A rate is capped at 1: 0.95 rises by 0.05 only.
func TestBestEdgeCapped(t *testing.T) {
	r := simulate(t, build(
		stage("a", entry, to("won", 0.95, "")),
		stage("won", success),
	))
	near(t, "gain", r.BestEdge.Gain, 0.05)
	near(t, "new rate", r.BestEdge.NewRate, 1)
	// Already at 1: nothing to gain, the edge is still named.
	r = simulate(t, build(stage("a", entry, to("won", 1, "")), stage("won", success)))
	if r.BestEdge == nil || r.BestEdge.Gain != 0 {
		t.Errorf("best edge %+v", r.BestEdge)
	}
	// Ties go to the first edge in file order.
	r = simulate(t, build(
		stage("a", entry, to("b", 0.5, ""), to("c", 0.3, "")),
		stage("b", to("won", 0.5, "")),
		stage("c", to("won", 0.5, "")),
		stage("won", success),
	))
	if r.BestEdge.From != "a" || r.BestEdge.To != "b" {
		t.Errorf("tie: best edge %+v, want a -> b", r.BestEdge)
	}
}

// Missing rates share what the given rates leave of 1, equally.
func TestMissingRatesShare(t *testing.T) {
	r := simulate(t, build(
		stage("a", entry, to("won", 0.4, ""), to("lost", -1, ""), to("left", -1, "")),
		stage("won", success), stage("lost", failure), stage("left", exit),
	))
	near(t, "won", outcomeOf(t, r, "won").Probability, 0.4)
	near(t, "lost", outcomeOf(t, r, "lost").Probability, 0.3)
	near(t, "left", outcomeOf(t, r, "left").Probability, 0.3)
	near(t, "drop-off", r.DropOff, 0)

	// No rate at all: an even split.
	r = simulate(t, build(stage("a", entry, to("won", -1, ""), to("lost", -1, "")), stage("won", success), stage("lost", failure)))
	near(t, "even split", outcomeOf(t, r, "won").Probability, 0.5)
	// Given rates that already make 1 leave nothing to the others.
	r = simulate(t, build(stage("a", entry, to("won", 1, ""), to("lost", -1, "")), stage("won", success), stage("lost", failure)))
	near(t, "nothing left", outcomeOf(t, r, "lost").Probability, 0)
	// A stage that is no outcome and has no transition: everybody drops off.
	r = simulate(t, build(stage("a", entry, to("b", 0.5, ""), to("won", 0.5, "")), stage("b"), stage("won", success)))
	near(t, "dead end", r.DropOff, 0.5)
	near(t, "dead end stage", stageOf(t, r, "b").DropOff, 0.5)
}

// Several entries split the customers evenly, unless Start names one.
func TestEntriesAndStart(t *testing.T) {
	j := build(
		stage("ad", entry, to("won", 1, "")),
		stage("webinar", entry, to("lost", 0.5, "")),
		stage("won", success), stage("lost", failure),
	)
	r := simulate(t, j)
	if len(r.Entries) != 2 || r.Entries[0].Share != 0.5 || r.Entries[1].Stage != "webinar" {
		t.Errorf("entries %+v", r.Entries)
	}
	near(t, "won", outcomeOf(t, r, "won").Probability, 0.5)
	near(t, "lost", outcomeOf(t, r, "lost").Probability, 0.25)
	near(t, "drop-off", r.DropOff, 0.25)
	near(t, "visit webinar", stageOf(t, r, "webinar").VisitProbability, 0.5)

	r = simulate(t, j, "webinar")
	near(t, "from webinar: won", outcomeOf(t, r, "won").Probability, 0)
	near(t, "from webinar: lost", outcomeOf(t, r, "lost").Probability, 0.5)
	near(t, "from webinar: ad visited", stageOf(t, r, "ad").VisitProbability, 0)
	if r.Outcomes[0].ExpectedTimeMinutes != nil {
		t.Error("an outcome never reached has no expected time")
	}
	// Starting at an outcome: there already.
	r = simulate(t, j, "won")
	near(t, "from won", r.Success, 1)

	_, err := Simulate(j, Options{Start: []string{"webinr"}})
	var ue *UnknownStageError
	if !errors.As(err, &ue) || ue.Suggestion != "webinar" {
		t.Errorf("unknown start: %v", err)
	}
	_, err = Simulate(build(stage("a", to("won", 1, "")), stage("won", success)), Options{})
	if !errors.Is(err, ErrNoStart) {
		t.Errorf("no entry: %v", err)
	}
}

// A hand-off leaves the journey into an absorbing hand-off state; the
// reasons of a failure outcome do not continue the chain (outcomes absorb),
// and neither do an outcome's own transitions.
func TestHandoffsAndReasons(t *testing.T) {
	r := simulate(t, build(
		stage("a", entry, handoff("retention", "starts-trial", 0.3), to("lost", 0.5, "2d"), to("won", -1, "")),
		stage("lost", failure, reason("too-expensive", "a")),
		stage("won", success, handoff("retention", "onboarding", 1)),
	))
	near(t, "lost", outcomeOf(t, r, "lost").Probability, 0.5)
	near(t, "won", outcomeOf(t, r, "won").Probability, 0.2)
	h := outcomeOf(t, r, "retention/starts-trial")
	if h.Kind != KindHandoff || len(r.Outcomes) != 3 {
		t.Errorf("outcomes %+v", r.Outcomes)
	}
	near(t, "hand-off", h.Probability, 0.3)
	near(t, "drop-off", r.DropOff, 0)
	near(t, "visits a", stageOf(t, r, "a").ExpectedVisits, 1)
	if r.BestEdge.From != "a" || r.BestEdge.To != "won" {
		t.Errorf("best edge %+v (hand-offs are not candidates)", r.BestEdge)
	}
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], `follow-ups after "lost" and "won"`) {
		t.Errorf("notes %q", r.Notes)
	}
}

// A stage that loops on itself: half stay a day longer.
func TestSelfLoop(t *testing.T) {
	r := simulate(t, build(stage("a", entry, to("a", 0.5, "1d"), to("won", 0.5, "")), stage("won", success)))
	near(t, "won", r.Success, 1)
	near(t, "visits", stageOf(t, r, "a").ExpectedVisits, 2)
	near(t, "visit", stageOf(t, r, "a").VisitProbability, 1)
	near(t, "time", *r.Outcomes[0].ExpectedTimeMinutes, 1440)
}

// The median is exact (and the lower median) without loops.
func TestMedian(t *testing.T) {
	for _, c := range []struct {
		direct float64
		want   int64
	}{{0.5, 1440}, {0.4, 4320}, {0.6, 1440}} {
		r := simulate(t, build(
			stage("a", entry, to("won", c.direct, "1d"), to("b", 1-c.direct, "2d")),
			stage("b", to("won", 1, "1d")),
			stage("won", success),
		))
		o := r.Outcomes[0]
		if o.MedianTimeMinutes == nil || *o.MedianTimeMinutes != c.want {
			t.Errorf("direct %g: median %v, want %d", c.direct, o.MedianTimeMinutes, c.want)
		}
		near(t, "mean", *o.ExpectedTimeMinutes, c.direct*1440+(1-c.direct)*4320)
	}
}

// The median through a loop is exact too. Here a round trip (3 days) has
// probability 0.8*0.8 = 0.64, so P(L=0 | won) = 0.36 and P(L<=1 | won) =
// 0.36 + 0.36*0.64 = 0.5904: the median is 1d + 3d. An instant loop (no
// waits) adds no time: c <-> d bounce without a wait before going on.
func TestMedianThroughLoops(t *testing.T) {
	r := simulate(t, build(
		stage("a", entry, to("won", 0.2, "1d"), to("c", 0.8, "2d")),
		stage("c", to("a", 0.8, "1d")),
		stage("won", success),
	))
	if m := r.Outcomes[0].MedianTimeMinutes; m == nil || *m != 4*1440 {
		t.Errorf("median %v, want %d", m, 4*1440)
	}
	r = simulate(t, build(
		stage("a", entry, to("c", 1, "1d")),
		stage("c", to("d", 0.9, ""), to("won", 0.1, "")),
		stage("d", to("c", 0.9, ""), to("won", 0.1, "2d")),
		stage("won", success),
	))
	// From c: won at once with 0.1 + 0.9*0.9*0.1 + ... = 0.1/0.19 = 10/19 >= 1/2.
	if m := r.Outcomes[0].MedianTimeMinutes; m == nil || *m != 1440 {
		t.Errorf("instant loop: median %v, want 1440", m)
	}
	near(t, "instant loop: expected time", *r.Outcomes[0].ExpectedTimeMinutes, 1440+2880*9.0/19)
}

func TestSimulateErrors(t *testing.T) {
	_, err := Simulate(build(stage("a", entry, to("b", 0.7, ""), to("c", 0.6, "")), stage("b", success), stage("c", success)), Options{})
	var re *RateError
	if !errors.As(err, &re) || re.Stage != "a" {
		t.Errorf("rate sum: %v", err)
	}
	// Rates close the loop a <-> b: the way out has rate 0.
	_, err = Simulate(build(
		stage("a", entry, to("b", 1, "")),
		stage("b", to("a", 1, ""), to("won", 0, "")),
		stage("won", success),
	), Options{})
	var te *TrappedError
	if !errors.As(err, &te) || strings.Join(te.Stages, ",") != "a,b" || !strings.Contains(err.Error(), `"a" and "b"`) {
		t.Errorf("trapped: %v", err)
	}
	_, err = Simulate(build(stage("a", entry, to("nowhere", 1, "")), stage("won", success)), Options{})
	var fe *ReferenceError
	if !errors.As(err, &fe) {
		t.Errorf("unknown target: %v", err)
	}
	// A closed loop nobody reaches does not matter.
	r := simulate(t, build(
		stage("a", entry, to("won", 1, ""), to("b", -1, "")),
		stage("b", to("c", 1, "")),
		stage("c", to("b", 1, "")),
		stage("won", success),
	))
	near(t, "won", r.Success, 1)
}

// Gauss-Jordan in place, against A x = I on random well-conditioned
// matrices of the shape I - Q.
func TestInvert(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{1, 2, 3, 7, 40} {
		a := make([]float64, n*n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				a[i*n+j] = -rng.Float64() / float64(n+1)
			}
			a[i*n+i] += 1
		}
		if n > 2 { // a zero on the diagonal forces a row swap
			a[0] = 0
		}
		inv := append([]float64(nil), a...)
		if !invert(inv, n) {
			t.Fatalf("n=%d: singular", n)
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				sum := 0.0
				for k := 0; k < n; k++ {
					sum += a[i*n+k] * inv[k*n+j]
				}
				want := 0.0
				if i == j {
					want = 1
				}
				if math.Abs(sum-want) > 1e-12 {
					t.Fatalf("n=%d: (A A^-1)[%d][%d] = %g", n, i, j, sum)
				}
			}
		}
	}
	if invert([]float64{1, 1, 1, 1}, 2) {
		t.Error("a singular matrix was inverted")
	}
}
