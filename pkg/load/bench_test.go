package load

import (
	"runtime"
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

// BenchmarkParseJourney10k is one side of bench/run's diff: a journey of
// 10,000 stages (about 4 MB). live-model-MiB is what its model keeps once
// the tree is gone.
func BenchmarkParseJourney10k(b *testing.B) {
	data := synth.Journey("big", 10000)
	ParseJourney("warm.journey.yaml", data[:1000])
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	var live float64
	for i := 0; i < b.N; i++ {
		f := ParseJourney("big.journey.yaml", data)
		if f.Journey == nil {
			b.Fatal("synthetic journey does not load")
		}
		if i == 0 {
			b.StopTimer()
			live = liveMiB(f)
			b.StartTimer()
		}
	}
	b.ReportMetric(live, "live-model-MiB")
}

// liveMiB is the heap kept alive by x alone, in MiB.
func liveMiB(x any) float64 {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(x)
	x = nil
	runtime.GC()
	runtime.ReadMemStats(&m0)
	return float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / (1 << 20)
}
