package conform_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
)

// runString replays a log given as text.
func runString(t testing.TB, m *conform.Map, log string, opts conform.Options) (*conform.Report, error) {
	t.Helper()
	return conform.Run(m, eventlog.Source{Name: "events", Reader: strings.NewReader(log)}, opts)
}

func mustRun(t testing.TB, m *conform.Map, log string, opts conform.Options) *conform.Report {
	t.Helper()
	r, err := runString(t, m, log, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkTruth compares a report with what the generator wrote.
func checkTruth(t *testing.T, r *conform.Report, truth *eventgen.Truth) {
	t.Helper()
	if r.Cases != truth.Cases || r.MappedEvents != truth.Events {
		t.Errorf("cases %d events %d, generated %d and %d", r.Cases, r.MappedEvents, truth.Cases, truth.Events)
	}
	if got := eventgen.Moves(r); !reflect.DeepEqual(got, truth.Moves) {
		t.Errorf("moves differ from the generated ones:\n got %v\nwant %v", got, truth.Moves)
	}
	for _, s := range r.Stages {
		if s.Reached != truth.Reached[s.Stage] {
			t.Errorf("stage %s reached %d times, generated %d", s.Stage, s.Reached, truth.Reached[s.Stage])
		}
	}
}

// TestConformRecoversRates replays 1,000,000 generated events of the
// e-book journey: every designed rate comes back within 0.01, the fitness
// is 1, and each edge's median and p90 are its `after` wait exactly.
func TestConformRecoversRates(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000,000 events: skipped with -short")
	}
	j := eventgen.Ebook(t)
	path, truth := eventgen.WriteFile(t, j, "events.csv", eventgen.Options{Seed: 20240501, Events: 1_000_000})
	if truth.Events < 1_000_000 {
		t.Fatalf("generated %d events", truth.Events)
	}
	m := eventgen.Map(t, j)
	r, err := conform.Run(m, eventlog.Source{Path: path}, conform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkTruth(t, r, truth)
	if r.InputOrder != conform.OrderGrouped || r.BadRows != 0 || r.UnknownEvents != 0 {
		t.Errorf("order %q, bad rows %d, unknown %d", r.InputOrder, r.BadRows, r.UnknownEvents)
	}
	if r.Fitness == nil || *r.Fitness != 1 || len(r.OffMap) != 0 {
		t.Errorf("fitness %v, off-map %v: want 1 and none", r.Fitness, r.OffMap)
	}
	after := map[[2]string]float64{}
	for _, s := range j.Stages {
		for _, tr := range s.Next {
			if !tr.IsHandoff() {
				after[[2]string{s.ID.Value, tr.To.Value}] = float64(max(0, tr.AfterMinutes) * 60)
			}
		}
	}
	worst := 0.0
	for _, e := range r.Edges {
		if e.DesignedRate == nil {
			t.Errorf("%s -> %s: no designed rate", e.From, e.To)
			continue
		}
		if e.ObservedRate == nil {
			t.Errorf("%s -> %s: never observed", e.From, e.To)
			continue
		}
		d := math.Abs(*e.ObservedRate - *e.DesignedRate)
		worst = max(worst, d)
		if d > 0.01 {
			t.Errorf("%s -> %s: observed rate %.4f, designed %.4f", e.From, e.To, *e.ObservedRate, *e.DesignedRate)
		}
		want := after[[2]string{e.From, e.To}]
		if e.MedianSeconds == nil || *e.MedianSeconds != want || *e.P90Seconds != want {
			t.Errorf("%s -> %s: median %v p90 %v, want %g", e.From, e.To, e.MedianSeconds, e.P90Seconds, want)
		}
	}
	t.Logf("%d events, %d cases, %d moves; largest rate difference %.4f", r.MappedEvents, r.Cases, r.Moves, worst)
}

// TestConformInjected replays 1,000,000 events in time order (not grouped
// by case: the sort path) with off-map moves injected at known places:
// they are reported with their exact counts, and the fitness is what is
// left.
func TestConformInjected(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000,000 events: skipped with -short")
	}
	j := eventgen.Ebook(t)
	inject := []eventgen.Injection{
		{From: "downloads-ebook", To: "reaches-mql-score", Rate: 0.01},
		{From: "gets-topic-survey", To: "books-demo", Rate: 0.02, DelaySeconds: 600},
		{From: "gets-removal-warning", To: "gets-removal-warning", Rate: 0.005},
	}
	path, truth := eventgen.WriteFile(t, j, "events.csv", eventgen.Options{Seed: 7, Events: 1_000_000, Order: "time", Inject: inject})
	r, err := conform.Run(eventgen.Map(t, j), eventlog.Source{Path: path}, conform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkTruth(t, r, truth)
	if r.InputOrder == conform.OrderGrouped {
		t.Errorf("a log in time order was taken as grouped")
	}
	if len(r.OffMap) != len(inject) {
		t.Fatalf("off-map moves %v, want the %d injected ones", r.OffMap, len(inject))
	}
	var off int64
	for _, o := range r.OffMap {
		want := truth.Moves[[2]string{o.From, o.To}]
		if want == 0 || o.Count != want {
			t.Errorf("off-map %s -> %s: %d, generated %d", o.From, o.To, o.Count, want)
		}
		off += o.Count
		if o.From == "gets-topic-survey" && (o.MedianSeconds == nil || *o.MedianSeconds != 600 || *o.P90Seconds != 600) {
			t.Errorf("injected wait of 600 s: median %v p90 %v", o.MedianSeconds, o.P90Seconds)
		}
	}
	if !slices.IsSortedFunc(r.OffMap, func(a, b conform.OffMapMove) int { return int(b.Count - a.Count) }) {
		t.Errorf("off-map moves not ranked by count: %v", r.OffMap)
	}
	if want := float64(r.Moves-off) / float64(r.Moves); r.Fitness == nil || *r.Fitness != want {
		t.Errorf("fitness %v, want %v", r.Fitness, want)
	}
	for _, o := range r.OffMap {
		t.Logf("off-map %s -> %s: %d, as injected", o.From, o.To, o.Count)
	}
	t.Logf("fitness %.5f", *r.Fitness)
}

// comparable drops what depends on how the log was read.
func comparable(r *conform.Report) *conform.Report {
	c := *r
	c.EventsFile, c.InputFormat, c.InputOrder = "", "", ""
	return &c
}

// TestConformReadings reads one log in many ways (grouped, time order in
// memory, time order through sorted runs on disk with a cascade of merges,
// JSON Lines, TSV, gzip, Unix times, standard input): the reports agree.
func TestConformReadings(t *testing.T) {
	j := eventgen.Ebook(t)
	m := eventgen.Map(t, j)
	base := eventgen.Options{Seed: 3, Events: 60_000, JitterSeconds: 3600, Inject: []eventgen.Injection{{From: "gets-related-content", To: "has-sales-call", Rate: 0.05}}}
	path, truth := eventgen.WriteFile(t, j, "events.csv", base)
	want, err := conform.Run(m, eventlog.Source{Path: path}, conform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkTruth(t, want, truth)
	if want.InputOrder != conform.OrderGrouped {
		t.Fatalf("order %q", want.InputOrder)
	}
	type variant struct {
		name  string
		gen   func(o *eventgen.Options)
		file  string
		opts  conform.Options
		order string
		stdin bool
		gzip  bool
	}
	variants := []variant{
		{name: "time order", gen: func(o *eventgen.Options) { o.Order = "time" }, file: "t.csv", order: conform.OrderSortedMemory},
		{name: "time order on disk", gen: func(o *eventgen.Options) { o.Order = "time" }, file: "t.csv", opts: conform.Options{SortMemory: 256 << 10}, order: conform.OrderSortedDisk},
		{name: "jsonl", gen: func(o *eventgen.Options) { o.Format = eventlog.FormatJSONL }, file: "e.jsonl", order: conform.OrderGrouped},
		{name: "jsonl time order from stdin", gen: func(o *eventgen.Options) { o.Format = eventlog.FormatJSONL; o.Order = "time" }, file: "e.jsonl", order: conform.OrderSortedMemory, stdin: true},
		{name: "tsv unix", gen: func(o *eventgen.Options) { o.Format = eventlog.FormatTSV; o.TimeFormat = "unix" }, file: "e.tsv", order: conform.OrderGrouped},
		{name: "gzip unix ms, no extension", gen: func(o *eventgen.Options) { o.TimeFormat = "unixms" }, file: "events", order: conform.OrderGrouped, gzip: true},
		{name: "gzip time order from stdin on disk", gen: func(o *eventgen.Options) { o.Order = "time" }, file: "t.csv.gz", opts: conform.Options{SortMemory: 256 << 10}, order: conform.OrderSortedDisk, stdin: true, gzip: true},
		{name: "other columns", gen: func(o *eventgen.Options) { o.Columns = [3]string{"user", "name", "ts"} }, file: "c.csv", opts: conform.Options{Case: "user", Event: "name", Time: "ts"}, order: conform.OrderGrouped},
	}
	saved := *conform.MaxFanIn
	*conform.MaxFanIn = 3 // merge in a cascade
	defer func() { *conform.MaxFanIn = saved }()
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			o := base
			v.gen(&o)
			p, tr := eventgen.WriteFile(t, j, v.file, o)
			if v.gzip {
				data, _ := os.ReadFile(p)
				var b bytes.Buffer
				zw := gzip.NewWriter(&b)
				zw.Write(data)
				zw.Close()
				os.WriteFile(p, b.Bytes(), 0o644)
			}
			src := eventlog.Source{Path: p}
			if v.stdin {
				f, err := os.Open(p)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				src = eventlog.Source{Name: "-", Reader: f}
			}
			r, err := conform.Run(m, src, v.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkTruth(t, r, tr)
			if r.InputOrder != v.order {
				t.Errorf("order %q, want %q", r.InputOrder, v.order)
			}
			if !reflect.DeepEqual(comparable(r), comparable(want)) {
				a, _ := json.Marshal(comparable(r))
				b, _ := json.Marshal(comparable(want))
				t.Errorf("report differs:\n%s\n%s", a, b)
			}
		})
	}
}

func TestMap(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.Synthetic))
	var edges []string
	for _, e := range m.Edges {
		rate := "null"
		if e.Rate != nil {
			rate = fmt.Sprint(*e.Rate)
		}
		edges = append(edges, fmt.Sprintf("%s->%s:%s", m.Stages[e.From], m.Stages[e.To], rate))
	}
	want := []string{"start->try:0.75", "try->try:0.2", "try->won:0.5", "try->lost:null", "lost->winback:null", "winback->try:null"}
	if !slices.Equal(edges, want) {
		t.Errorf("edges %v\nwant %v", edges, want)
	}
	if s, ok := m.Stage("shared"); !ok || m.Stages[s] != "start" {
		t.Errorf("an event of two stages belongs to the first")
	}
	if _, ok := m.Stage("try"); !ok {
		t.Errorf("a stage without events is reached by its id")
	}
	if _, ok := m.Stage("start"); ok {
		t.Errorf("a stage with events is not reached by its id")
	}
	notes := strings.Join(m.Notes, "\n")
	for _, w := range []string{`event "shared" is listed by stages "start" and "won"`, `transition to "nowhere"`} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes miss %q:\n%s", w, notes)
		}
	}
}

// TestConformDefinitions checks each definition on a hand-made log.
func TestConformDefinitions(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.Synthetic))
	log := `case_id,event,timestamp
a,signup,2024-05-01T10:00:00Z
a,try,2024-05-01T11:00:00Z
a,try,2024-05-01T12:00:00Z
a,paid,2024-05-01T13:00:00Z
b,signup_mobile,2024-05-01T10:00:00+02:00
b,page_view,2024-05-01T10:00:00Z
b,lost,2024-05-01T09:00:00Z
b,winback,2024-05-02T09:00:00Z
b,paid,2024-05-02T10:00:00Z
b,try,2024-05-02T10:00:00Z
c,try,1714557600
c,signup,1714557600000
d,paid,2024-05-01T12:00:00Z
d,signup,2024-05-01T11:00:00Z
d,try,2024-05-01T13:00:00Z
`
	r := mustRun(t, m, log, conform.Options{})
	// Case b in time order: signup_mobile (08:00Z), lost (09:00Z),
	// winback, then paid and try at the same time: in the file order of
	// their stages, try (2nd stage) before won (3rd), whatever the rows'
	// order. Case c: try and signup at the same time (Unix seconds and
	// milliseconds): start first. Case d: rows out of time order.
	want := map[[2]string]int64{
		{"start", "try"}:     2,
		{"try", "try"}:       1,
		{"try", "won"}:       2,
		{"start", "lost"}:    1,
		{"lost", "winback"}:  1,
		{"winback", "try"}:   1,
		{"start", "won"}:     1,
		{"won", "try"}:       1,
		{"try", "start"}:     0,
		{"won", "winback"}:   0,
		{"start", "start"}:   0,
		{"never", "never"}:   0,
		{"lost", "lost"}:     0,
		{"start", "winback"}: 0,
	}
	got := eventgen.Moves(r)
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s -> %s: %d moves, want %d", k[0], k[1], got[k], n)
		}
	}
	if r.Cases != 4 || r.Moves != 10 || r.OnMapMoves != 7 || *r.Fitness != 0.7 {
		t.Errorf("cases %d moves %d on-map %d fitness %v", r.Cases, r.Moves, r.OnMapMoves, *r.Fitness)
	}
	if r.UnknownEvents != 1 || r.UnknownEventNames[0] != (conform.NameCount{Event: "page_view", Count: 1}) {
		t.Errorf("unknown %d %v", r.UnknownEvents, r.UnknownEventNames)
	}
	if !slices.Equal(r.UnseenStages, []string{"never"}) {
		t.Errorf("unseen %v", r.UnseenStages)
	}
	for _, e := range r.Edges {
		switch e.From + ">" + e.To {
		case "try>try":
			// try was reached 5 times (a twice, b, c and d once).
			if *e.ObservedRate != 0.2 || *e.DesignedRate != 0.2 || *e.MedianSeconds != 3600 {
				t.Errorf("try -> try: %+v", e)
			}
		case "start>try":
			if *e.DesignedRate != 0.75 || *e.ObservedRate != 0.5 {
				t.Errorf("start -> try: rates %v %v", *e.ObservedRate, *e.DesignedRate)
			}
		case "lost>winback":
			if e.DesignedRate != nil || *e.ObservedRate != 1 || *e.MedianSeconds != 86400 {
				t.Errorf("lost -> winback: %+v", e)
			}
		}
	}
	// off-map ranking: by count, then from, then to.
	var off []string
	for _, o := range r.OffMap {
		off = append(off, o.From+">"+o.To)
	}
	if want := []string{"start>lost", "start>won", "won>try"}; !slices.Equal(off, want) {
		t.Errorf("off-map %v, want %v", off, want)
	}
	// The order of the rows never matters, ties included.
	lines := strings.Split(strings.TrimSuffix(log, "\n"), "\n")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50; i++ {
		rows := slices.Clone(lines[1:])
		rng.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		shuffled := lines[0] + "\n" + strings.Join(rows, "\n") + "\n"
		rs := mustRun(t, m, shuffled, conform.Options{})
		if a, b := comparable(r), comparable(rs); !reflect.DeepEqual(a, b) {
			t.Fatalf("rows in another order give another report:\n%s\n%+v\n%+v", shuffled, a, b)
		}
	}
}

func TestQuantile(t *testing.T) {
	cases := []struct {
		ms       []int64
		med, p90 float64
	}{
		{[]int64{5000}, 5, 5},
		{[]int64{1000, 2000}, 1.5, 1.9},
		{[]int64{1000, 2000, 3000}, 2, 2.8},
		{[]int64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10000}, 0, 0},
		{[]int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10000}, 0.005, 0.009},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 0.0065, 0.0109},
	}
	for _, c := range cases {
		med, p90 := conform.Quantile(c.ms, 1, 2), conform.Quantile(c.ms, 9, 10)
		if math.Abs(med-c.med) > 1e-12 || math.Abs(p90-c.p90) > 1e-12 {
			t.Errorf("%v: median %v p90 %v, want %v %v", c.ms, med, p90, c.med, c.p90)
		}
	}
}

func TestCompareCaseIDs(t *testing.T) {
	ordered := []string{"1", "2", "9", "10", "011", "11", "100", "1a", "A", "a", "a1", "b"}
	for i := range ordered {
		for k := range ordered {
			got := conform.CompareCaseIDs(ordered[i], ordered[k])
			want := 0
			if i < k {
				want = -1
			} else if i > k {
				want = 1
			}
			if got != want {
				t.Errorf("compare(%q, %q) = %d, want %d", ordered[i], ordered[k], got, want)
			}
		}
	}
	// Ids exported in numeric order stream; ids in a case-insensitive
	// order are sorted (and give the same report).
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.Synthetic))
	r := mustRun(t, m, "case_id,event,timestamp\n9,signup,1\n9,try,2\n10,signup,1\n10,try,2\n", conform.Options{})
	if r.InputOrder != conform.OrderGrouped || r.Cases != 2 {
		t.Errorf("numeric ids: %s, %d cases", r.InputOrder, r.Cases)
	}
	r2 := mustRun(t, m, "case_id,event,timestamp\nb,signup,1\nb,try,2\nA,signup,1\nA,try,2\nb,paid,3\n", conform.Options{})
	if r2.InputOrder != conform.OrderSortedMemory || r2.Cases != 2 || r2.Moves != 3 {
		t.Errorf("unsorted ids: %s, %d cases, %d moves", r2.InputOrder, r2.Cases, r2.Moves)
	}
}

func TestWriteFormats(t *testing.T) {
	m := eventgen.Map(t, eventgen.Load(t, "testdata/worked/nurture.journey.yaml"))
	r, err := conform.Run(m, eventlog.Source{Path: "testdata/worked/events.csv"}, conform.Options{Case: "user_id", Event: "event_name", Time: "occurred_at"})
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if err := conform.Write(&js, r, "json"); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"journey", "cases", "moves", "fitness", "edges", "off_map", "unseen_stages"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	edge := doc["edges"].([]any)[2].(map[string]any)
	for _, k := range []string{"from", "to", "observed", "observed_rate", "designed_rate"} {
		if _, ok := edge[k]; !ok {
			t.Errorf("an edge lacks %q", k)
		}
	}
	if edge["designed_rate"] != nil {
		t.Errorf("an edge without rate: designed_rate %v, want null", edge["designed_rate"])
	}
	off := doc["off_map"].([]any)[0].(map[string]any)
	if off["from"] != "downloads-ebook" || off["to"] != "books-sales-call" || off["count"] != 1.0 {
		t.Errorf("off_map %v", off)
	}
	var text, md bytes.Buffer
	conform.Write(&text, r, "text")
	conform.Write(&md, r, "markdown")
	for _, w := range []string{"Fitness: 94.12% (16 of 17 moves on the map)", "downloads-ebook -> books-sales-call", "line 33: cannot read time \"yesterday\"", "page_view 2"} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("text lacks %q:\n%s", w, text.String())
		}
	}
	if !strings.Contains(md.String(), "| `downloads-ebook` → `books-sales-call` | 1 |") {
		t.Errorf("markdown:\n%s", md.String())
	}
	if err := conform.Write(&text, r, "xml"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestNoTimingAndEmpty(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.Synthetic))
	r := mustRun(t, m, "case_id,event,timestamp\na,signup,1\na,try,2\n", conform.Options{NoTiming: true})
	if r.Edges[0].Observed != 1 || r.Edges[0].MedianSeconds != nil || r.Timing {
		t.Errorf("no timing: %+v", r.Edges[0])
	}
	// A header alone: no events, no moves, fitness null.
	r = mustRun(t, m, "case_id,event,timestamp\n", conform.Options{})
	if r.Cases != 0 || r.Moves != 0 || r.Fitness != nil || len(r.UnseenStages) != len(m.Stages) {
		t.Errorf("empty log: %+v", r)
	}
	var b bytes.Buffer
	conform.Write(&b, r, "json")
	if !strings.Contains(b.String(), `"fitness": null`) || !strings.Contains(b.String(), `"off_map": []`) {
		t.Errorf("empty JSON:\n%s", b.String())
	}
}

// TestDurationBlocks: the quantiles found by rank across sorted blocks
// equal those of one sorted slice.
func TestDurationBlocks(t *testing.T) {
	for _, n := range []int{1, 2, 3, 17, 1000, 3*conform.DurationBlock + 5} {
		all := make([]int64, 0, n)
		x := uint64(n)
		for range n {
			x = x*6364136223846793005 + 1442695040888963407
			v := int64(x>>40) % 100000
			if n == 1000 {
				v %= 7 // many ties
			}
			all = append(all, v)
		}
		med, p90 := conform.Timing(all) // kept in blocks, in input order
		slices.Sort(all)
		if *med != conform.Quantile(all, 1, 2) || *p90 != conform.Quantile(all, 9, 10) {
			t.Errorf("n=%d: median %v p90 %v, want %v %v", n, *med, *p90, conform.Quantile(all, 1, 2), conform.Quantile(all, 9, 10))
		}
	}
}
