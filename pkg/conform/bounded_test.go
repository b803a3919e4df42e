package conform_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
)

// genReader yields prefix, then unit over and over until total bytes
// (forever when total < 0), then suffix: a log of any size without
// keeping it. It samples the heap as it goes (peak).
type genReader struct {
	prefix, unit, suffix []byte
	total                int64
	n                    int64
	peak                 uint64
	sampled              int64
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.n-g.sampled >= 4<<20 {
		g.sampled = g.n
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		g.peak = max(g.peak, ms.HeapAlloc)
	}
	k := 0
	for k < len(p) {
		switch {
		case g.n < int64(len(g.prefix)):
			c := copy(p[k:], g.prefix[g.n:])
			k += c
			g.n += int64(c)
		case g.total < 0 || g.n < g.total:
			off := (g.n - int64(len(g.prefix))) % int64(len(g.unit))
			c := copy(p[k:], g.unit[off:])
			if g.total >= 0 {
				c = min(c, int(g.total-g.n))
			}
			k += c
			g.n += int64(c)
		default:
			done := g.n - max(g.total, int64(len(g.prefix)))
			if done >= int64(len(g.suffix)) {
				if k == 0 {
					return 0, io.EOF
				}
				return k, nil
			}
			c := copy(p[k:], g.suffix[done:])
			k += c
			g.n += int64(c)
		}
	}
	return k, nil
}

// heapLimit is a generous bound on the heap while a log of hundreds of
// megabytes, or an endless one, is read: the reading is bounded, not the
// size of the input.
const heapLimit = 160 << 20

// TestEndlessLineOnStdin (repro 06, issue 11 item 6): a line that never
// ends on standard input stops at eventlog.MaxSkippedLine with the line number, in
// bounded memory, CSV and JSON Lines alike.
func TestEndlessLineOnStdin(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.TwoStages))
	for _, c := range []struct {
		format, prefix, unit string
		line                 int
	}{
		{eventlog.FormatCSV, "case_id,event,timestamp\n1,a,1\n1,b,", "9", 3},
		{eventlog.FormatJSONL, "{\"case_id\":\"1\",\"event\":\"a\",\"timestamp\":1}\n{\"case_id\":\"", "x", 2},
	} {
		t.Run(c.format, func(t *testing.T) {
			g := &genReader{prefix: []byte(c.prefix), unit: []byte(c.unit), total: -1}
			_, err := conform.Run(m, eventlog.Source{Name: "-", Reader: g}, conform.Options{InputFormat: c.format})
			if g.peak > heapLimit {
				t.Errorf("heap peaked at %d MiB", g.peak>>20)
			}
			var ie *eventlog.InputError
			if !errors.As(err, &ie) || err.Error() != fmt.Sprintf("-:%d: the line is longer than 64 MiB: this is not a CSV or JSON Lines event log (one row per line), and reading stops here", c.line) {
				t.Fatalf("error %v", err)
			}
		})
	}
}

// TestUnclosedQuoteThenALargeLog (repro 06, first case, scaled down): an
// unclosed quote is one bad row with its line number; the rest of the log
// is read, in bounded memory.
func TestUnclosedQuoteThenALargeLog(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.TwoStages))
	unit := "c2,a,1700000000\n"
	g := &genReader{prefix: []byte("case_id,event,timestamp\nc1,a,1\nc1,\"b,2\n"), unit: []byte(unit)}
	const units = 4_000_000
	g.total = int64(len(g.prefix) + units*len(unit))
	r, err := conform.Run(m, eventlog.Source{Name: "-", Reader: g}, conform.Options{NoTiming: true, SortMemory: 16 << 20})
	if err != nil {
		t.Fatal(err)
	}
	rows := int64(units + 2)
	want := []conform.BadRow{{3, `a quoted field opened on line 3 is not closed within 1 MiB (line 65539): a missing or extra "`}}
	if !reflect.DeepEqual(r.BadRowSamples, want) || r.Rows != rows || r.Cases != 2 || r.MappedEvents != rows-1 {
		t.Errorf("rows %d (want %d) cases %d mapped %d bad %q", r.Rows, rows, r.Cases, r.MappedEvents, r.BadRowSamples)
	}
	if g.peak > heapLimit {
		t.Errorf("heap peaked at %d MiB", g.peak>>20)
	}
}

// TestOneHugeCase (repro 06, second case, scaled down): the events of one
// case are not all kept: past the memory for sorting they are sorted on
// disk like an unsorted log.
func TestOneHugeCase(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.TwoStages))
	unit := "c,a,1700000000\n"
	g := &genReader{prefix: []byte("case_id,event,timestamp\n"), unit: []byte(unit)}
	const n = 4_000_000
	g.total = int64(len(g.prefix) + n*len(unit))
	r, err := conform.Run(m, eventlog.Source{Name: "-", Reader: g}, conform.Options{SortMemory: 8 << 20, NoTiming: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Cases != 1 || r.Moves != n-1 || r.InputOrder != conform.OrderGrouped {
		t.Errorf("cases %d moves %d (want %d) order %s", r.Cases, r.Moves, n-1, r.InputOrder)
	}
	if g.peak > heapLimit {
		t.Errorf("heap peaked at %d MiB", g.peak>>20)
	}
}

// TestHugeCaseSameReport: a case sorted on disk (its events out of time
// order, many runs, merges in passes) gives the report of the same case
// sorted in memory.
func TestHugeCaseSameReport(t *testing.T) {
	m := eventgen.Map(t, eventgen.Ebook(t))
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("case_id,event,timestamp\n")
	for c := range 3 {
		for range 40000 {
			ev := m.Events[rng.IntN(len(m.Events))].Event
			fmt.Fprintf(&b, "%d,%s,%d\n", c, ev, 1_700_000_000+rng.IntN(5000))
		}
	}
	log := b.String()
	saved := *conform.MaxFanIn
	*conform.MaxFanIn = 4
	defer func() { *conform.MaxFanIn = saved }()
	conform.OpenStores.Store(0)
	conform.PeakStores.Store(0)
	small := mustRun(t, m, log, conform.Options{SortMemory: 1})
	big := mustRun(t, m, log, conform.Options{SortMemory: 1 << 30})
	if !reflect.DeepEqual(small, big) {
		t.Errorf("sorted on disk:\n%+v\nin memory:\n%+v", small, big)
	}
	if small.Cases != 3 || small.Moves != 3*(40000-1) {
		t.Errorf("cases %d moves %d", small.Cases, small.Moves)
	}
	if p := conform.PeakStores.Load(); p == 0 || p > 2 {
		t.Errorf("%d run files open at once, want 1 or 2", p)
	}

	// A large case in time order is replayed as it comes; one event out of
	// order late in it, and the log is sorted instead: the same report.
	b.Reset()
	b.WriteString("case_id,event,timestamp\n")
	for c := range 3 {
		for i := range 5000 {
			ev := m.Events[rng.IntN(len(m.Events))].Event
			fmt.Fprintf(&b, "%d,%s,%d\n", c, ev, 1_700_000_000+i)
		}
		if c == 1 {
			fmt.Fprintf(&b, "%d,%s,%d\n", c, m.Events[0].Event, 1_700_000_000+10)
		}
	}
	log = b.String()
	small = mustRun(t, m, log, conform.Options{SortMemory: 1})
	big = mustRun(t, m, log, conform.Options{SortMemory: 1 << 30})
	if small.InputOrder != conform.OrderSortedDisk || big.InputOrder != conform.OrderGrouped || small.Moves != 3*4999+1 {
		t.Errorf("orders %s %s, moves %d", small.InputOrder, big.InputOrder, small.Moves)
	}
	small.InputOrder = big.InputOrder
	if !reflect.DeepEqual(small, big) {
		t.Errorf("replayed as it came:\n%+v\nin memory:\n%+v", small, big)
	}
	// Without the event out of order, one reading.
	log = strings.Replace(log, fmt.Sprintf("1,%s,%d\n2,", m.Events[0].Event, 1_700_000_000+10), "2,", 1)
	if r := mustRun(t, m, log, conform.Options{SortMemory: 1}); r.InputOrder != conform.OrderGrouped || r.Moves != 3*4999 {
		t.Errorf("order %s moves %d", r.InputOrder, r.Moves)
	}
}

// TestSortRunsFewFilesOpen (issue 11 item 16): an unsorted log sorted in
// many runs keeps at most two temporary files open, however many runs.
func TestSortRunsFewFilesOpen(t *testing.T) {
	m := eventgen.Map(t, eventgen.Ebook(t))
	var b bytes.Buffer
	if _, err := eventgen.Generate(eventgen.Ebook(t), &b, eventgen.Options{Seed: 3, Events: 300_000, Order: "time"}); err != nil {
		t.Fatal(err)
	}
	conform.OpenStores.Store(0)
	conform.PeakStores.Store(0)
	var spills int
	small := mustRun(t, m, b.String(), conform.Options{SortMemory: 1})
	spills = int(conform.PeakStores.Load())
	big := mustRun(t, m, b.String(), conform.Options{SortMemory: 1 << 30})
	if small.InputOrder != conform.OrderSortedDisk || big.InputOrder != conform.OrderSortedMemory {
		t.Fatalf("orders %s %s", small.InputOrder, big.InputOrder)
	}
	small.InputOrder = big.InputOrder
	if !reflect.DeepEqual(small, big) {
		t.Errorf("sorted on disk:\n%+v\nin memory:\n%+v", small, big)
	}
	if spills == 0 || spills > 2 {
		t.Errorf("%d run files open at once, want 1 or 2", spills)
	}
	if o := conform.OpenStores.Load(); o != 0 {
		t.Errorf("%d run files left open", o)
	}
}

// TestTimingCapped: past MaxDurations moves, the durations are dropped
// and a note says so.
func TestTimingCapped(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.TwoStages))
	saved := *conform.DurationsLimit
	*conform.DurationsLimit = 3
	defer func() { *conform.DurationsLimit = saved }()
	r := mustRun(t, m, "case_id,event,timestamp\n1,a,1\n1,b,2\n2,a,1\n2,b,2\n3,a,1\n3,b,2\n3,b,3\n", conform.Options{})
	if r.Timing || r.Edges[0].MedianSeconds != nil || r.Moves != 4 || !strings.Contains(strings.Join(r.Notes, "\n"), "more than 3 moves: the time between stages is not computed") {
		t.Errorf("timing %v edges %+v notes %q", r.Timing, r.Edges, r.Notes)
	}
	*conform.DurationsLimit = 4
	if r := mustRun(t, m, "case_id,event,timestamp\n1,a,1\n1,b,2\n2,a,1\n2,b,2\n3,a,1\n3,b,2\n3,b,3\n", conform.Options{}); !r.Timing || r.Edges[0].MedianSeconds == nil {
		t.Errorf("timing %v", r.Timing)
	}
}
