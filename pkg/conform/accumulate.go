package conform

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeykit/journey/pkg/eventlog"
)

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
	visit         CaseVisitor // Options.Visit's, or nil

	// caseID is the id of the case being replayed (valid until the next
	// case: cloned when kept).
	caseID string
	// collapsed counts the events merged into the visit before them
	// (Options.CollapseRepeats).
	collapsed int64
	// The cases whose first event is at a stage that is not an entry:
	// their count, by stage, and the smallest ids (compareCaseIDs).
	nonEntry        int64
	nonEntryByStage []int64
	nonEntryIDs     []string
}

// maxNonEntrySamples is how many ids of cases that start at a stage that
// is not an entry the report names.
const maxNonEntrySamples = 10

func newAccumulator(m *Map, opts *Options, name string) *accumulator {
	n := len(m.Stages)
	a := &accumulator{m: m, opts: opts, name: name, order: OrderGrouped, unknownNames: map[string]int64{}, reached: make([]int64, n), n: n}
	if n <= 512 {
		a.flat = make([]*edgeStat, n*n)
	} else {
		a.byKey = map[uint64]*edgeStat{}
	}
	if opts.Visit != nil {
		a.visit = opts.Visit()
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

// cutName shortens a name longer than maxNameLen bytes to its start (on
// a character boundary) and its length.
func cutName(name string) string {
	if len(name) <= maxNameLen {
		return name
	}
	cut := maxNameLen
	for cut > 0 && name[cut]&0xC0 == 0x80 {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", name[:cut], len(name))
}

func (a *accumulator) unknown(name string) {
	a.unknownCount++
	if _, ok := a.unknownNames[name]; ok {
		a.unknownNames[name]++
		return
	}
	if len(name) > maxNameLen {
		name = cutName(name)
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
func (a *accumulator) addCase(id string, evs []event) {
	if !slices.IsSortedFunc(evs, byTime) {
		slices.SortStableFunc(evs, byTime)
	}
	a.beginCase(id)
	for i := range evs {
		a.step(evs[i])
	}
	a.endCase()
}

// beginCase, step and endCase replay a case one event at a time, the
// events in time order; id is the case's id.
func (a *accumulator) beginCase(id string) {
	a.caseEvents = 0
	a.caseID = id
	if a.visit != nil {
		a.visit.BeginCase()
	}
}

func (a *accumulator) step(e event) {
	if a.caseEvents > 0 && e.stage == a.lastStage && a.opts.CollapseRepeats {
		// The same visit: it keeps the time of its first event.
		a.collapsed++
		return
	}
	if a.caseEvents == 0 && a.m.hasEntry && !a.m.Entries[e.stage] {
		a.startOffEntry(e.stage)
	}
	if a.visit != nil {
		a.visit.Event(e.stage)
	}
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
	if a.visit != nil {
		a.visit.EndCase()
	}
}

// startOffEntry counts a case whose first event is at a stage that is
// not an entry, and keeps its id when it is one of the smallest.
func (a *accumulator) startOffEntry(stage int32) {
	a.nonEntry++
	if a.nonEntryByStage == nil {
		a.nonEntryByStage = make([]int64, a.n)
	}
	a.nonEntryByStage[stage]++
	ids := a.nonEntryIDs
	if len(ids) == maxNonEntrySamples && compareCaseIDs(a.caseID, ids[len(ids)-1]) >= 0 {
		return
	}
	i, found := slices.BinarySearchFunc(ids, a.caseID, compareCaseIDs)
	if found {
		return
	}
	ids = slices.Insert(ids, i, strings.Clone(a.caseID))
	if len(ids) > maxNonEntrySamples {
		ids = ids[:maxNonEntrySamples]
	}
	a.nonEntryIDs = ids
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
