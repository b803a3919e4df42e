package lint

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/synth"
	"gopkg.in/yaml.v3"
)

var (
	benchOnce  sync.Once
	benchDir   string
	benchFiles map[string][]byte
)

// benchWorkspace writes 1,000 files of 50 stages once per test binary.
func benchWorkspace(b *testing.B) (string, map[string][]byte) {
	benchOnce.Do(func() {
		benchFiles = synth.Workspace(1000, 50)
		dir, err := os.MkdirTemp("", "journey-bench-")
		if err != nil {
			b.Fatal(err)
		}
		for name, data := range benchFiles {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		benchDir = dir
	})
	return benchDir, benchFiles
}

// BenchmarkParseYAML is the floor lint is compared with: yaml.v3 parsing
// the same bytes into yaml.Node, one file after another.
func BenchmarkParseYAML(b *testing.B) {
	_, files := benchWorkspace(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, data := range files {
			var n yaml.Node
			if err := yaml.Unmarshal(data, &n); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLint is `journey lint DIR` without printing: read, parse,
// schema, model and every rule, on all cores.
func BenchmarkLint(b *testing.B) {
	dir, _ := benchWorkspace(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sets, err := load.Load(load.Options{Dir: dir, Paths: []string{"."}})
		if err != nil {
			b.Fatal(err)
		}
		if res := Run(sets, Options{}); len(res.Findings) != 0 {
			b.Fatalf("synthetic workspace has findings: %v", res.Findings[0])
		}
	}
}

func lintBytes(tb testing.TB, data []byte) {
	f := load.ParseJourney("big.journey.yaml", data)
	if f.Journey == nil || len(f.Diagnostics) != 0 {
		tb.Fatalf("synthetic journey does not load: %d findings, first %v", len(f.Diagnostics), f.Diagnostics[:min(len(f.Diagnostics), 1)])
	}
	CheckWorkspace(&journey.Workspace{Journeys: []*journey.Journey{f.Journey}})
}

func BenchmarkLintStages1000(b *testing.B) {
	data := synth.Journey("big", 1000)
	for i := 0; i < b.N; i++ {
		lintBytes(b, data)
	}
}

func BenchmarkLintStages10000(b *testing.B) {
	data := synth.Journey("big", 10000)
	for i := 0; i < b.N; i++ {
		lintBytes(b, data)
	}
}

// A journey ten times larger lints in at most 12 times the time: every
// check is linear.
func TestLintScalesLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	// The garbage collector's pauses and other packages' tests running
	// beside this one are noise, not the algorithm's cost: collect before
	// each run, switch collection off while timing, keep the best of five.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	best := func(data []byte) time.Duration {
		var min time.Duration
		for i := 0; i < 5; i++ {
			runtime.GC()
			start := time.Now()
			lintBytes(t, data)
			if d := time.Since(start); min == 0 || d < min {
				min = d
			}
		}
		return min
	}
	// Noise only ever makes a run slower: a ratio over the limit is
	// measured again, up to three times, before it counts.
	small1k, large10k := synth.Journey("big", 1000), synth.Journey("big", 10000)
	var ratio float64
	for attempt := 1; attempt <= 3; attempt++ {
		small, large := best(small1k), best(large10k)
		ratio = float64(large) / float64(small)
		t.Logf("1,000 stages: %v; 10,000 stages: %v; ratio %.1f", small, large, ratio)
		if ratio <= 12 {
			return
		}
	}
	t.Errorf("10,000 stages take %.1fx the time of 1,000 (limit 12x)", ratio)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}
