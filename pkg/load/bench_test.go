package load

import (
	"sort"
	"testing"

	"github.com/journeykit/journey/internal/synth"
	"gopkg.in/yaml.v3"
)

// benchFiles is 100 synthetic journeys of 50 stages (about 2 MB), in name
// order: a tenth of bench/run's lint corpus.
func benchFiles() [][]byte {
	files := synth.Workspace(100, 50)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([][]byte, len(names))
	for i, n := range names {
		out[i] = files[n]
	}
	return out
}

func benchBytes(b *testing.B, files [][]byte) {
	n := 0
	for _, f := range files {
		n += len(f)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
}

// BenchmarkParseFloor is the floor of lint and diff: yaml.v3 parsing the
// same bytes into yaml.Node trees, one file after another.
func BenchmarkParseFloor(b *testing.B) {
	files := benchFiles()
	benchBytes(b, files)
	for i := 0; i < b.N; i++ {
		for _, data := range files {
			var n yaml.Node
			if err := yaml.Unmarshal(data, &n); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseJourney is what lint does to each file before its rules:
// parse, syntax checks, schema, model with positions. Its ratio to
// BenchmarkParseFloor is lint's distance to the floor, rules aside.
func BenchmarkParseJourney(b *testing.B) {
	files := benchFiles()
	ParseJourney("warm.journey.yaml", files[0]) // compile the schemas
	benchBytes(b, files)
	for i := 0; i < b.N; i++ {
		for _, data := range files {
			if f := ParseJourney("x.journey.yaml", data); f.Journey == nil || len(f.Diagnostics) > 0 {
				b.Fatal("synthetic journey does not load")
			}
		}
	}
}
