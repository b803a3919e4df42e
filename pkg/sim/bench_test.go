package sim

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/journeykit/journey/internal/synth"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

func synthJourney(tb testing.TB, stages int) *journey.Journey {
	tb.Helper()
	f := load.ParseJourney("synth.journey.yaml", synth.Journey("synth", stages))
	if f.Journey == nil {
		tb.Fatalf("synth journey does not load: %v", f.Diagnostics)
	}
	return f.Journey
}

// BenchmarkSimulate2000 simulates a lint-clean generated journey of 2,000
// stages (branches, and a loop back every ten stages): everything, best
// edge and medians included.
func BenchmarkSimulate2000(b *testing.B) {
	j := synthJourney(b, 2000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Simulate(j, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// bigLoop is the worst case for the block solver: n stages in one loop
// (each goes on, or back to the start), so the whole journey is a single
// block of I-Q.
func bigLoop(n int) *journey.Journey {
	var stages []*journey.Stage
	for i := 0; i < n-1; i++ {
		opts := []stageOpt{to(fmt.Sprintf("s%d", i+1), 0.9, "1d"), to("s0", 0.05, "1w")}
		if i == 0 {
			opts = append(opts, entry)
		}
		stages = append(stages, stage(fmt.Sprintf("s%d", i), opts...))
	}
	stages = append(stages, stage(fmt.Sprintf("s%d", n-1), success))
	return build(stages...)
}

// BenchmarkSimulateLoop500 measures the dense block inverse, O(k^3) for a
// loop of k stages.
func BenchmarkSimulateLoop500(b *testing.B) {
	j := bigLoop(500)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Simulate(j, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// The 2,000-stage journey gives a consistent answer: everything ends
// somewhere, the probability of success is the same backward as forward,
// and the median agrees with a step-by-step distribution.
func TestSimulateSynth2000(t *testing.T) {
	j := synthJourney(t, 2000)
	r, err := Simulate(j, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum := r.DropOff
	for _, o := range r.Outcomes {
		sum += o.Probability
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("outcomes + drop-off = %.15g", sum)
	}
	c, _ := buildChain(j)
	start, _, _ := c.startVector(j, nil)
	if got := c.successProbability(start); math.Abs(got-r.Success) > 1e-12 {
		t.Errorf("success %g, backward %g", r.Success, got)
	}
	checkMediansOnGrid(t, 2000, c, start, r)
	if r.BestEdge == nil || r.BestEdge.Gain <= 0 {
		t.Errorf("best edge %+v", r.BestEdge)
	}
}

// A loop beyond MaxLoop stages is refused at once rather than solved for
// minutes.
func TestLoopTooLarge(t *testing.T) {
	_, err := Simulate(bigLoop(MaxLoop+2), Options{})
	var le *LimitError
	if !errors.As(err, &le) || le.Size != MaxLoop+1 || le.Stage != "s0" {
		t.Errorf("err = %v", err)
	}
}
