package conform

import (
	"errors"
	"fmt"
	"io"
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
	// tsv, jsonl or xes.
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
	// CollapseRepeats merges consecutive events of one stage in a case
	// (repeated page views) into one visit, at the time of its first
	// event: no self-moves, and a stage is reached once per visit.
	CollapseRepeats bool
	// NoTiming drops the time between stages: no durations are kept (see
	// Report), so memory does not grow with the number of moves.
	NoTiming bool
	// SortMemory is the memory, in bytes, for sorting a log that is not
	// grouped by case: beyond it, sorted runs go to temporary files and
	// are merged (default 64 MiB).
	SortMemory int64
	// TempDir holds those files (default os.TempDir()).
	TempDir string
	// Visit, when set, is called at the start of each reading of the log
	// and returns what sees that reading's cases: each case's mapped events
	// one by one, in the order its moves are made of (journey attribute
	// uses it). A log that is not grouped by case is read twice: the
	// visitor of the first reading must then be dropped.
	Visit func() CaseVisitor
}

// CaseVisitor sees the cases of a reading of the log, one after the
// other: BeginCase, then Event with the stage (an index into Map.Stages)
// of each of its mapped events in order, then EndCase.
type CaseVisitor interface {
	BeginCase()
	Event(stage int32)
	EndCase()
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
		s.acc.beginCase(s.cur)
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
		s.acc.addCase(s.cur, s.events)
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
