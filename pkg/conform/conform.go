package conform

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"unsafe"

	"github.com/journeykit/journey/pkg/eventlog"
)

// Options tune Run.
type Options struct {
	// Case, Event and Time name the columns (CSV, TSV) or keys (JSON
	// Lines) of the case id, the event name and the time. Defaults:
	// eventlog.DefaultCase, DefaultEvent and DefaultTime (case_id, event,
	// timestamp).
	Case, Event, Time string
	// InputFormat is one of eventlog.InputFormats: auto (default), csv,
	// tsv or jsonl.
	InputFormat string
	// Strict makes the first bad row an error instead of a counted,
	// reported, skipped row.
	Strict bool
	// BadRowSamples is how many bad rows are reported with their line and
	// message (default 10; the rest are counted).
	BadRowSamples int
	// UnknownEventNames is how many distinct unknown event names are
	// counted one by one (default 1000; later names are counted together).
	UnknownEventNames int
	// NoTiming drops the time between stages: no durations are kept (see
	// Report), so memory does not grow with the number of moves.
	NoTiming bool
	// SortMemory is the memory, in bytes, for sorting a log that is not
	// grouped by case: beyond it, sorted runs go to temporary files and
	// are merged (default 64 MiB).
	SortMemory int64
	// TempDir holds those files (default os.TempDir()).
	TempDir string
}

func (o *Options) defaults() {
	c := o.columns().WithDefaults()
	o.Case, o.Event, o.Time = c.Case, c.Event, c.Time
	if o.BadRowSamples <= 0 {
		o.BadRowSamples = 10
	}
	if o.UnknownEventNames <= 0 {
		o.UnknownEventNames = 1000
	}
	if o.SortMemory <= 0 {
		o.SortMemory = 64 << 20
	}
}

func (o *Options) columns() eventlog.Columns {
	return eventlog.Columns{Case: o.Case, Event: o.Event, Time: o.Time}
}

// Input orders, as reported.
const (
	OrderGrouped      = "grouped"
	OrderSortedMemory = "sorted in memory"
	OrderSortedDisk   = "sorted on disk"
)

// errNotGrouped stops the first reading: the log is not sorted by case.
var errNotGrouped = errors.New("not grouped by case")

// Run replays the event log against the map.
//
// A log sorted by case id (byte order, or numerically when the ids are
// integers), whatever the order of a case's own events, is read once and
// streamed: memory holds one case's events at a time. When a case id comes
// after a greater one, the log is not sorted: Run starts again from the
// beginning (reading a file again, or what it kept of a reader) and sorts
// the events by case, in memory up to Options.SortMemory, beyond that in
// sorted runs on disk merged at the end. The durations of the moves are
// kept for the exact median and p90 (8 bytes per move) unless
// Options.NoTiming.
func Run(m *Map, src eventlog.Source, opts Options) (*Report, error) {
	opts.defaults()
	if src.Name == "" {
		src.Name = src.Path
		if src.Name == "" {
			src.Name = "-"
		}
	}
	log := eventlog.Open(src, opts.TempDir)
	defer log.Close()

	acc := newAccumulator(m, &opts, src.Name)
	st := newStreamer(acc, &opts)
	err := readAll(log, &opts, acc, st)
	st.cleanup()
	if err == errNotGrouped {
		acc = newAccumulator(m, &opts, src.Name)
		s := newSorter(acc, &opts)
		if src.Path != "" {
			// Growing a large slice costs a copy and fresh pages each
			// time: size it from the file (a row takes 32 bytes or more).
			if fi, err := os.Stat(src.Path); err == nil && fi.Mode().IsRegular() {
				s.reserve(fi.Size() / 32)
			}
		}
		defer s.cleanup()
		err = readAll(log, &opts, acc, s)
		acc.order = s.order()
	}
	if err != nil {
		return nil, err
	}
	if acc.badRows > 0 && acc.badRows == acc.rows {
		msg := "no row could be read"
		for i, b := range acc.badSamples {
			if i == 3 {
				break
			}
			msg += fmt.Sprintf("; line %d: %s", b.Line, b.Message)
		}
		return nil, &eventlog.InputError{Name: src.Name, Msg: msg}
	}
	return acc.report(), nil
}

// sink receives the mapped events of valid rows.
type sink interface {
	add(caseID string, stage int32, t, seq int64) error
	finish() error
}

func readAll(log *eventlog.Log, opts *Options, acc *accumulator, sk sink) error {
	rows, err := log.Rows(opts.InputFormat, opts.columns())
	if err != nil {
		return err
	}
	defer rows.Close()
	acc.format = rows.Format()
	var seq int64
	for {
		r, err := rows.Next()
		if err != nil {
			if err == io.EOF {
				break
			}
			var re *eventlog.RowError
			if errors.As(err, &re) {
				acc.rows++
				if err := acc.bad(re.Line, re.Msg); err != nil {
					return err
				}
				continue
			}
			return err
		}
		acc.rows++
		if r.Event == "" {
			if err := acc.bad(r.Line, fmt.Sprintf("no event name in %q", opts.Event)); err != nil {
				return err
			}
			continue
		}
		stage, ok := acc.m.byEvent[r.Event]
		if !ok {
			acc.unknown(r.Event)
			continue
		}
		if r.Case == "" {
			if err := acc.bad(r.Line, fmt.Sprintf("no case id in %q", opts.Case)); err != nil {
				return err
			}
			continue
		}
		t, terr := eventlog.ParseTime(r.Time)
		if terr != nil {
			msg := terr.Error()
			if r.Time == "" {
				msg = fmt.Sprintf("no time in %q", opts.Time)
			}
			if err := acc.bad(r.Line, msg); err != nil {
				return err
			}
			continue
		}
		acc.mapped++
		if err := sk.add(r.Case, stage, t, seq); err != nil {
			return err
		}
		seq++
	}
	return sk.finish()
}

// event is one mapped event of a case.
type event struct {
	t     int64
	seq   int64
	stage int32
}

// streamer processes a log sorted by case: one case at a time. A case's
// events are kept in memory up to caseMax; a case with more is replayed as
// its events come when they come in time order, else it goes through a
// sorter of its own (on disk beyond Options.SortMemory), so that memory
// stays bounded however many events one case has.
type streamer struct {
	acc     *accumulator
	opts    *Options
	cur     string
	started bool
	events  []event
	caseMax int
	big     *sorter // the current case, when it has more than caseMax events
	// replaying: the current case has more than caseMax events in time
	// order, replayed as they come; last is the last one.
	replaying bool
	last      event
}

// eventSize is the memory of an event kept for a case.
const eventSize = int64(unsafe.Sizeof(event{}))

func newStreamer(acc *accumulator, opts *Options) *streamer {
	return &streamer{acc: acc, opts: opts, caseMax: int(max(minSortRecs, opts.SortMemory/2/eventSize))}
}

func (s *streamer) add(caseID string, stage int32, t, seq int64) error {
	if !s.started || caseID != s.cur {
		if s.started {
			if compareCaseIDs(s.cur, caseID) > 0 {
				return errNotGrouped
			}
			if err := s.flush(); err != nil {
				return err
			}
		}
		s.cur = strings.Clone(caseID)
		s.started = true
	}
	if s.replaying {
		// The case is replayed as its events come: they must keep coming
		// in time order.
		e := event{t: t, seq: seq, stage: stage}
		if byTime(s.last, e) > 0 {
			return errNotGrouped
		}
		s.acc.step(e)
		s.last = e
		return nil
	}
	if s.big == nil && len(s.events) >= s.caseMax && slices.IsSortedFunc(s.events, byTime) {
		// Too many events to keep, in time order so far: replay them and
		// the next ones as they come. Should one come out of order, the
		// log is read again and sorted (errNotGrouped).
		s.acc.beginCase()
		for _, e := range s.events {
			s.acc.step(e)
		}
		s.last = s.events[len(s.events)-1]
		s.events = s.events[:0]
		s.replaying = true
		return s.add(caseID, stage, t, seq)
	}
	if s.big == nil && len(s.events) >= s.caseMax {
		s.big = newSorter(s.acc, s.opts)
		for _, e := range s.events {
			if err := s.big.add(s.cur, e.stage, e.t, e.seq); err != nil {
				return err
			}
		}
		s.events = nil
	}
	if s.big != nil {
		return s.big.add(s.cur, stage, t, seq)
	}
	s.events = append(s.events, event{t: t, seq: seq, stage: stage})
	return nil
}

// flush replays the current case.
func (s *streamer) flush() error {
	if s.replaying {
		s.acc.endCase()
		s.replaying = false
		return nil
	}
	if s.big != nil {
		err := s.big.finish()
		s.big.cleanup()
		s.big = nil
		return err
	}
	if len(s.events) > 0 {
		s.acc.addCase(s.events)
		s.events = s.events[:0]
	}
	return nil
}

func (s *streamer) finish() error { return s.flush() }

func (s *streamer) cleanup() {
	if s.big != nil {
		s.big.cleanup()
		s.big = nil
	}
}

// compareCaseIDs orders case ids: integers (digits only) before other ids,
// by value (then by bytes: 011 before 11); other ids by bytes. It is a total order, so a log in this
// order has each case's events together.
func compareCaseIDs(a, b string) int {
	ai, bi := allDigits(a), allDigits(b)
	switch {
	case ai && bi:
		ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		if len(ta) != len(tb) {
			if len(ta) < len(tb) {
				return -1
			}
			return 1
		}
		if c := strings.Compare(ta, tb); c != 0 {
			return c
		}
		return strings.Compare(a, b) // 011 before 11
	case ai:
		return -1
	case bi:
		return 1
	}
	return strings.Compare(a, b)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// edgeStat counts the moves from one stage to another.
type edgeStat struct {
	from, to  int32
	count     int64
	durations durations
}

// durations keeps the times of an edge's moves, in milliseconds, in
// blocks that grow to durationBlock values: adding never copies what is
// kept, and memory stays at 8 bytes per move (plus one block per edge).
type durations struct {
	blocks [][]int64
	n      int
}

const durationBlock = 8192

func (d *durations) add(v int64) {
	k := len(d.blocks) - 1
	if k < 0 || len(d.blocks[k]) == cap(d.blocks[k]) {
		size := 16
		if k >= 0 {
			size = min(durationBlock, 2*cap(d.blocks[k]))
		}
		d.blocks = append(d.blocks, make([]int64, 0, size))
		k++
	}
	d.blocks[k] = append(d.blocks[k], v)
	d.n++
}

// sortBlocks sorts each block in place; kth then finds values by rank
// without copying them into one slice.
func (d *durations) sortBlocks() {
	for _, b := range d.blocks {
		slices.Sort(b)
	}
}

// kth returns the value of rank k (from 0) of the sorted durations: the
// smallest v such that more than k durations are <= v, found by bisecting
// the values (blocks must be sorted).
func (d *durations) kth(k int64) int64 {
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, b := range d.blocks {
		if len(b) > 0 {
			lo, hi = min(lo, b[0]), max(hi, b[len(b)-1])
		}
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if lo < 0 && hi > 0 {
			mid = (lo + hi) / 2 // no overflow: the signs differ
		}
		var count int64
		for _, b := range d.blocks {
			i, _ := slices.BinarySearch(b, mid+1)
			count += int64(i)
		}
		if count > k {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// accumulator adds up the cases.
type accumulator struct {
	m      *Map
	opts   *Options
	name   string
	format string
	order  string

	rows, mapped, unknownCount, badRows int64
	unknownNames                        map[string]int64
	unknownOther                        int64
	badSamples                          []BadRow

	cases, moves, onMap int64
	reached             []int64
	// the case being replayed: its events so far, the last one's stage
	// and time
	caseEvents int64
	lastStage  int32
	lastT      int64
	// durations kept, and whether they were dropped past MaxDurations
	kept          int64
	timingDropped bool
	n             int
	flat          []*edgeStat // n*n when small
	byKey         map[uint64]*edgeStat
	stats         []*edgeStat
}

func newAccumulator(m *Map, opts *Options, name string) *accumulator {
	n := len(m.Stages)
	a := &accumulator{m: m, opts: opts, name: name, order: OrderGrouped, unknownNames: map[string]int64{}, reached: make([]int64, n), n: n}
	if n <= 512 {
		a.flat = make([]*edgeStat, n*n)
	} else {
		a.byKey = map[uint64]*edgeStat{}
	}
	return a
}

func (a *accumulator) bad(line int64, msg string) error {
	if a.opts.Strict {
		return &eventlog.InputError{Name: a.name, Line: line, Msg: msg + " (--strict stops at the first bad row)"}
	}
	a.badRows++
	if len(a.badSamples) < a.opts.BadRowSamples {
		a.badSamples = append(a.badSamples, BadRow{Line: line, Message: msg})
	}
	return nil
}

// maxNameLen is the longest unknown event name kept; longer ones are cut.
const maxNameLen = 200

func (a *accumulator) unknown(name string) {
	a.unknownCount++
	if _, ok := a.unknownNames[name]; ok {
		a.unknownNames[name]++
		return
	}
	if len(name) > maxNameLen {
		cut := maxNameLen
		for cut > 0 && name[cut]&0xC0 == 0x80 {
			cut--
		}
		name = fmt.Sprintf("%s… (%d bytes)", name[:cut], len(name))
		if _, ok := a.unknownNames[name]; ok {
			a.unknownNames[name]++
			return
		}
	}
	if len(a.unknownNames) >= a.opts.UnknownEventNames {
		a.unknownOther++
		return
	}
	a.unknownNames[strings.Clone(name)] = 1
}

func (a *accumulator) stat(from, to int32) *edgeStat {
	if a.flat != nil {
		k := int(from)*a.n + int(to)
		s := a.flat[k]
		if s == nil {
			s = &edgeStat{from: from, to: to}
			a.flat[k] = s
			a.stats = append(a.stats, s)
		}
		return s
	}
	k := edgeKey(from, to)
	s := a.byKey[k]
	if s == nil {
		s = &edgeStat{from: from, to: to}
		a.byKey[k] = s
		a.stats = append(a.stats, s)
	}
	return s
}

// MaxDurations is the most times between stages kept (8 bytes each, for
// the exact median and p90): past it they are all dropped, and the report
// has no timing (a note says so).
const MaxDurations = 32 << 20

// maxDurations is MaxDurations (a variable for tests).
var maxDurations int64 = MaxDurations

// addCase replays one case's events, given in any order: they are put
// in time order, events with the same time in the order of their stages
// in the journey file (as the SQL orders them), then in input order.
func (a *accumulator) addCase(evs []event) {
	if !slices.IsSortedFunc(evs, byTime) {
		slices.SortStableFunc(evs, byTime)
	}
	a.beginCase()
	for i := range evs {
		a.step(evs[i])
	}
	a.endCase()
}

// beginCase, step and endCase replay a case one event at a time, the
// events in time order.
func (a *accumulator) beginCase() { a.caseEvents = 0 }

func (a *accumulator) step(e event) {
	a.reached[e.stage]++
	if a.caseEvents > 0 {
		s := a.stat(a.lastStage, e.stage)
		s.count++
		a.moves++
		if !a.opts.NoTiming && !a.timingDropped {
			if a.kept >= maxDurations {
				a.dropTiming()
			} else {
				s.durations.add(e.t - a.lastT)
				a.kept++
			}
		}
	}
	a.caseEvents++
	a.lastStage, a.lastT = e.stage, e.t
}

func (a *accumulator) endCase() {
	if a.caseEvents > 0 {
		a.cases++
	}
}

// dropTiming frees the durations kept: there are too many.
func (a *accumulator) dropTiming() {
	a.timingDropped = true
	for _, s := range a.stats {
		s.durations = durations{}
	}
}

// byTime orders the events of a case: by time, then by the position of
// their stage in the journey file. Two events of one stage at the same
// time make the same moves in either order, so the SQL's further
// tie-break by event name changes nothing.
func byTime(x, y event) int {
	if c := cmp.Compare(x.t, y.t); c != 0 {
		return c
	}
	return cmp.Compare(x.stage, y.stage)
}
