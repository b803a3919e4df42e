package format

import (
	"os"
	"testing"

	"github.com/journeykit/journey/internal/synth"
	"gopkg.in/yaml.v3"
)

// benchJourney is a synthetic journey of n stages, as bench/run's fmt
// corpus.
func benchJourney(b *testing.B, n int) []byte {
	b.Helper()
	if p := os.Getenv("JOURNEY_BENCH_FMT_FILE"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	return synth.Journey("synthetic", n)
}

// BenchmarkFormat formats a 1,000-stage journey as fmt does;
// BenchmarkFormatStable adds the self-check the tests run;
// BenchmarkDecodeEncode is the floor, a bare yaml.v3 decode and encode of
// the same bytes.
func BenchmarkFormat(b *testing.B) {
	checkStable = false // as fmt runs; the tests turn it on
	defer func() { checkStable = true }()
	src := benchJourney(b, 1000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Format("bench.journey.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatStable(b *testing.B) {
	src := benchJourney(b, 1000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Format("bench.journey.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeEncode(b *testing.B) {
	src := benchJourney(b, 1000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		var n yaml.Node
		if err := yaml.Unmarshal(src, &n); err != nil {
			b.Fatal(err)
		}
		if _, err := encode(&n); err != nil {
			b.Fatal(err)
		}
	}
}
