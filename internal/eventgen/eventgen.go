// Package eventgen writes synthetic event logs of a journey for the tests
// and benchmarks of journey conform: customers walk the journey's
// transitions with their designed rates and waits, optionally with
// off-map jumps injected, and the generator returns the truth (cases,
// events, moves per edge) that a replay of the log must find. The same
// seed and options give the same bytes. It also holds the small helpers
// those tests share (loading a journey, writing a log to a file, the moves
// of a report). The binary does not use it.
package eventgen

import (
	"bufio"
	"container/heap"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
	"github.com/journeykit/journey/pkg/journey"
)

// Options describe an event log to generate.
type Options struct {
	// Seed makes the log: the same seed and options give the same bytes.
	// Case i draws from its own PCG source seeded with (Seed, i), so the
	// cases do not depend on Order.
	Seed uint64
	// Cases is the number of cases. When Events is set instead, cases are
	// added until at least Events events are written (the last case is
	// whole).
	Cases  int
	Events int
	// Start is the time of the first case's first event (default
	// 2024-01-01T00:00:00Z); case i starts Spacing later than case i-1
	// (default one minute).
	Start   time.Time
	Spacing time.Duration
	// JitterSeconds adds 0..JitterSeconds seconds (uniform) to each wait;
	// MinGapSeconds is added to every wait, so that with a value of 1 or
	// more no two events of a case share a time.
	JitterSeconds int64
	MinGapSeconds int64
	// Order is "case" (default: each case's events together, cases by
	// number) or "time" (every event in time order, as a warehouse export
	// ordered by timestamp is; cases interleave).
	Order string
	// Format is csv (default), tsv or jsonl. TimeFormat is rfc3339
	// (default, 2024-01-01T00:00:00Z), unix (seconds) or unixms.
	Format     string
	TimeFormat string
	// Columns are the names of the case, event and time columns (default
	// case_id, event, timestamp).
	Columns [3]string
	// Inject adds off-map moves.
	Inject []Injection
	// MaxSteps ends a case after that many events (default 1000), so that
	// a loop always ends.
	MaxSteps int
}

// Injection makes customers at stage From jump to stage To (a move the
// journey does not have) with probability Rate, instead of following the
// map; they go on from To along the map. The jump takes DelaySeconds
// (default 3600).
type Injection struct {
	From, To     string
	Rate         float64
	DelaySeconds int64
}

// Truth is what a generated log holds, for tests to compare against.
type Truth struct {
	Cases, Events int64
	// Moves counts every move by [from, to] stage id.
	Moves map[[2]string]int64
	// Reached counts the events of each stage.
	Reached map[string]int64
}

// arcs of a stage for the generator.
type genArc struct {
	to    int32 // -1: leaves the journey (hand-off) without an event
	p     float64
	delay int64 // seconds
}

type genStage struct {
	events []string
	arcs   []genArc
	inject []genArc // off-map jumps, tried first
}

type generator struct {
	m       *conform.Map
	stages  []genStage
	entries []int32
	o       Options
	start   int64 // seconds
	spacing int64
}

// Generate writes an event log of journey j: customers start at an entry
// stage (evenly split), take each transition with its rate (a stage's
// missing rates share what its given rates leave of 1 equally, failure
// reasons' follow-ups count as transitions without a rate; what the rates
// leave is drop-off: the case ends), after the transition's `after` wait;
// a hand-off ends the case. An event of a stage is one of its event names,
// uniformly. It returns what it wrote.
func Generate(j *journey.Journey, w io.Writer, o Options) (*Truth, error) {
	m, err := conform.NewMap(j)
	if err != nil {
		return nil, err
	}
	g, err := newGenerator(j, m, o)
	if err != nil {
		return nil, err
	}
	cases := int64(g.o.Cases)
	if g.o.Events > 0 {
		// Count the cases that make the events (the cases do not depend on
		// the order).
		var events int64
		cases = 0
		var buf []genEvent
		for events < int64(g.o.Events) {
			buf = g.run(cases, buf[:0])
			events += int64(len(buf))
			cases++
		}
	}
	out, err := newGenWriter(w, g.o, m)
	if err != nil {
		return nil, err
	}
	truth := &Truth{Moves: map[[2]string]int64{}, Reached: map[string]int64{}}
	count := func(evs []genEvent) {
		truth.Cases++
		for i, e := range evs {
			truth.Events++
			truth.Reached[m.Stages[e.stage]]++
			if i > 0 {
				truth.Moves[[2]string{m.Stages[evs[i-1].stage], m.Stages[e.stage]}]++
			}
		}
	}
	switch g.o.Order {
	case "case":
		var buf []genEvent
		for c := range cases {
			buf = g.run(c, buf[:0])
			count(buf)
			id := strconv.FormatInt(c+1, 10)
			for _, e := range buf {
				out.write(id, e.name, e.t)
			}
		}
	case "time":
		// Every case is generated whole (small), then the cases' events
		// are merged by time: a heap of the cases under way, each with
		// its next event. Cases start in order of number, so a case joins
		// the heap when the clock reaches its start.
		h := &genHeap{}
		next := int64(0)
		for next < cases || h.Len() > 0 {
			if next < cases && (h.Len() == 0 || g.start+next*g.spacing <= (*h)[0].evs[(*h)[0].i].t) {
				evs := g.run(next, nil)
				count(evs)
				if len(evs) > 0 {
					heap.Push(h, &genCase{id: strconv.FormatInt(next+1, 10), num: next, evs: evs})
				}
				next++
				continue
			}
			c := (*h)[0]
			e := c.evs[c.i]
			out.write(c.id, e.name, e.t)
			c.i++
			if c.i == len(c.evs) {
				heap.Pop(h)
			} else {
				heap.Fix(h, 0)
			}
		}
	}
	if err := out.flush(); err != nil {
		return nil, err
	}
	return truth, nil
}

func newGenerator(j *journey.Journey, m *conform.Map, o Options) (*generator, error) {
	if o.Cases <= 0 && o.Events <= 0 {
		return nil, errors.New("generate: set Cases or Events")
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if o.Spacing <= 0 {
		o.Spacing = time.Minute
	}
	if o.Order == "" {
		o.Order = "case"
	}
	if o.Order != "case" && o.Order != "time" {
		return nil, fmt.Errorf("generate: unknown order %q (case or time)", o.Order)
	}
	if o.Format == "" {
		o.Format = eventlog.FormatCSV
	}
	if o.TimeFormat == "" {
		o.TimeFormat = "rfc3339"
	}
	if o.MaxSteps <= 0 {
		o.MaxSteps = 1000
	}
	def := [3]string{eventlog.DefaultCase, eventlog.DefaultEvent, eventlog.DefaultTime}
	for i := range o.Columns {
		if o.Columns[i] == "" {
			o.Columns[i] = def[i]
		}
	}
	g := &generator{m: m, o: o, start: o.Start.Unix(), spacing: max(1, int64(o.Spacing/time.Second)), stages: make([]genStage, len(m.Stages))}
	seen := make([]bool, len(m.Stages))
	for _, s := range j.Stages {
		i, ok := m.StageIndex(s.ID.Value)
		if !ok || seen[i] {
			continue
		}
		seen[i] = true
		gs := &g.stages[i]
		gs.events = s.EventNames()
		if s.Entry {
			g.entries = append(g.entries, i)
		}
		type pending struct {
			to    int32
			rate  *float64
			delay int64
		}
		var ps []pending
		for _, t := range s.Next {
			to := int32(-1)
			if !t.IsHandoff() || t.Journey.Value == j.ID.Value {
				k, ok := m.StageIndex(t.To.Value)
				if !ok {
					continue
				}
				to = k
			}
			ps = append(ps, pending{to: to, rate: t.Rate, delay: max(0, t.AfterMinutes) * 60})
		}
		for _, r := range s.Reasons {
			if k, ok := m.StageIndex(r.Next.Value); ok && r.Next.Value != "" {
				ps = append(ps, pending{to: k})
			}
		}
		rated, unrated := 0.0, 0
		for _, p := range ps {
			if p.rate == nil {
				unrated++
			} else {
				rated += *p.rate
			}
		}
		if rated > 1+1e-9 {
			return nil, fmt.Errorf("generate: the rates of stage %q add up to %g, more than 1", s.ID.Value, rated)
		}
		share := 0.0
		if unrated > 0 {
			share = max(0, 1-rated) / float64(unrated)
		}
		for _, p := range ps {
			pr := share
			if p.rate != nil {
				pr = *p.rate
			}
			gs.arcs = append(gs.arcs, genArc{to: p.to, p: pr, delay: p.delay})
		}
	}
	if len(g.entries) == 0 {
		g.entries = []int32{0}
	}
	for _, in := range o.Inject {
		from, ok1 := m.StageIndex(in.From)
		to, ok2 := m.StageIndex(in.To)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("generate: injection %s -> %s names a stage the journey does not have", in.From, in.To)
		}
		if _, on := m.EdgeIndex(from, to); on {
			return nil, fmt.Errorf("generate: injection %s -> %s is an edge of the journey, not an off-map move", in.From, in.To)
		}
		d := in.DelaySeconds
		if d <= 0 {
			d = 3600
		}
		g.stages[from].inject = append(g.stages[from].inject, genArc{to: to, p: in.Rate, delay: d})
	}
	return g, nil
}

// genEvent is a generated event.
type genEvent struct {
	stage int32
	name  string
	t     int64 // seconds
}

// run generates case number c.
func (g *generator) run(c int64, evs []genEvent) []genEvent {
	rng := rand.New(rand.NewPCG(g.o.Seed, uint64(c)))
	t := g.start + c*g.spacing
	stage := g.entries[rng.IntN(len(g.entries))]
	for step := 0; ; step++ {
		gs := &g.stages[stage]
		name := gs.events[0]
		if len(gs.events) > 1 {
			name = gs.events[rng.IntN(len(gs.events))]
		}
		evs = append(evs, genEvent{stage: stage, name: name, t: t})
		if step+1 >= g.o.MaxSteps {
			return evs
		}
		var arc *genArc
		for k := range gs.inject {
			if rng.Float64() < gs.inject[k].p {
				arc = &gs.inject[k]
				break
			}
		}
		if arc == nil {
			u := rng.Float64()
			for k := range gs.arcs {
				if u < gs.arcs[k].p {
					arc = &gs.arcs[k]
					break
				}
				u -= gs.arcs[k].p
			}
		}
		if arc == nil || arc.to < 0 {
			return evs
		}
		wait := arc.delay + g.o.MinGapSeconds
		if g.o.JitterSeconds > 0 {
			wait += rng.Int64N(g.o.JitterSeconds + 1)
		}
		t += wait
		stage = arc.to
	}
}

type genCase struct {
	id  string
	num int64
	evs []genEvent
	i   int
}

type genHeap []*genCase

func (h genHeap) Len() int { return len(h) }
func (h genHeap) Less(i, j int) bool {
	a, b := h[i].evs[h[i].i].t, h[j].evs[h[j].i].t
	if a != b {
		return a < b
	}
	return h[i].num < h[j].num
}
func (h genHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *genHeap) Push(x any)   { *h = append(*h, x.(*genCase)) }
func (h *genHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// genWriter writes the rows.
type genWriter struct {
	bw     *bufio.Writer
	cw     *csv.Writer
	o      Options
	record []string
	buf    []byte
}

func newGenWriter(w io.Writer, o Options, m *conform.Map) (*genWriter, error) {
	gw := &genWriter{bw: bufio.NewWriterSize(w, 1<<20), o: o, record: make([]string, 3)}
	switch o.Format {
	case eventlog.FormatCSV, eventlog.FormatTSV:
		gw.cw = csv.NewWriter(gw.bw)
		if o.Format == eventlog.FormatTSV {
			gw.cw.Comma = '\t'
		}
		if err := gw.cw.Write(o.Columns[:]); err != nil {
			return nil, err
		}
	case eventlog.FormatJSONL:
	default:
		return nil, fmt.Errorf("generate: unknown format %q", o.Format)
	}
	switch o.TimeFormat {
	case "rfc3339", "unix", "unixms":
	default:
		return nil, fmt.Errorf("generate: unknown time format %q (rfc3339, unix, unixms)", o.TimeFormat)
	}
	return gw, nil
}

func (gw *genWriter) timeText(t int64) string {
	switch gw.o.TimeFormat {
	case "unix":
		return strconv.FormatInt(t, 10)
	case "unixms":
		return strconv.FormatInt(t*1000, 10)
	}
	return time.Unix(t, 0).UTC().Format("2006-01-02T15:04:05Z")
}

func (gw *genWriter) write(id, event string, t int64) {
	ts := gw.timeText(t)
	if gw.cw != nil {
		gw.record[0], gw.record[1], gw.record[2] = id, event, ts
		gw.cw.Write(gw.record)
		return
	}
	b := gw.buf[:0]
	b = append(b, '{')
	for i, v := range [3]string{id, event, ts} {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, gw.o.Columns[i])
		b = append(b, ':')
		if i == 2 && gw.o.TimeFormat != "rfc3339" {
			b = append(b, v...)
		} else {
			b = appendJSONString(b, v)
		}
	}
	b = append(b, '}', '\n')
	gw.buf = b
	gw.bw.Write(b)
}

func (gw *genWriter) flush() error {
	if gw.cw != nil {
		gw.cw.Flush()
		if err := gw.cw.Error(); err != nil {
			return err
		}
	}
	return gw.bw.Flush()
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
