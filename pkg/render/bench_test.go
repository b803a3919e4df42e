package render

import (
	"bytes"
	"os/exec"
	"testing"

	"github.com/journeykit/journey/internal/synth"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

func syntheticJourney(tb testing.TB, stages int) *journey.Journey {
	tb.Helper()
	f := load.ParseJourney("synth.journey.yaml", synth.Journey("synth", stages))
	if f.Journey == nil {
		tb.Fatal(f.Diagnostics)
	}
	return f.Journey
}

// BenchmarkNativeDot60 lays out the same DOT with the native dot program,
// when it is installed, for a side-by-side figure with BenchmarkFlowSVG60.
func BenchmarkNativeDot60(b *testing.B) {
	dotPath, err := exec.LookPath("dot")
	if err != nil {
		b.Skip("the native dot program is not installed")
	}
	src := DOT(syntheticJourney(b, 60), Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(dotPath, "-Tsvg")
		cmd.Stdin = bytes.NewReader(src)
		if out, err := cmd.Output(); err != nil || len(out) == 0 {
			b.Fatal(err)
		}
	}
}
