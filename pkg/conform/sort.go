package conform

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"
	"sync/atomic"
	"unsafe"
)

// sorter groups the events of a log that is not sorted by case: it keeps
// records in memory up to Options.SortMemory, then sorts them by (hash of
// the case id, case id, time, stage, input order) and appends them to a
// temporary file as a sorted run. At the end the runs are merged, at most
// maxFanIn at a time (in passes through a second file when there are more),
// and each case goes to the accumulator, its events in time order. At most
// two temporary files are open at once, whatever the number of runs.
type sorter struct {
	acc      *accumulator
	tempDir  string
	maxRecs  int
	maxArena int

	recs  []srec
	arena []byte
	store *runStore // the runs written so far
	runs  []run
	spill int // runs written (for the report)
}

// srec is an event in memory; the case id is arena[off:off+n].
type srec struct {
	hash  uint64
	t     int64
	seq   int64
	off   uint32
	n     uint32
	stage int32
}

const srecSize = 40

// minSortRecs is the fewest records sorted in memory, whatever
// Options.SortMemory (a variable for tests).
var minSortRecs int64 = 1024

// maxFanIn is the most runs merged at once (a variable for tests).
var maxFanIn = 64

func newSorter(acc *accumulator, opts *Options) *sorter {
	budget := opts.SortMemory
	return &sorter{
		acc:      acc,
		tempDir:  opts.TempDir,
		maxRecs:  int(max(minSortRecs, budget*2/3/srecSize)),
		maxArena: int(min(1<<31, max(64<<10, budget/3))),
	}
}

// reserve makes room for about n records at once (within the budget).
func (s *sorter) reserve(n int64) {
	n = min(n, int64(s.maxRecs))
	if n > int64(cap(s.recs)) {
		s.recs = make([]srec, 0, n)
		s.arena = make([]byte, 0, min(int64(s.maxArena), n*8))
	}
}

func (s *sorter) order() string {
	if s.spill > 0 {
		return OrderSortedDisk
	}
	return OrderSortedMemory
}

func hashID(id []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range id {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func (s *sorter) add(caseID string, stage int32, t, seq int64) error {
	if len(s.recs) == cap(s.recs) {
		if cap(s.recs) >= s.maxRecs {
			if err := s.writeRun(); err != nil {
				return err
			}
		}
		if len(s.recs) == cap(s.recs) {
			s.recs = slices.Grow(s.recs, min(max(1024, cap(s.recs)), s.maxRecs-len(s.recs)))
		}
	}
	var off, n uint32
	if k := len(s.recs); k > 0 && string(s.arena[s.recs[k-1].off:s.recs[k-1].off+s.recs[k-1].n]) == caseID {
		prev := s.recs[k-1]
		off, n = prev.off, prev.n
	} else {
		if len(s.arena)+len(caseID) > cap(s.arena) {
			if cap(s.arena) >= s.maxArena && len(s.recs) > 0 {
				if err := s.writeRun(); err != nil {
					return err
				}
			}
			if len(s.arena)+len(caseID) > cap(s.arena) {
				grow := max(len(caseID), min(max(64<<10, cap(s.arena)), s.maxArena-len(s.arena)))
				s.arena = slices.Grow(s.arena, grow)
			}
		}
		off, n = uint32(len(s.arena)), uint32(len(caseID))
		s.arena = append(s.arena, caseID...)
	}
	s.recs = append(s.recs, srec{hash: hashID(s.arena[off : off+n]), t: t, seq: seq, off: off, n: n, stage: stage})
	return nil
}

func (s *sorter) id(r *srec) []byte { return s.arena[r.off : r.off+r.n] }

func (s *sorter) sortRecs() {
	slices.SortFunc(s.recs, func(a, b srec) int {
		if c := cmp.Compare(a.hash, b.hash); c != 0 {
			return c
		}
		if c := bytes.Compare(s.id(&a), s.id(&b)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.t, b.t); c != 0 {
			return c
		}
		if c := cmp.Compare(a.stage, b.stage); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
}

// writeRun sorts what is in memory and appends it to the run file.
func (s *sorter) writeRun() error {
	if len(s.recs) == 0 {
		return nil
	}
	s.sortRecs()
	if s.store == nil {
		st, err := newRunStore(s.tempDir)
		if err != nil {
			return err
		}
		s.store = st
	}
	from := s.store.size
	for i := range s.recs {
		r := &s.recs[i]
		s.store.write(r.hash, s.id(r), r.t, r.seq, r.stage)
	}
	if s.store.err != nil {
		return s.store.failed()
	}
	s.runs = append(s.runs, run{store: s.store, off: from, n: s.store.size - from})
	s.spill++
	s.recs = s.recs[:0]
	s.arena = s.arena[:0]
	return nil
}

// caseFeed gives the accumulator the events of one case after another,
// each case's in time order.
type caseFeed struct {
	acc     *accumulator
	started bool
	hash    uint64
	id      []byte
}

func (f *caseFeed) event(hash uint64, id []byte, e event) {
	if !f.started || hash != f.hash || !bytes.Equal(id, f.id) {
		if f.started {
			f.acc.endCase()
		}
		f.started, f.hash, f.id = true, hash, append(f.id[:0], id...)
		f.acc.beginCase(unsafe.String(unsafe.SliceData(f.id), len(f.id)))
	}
	f.acc.step(e)
}

func (f *caseFeed) end() {
	if f.started {
		f.acc.endCase()
		f.started = false
	}
}

func (s *sorter) finish() error {
	feed := caseFeed{acc: s.acc}
	if len(s.runs) == 0 {
		// Everything fits in memory.
		s.sortRecs()
		for i := range s.recs {
			r := &s.recs[i]
			feed.event(r.hash, s.id(r), event{t: r.t, seq: r.seq, stage: r.stage})
		}
		feed.end()
		s.recs, s.arena = nil, nil
		return nil
	}
	if err := s.writeRun(); err != nil {
		return err
	}
	s.recs, s.arena = nil, nil
	// Merge passes: maxFanIn runs into one, until at most maxFanIn are left.
	for len(s.runs) > maxFanIn {
		if err := s.store.flush(); err != nil {
			return err
		}
		out, err := newRunStore(s.tempDir)
		if err != nil {
			return err
		}
		var next []run
		for i := 0; i < len(s.runs); i += maxFanIn {
			group := s.runs[i:min(i+maxFanIn, len(s.runs))]
			from := out.size
			err = merge(group, func(r *runRec) { out.write(r.hash, r.id, r.t, r.seq, r.stage) })
			if err == nil && out.err != nil {
				err = out.failed()
			}
			if err != nil {
				out.remove()
				return err
			}
			next = append(next, run{store: out, off: from, n: out.size - from})
		}
		s.store.remove()
		s.store, s.runs = out, next
	}
	if err := s.store.flush(); err != nil {
		return err
	}
	err := merge(s.runs, func(r *runRec) {
		feed.event(r.hash, r.id, event{t: r.t, seq: r.seq, stage: r.stage})
	})
	if err != nil {
		return err
	}
	feed.end()
	return nil
}

func (s *sorter) cleanup() {
	if s.store != nil {
		s.store.remove()
		s.store = nil
	}
	s.runs = nil
}

// runStore is a temporary file of sorted runs, one after the other, each
// a sequence of records: uvarint id length, id, hash (8 bytes), varint
// time, uvarint seq, uvarint stage.
type runStore struct {
	f       *os.File
	w       *bufio.Writer
	size    int64
	removed bool // the name is gone already (unlinked while open)
	err     error
	buf     [3 * binary.MaxVarintLen64]byte
}

// run is one sorted run: size bytes of a store from off.
type run struct {
	store  *runStore
	off, n int64
}

func newRunStore(dir string) (*runStore, error) {
	f, err := os.CreateTemp(dir, "journey-conform-*.run")
	if err != nil {
		return nil, fmt.Errorf("sorting the events on disk: %v", err)
	}
	st := &runStore{f: f, w: bufio.NewWriterSize(f, 64<<10)}
	if n := openStores.Add(1); n > peakStores.Load() {
		peakStores.Store(n)
	}
	// Unlink at once where the system allows it: nothing is left behind
	// even if the process is killed.
	if os.Remove(f.Name()) == nil {
		st.removed = true
	}
	return st, nil
}

func (st *runStore) write(hash uint64, id []byte, t, seq int64, stage int32) {
	if st.err != nil {
		return
	}
	b := binary.AppendUvarint(st.buf[:0], uint64(len(id)))
	st.w.Write(b)
	st.w.Write(id)
	st.size += int64(len(b) + len(id))
	b = binary.LittleEndian.AppendUint64(st.buf[:0], hash)
	b = binary.AppendVarint(b, t)
	b = binary.AppendUvarint(b, uint64(seq))
	b = binary.AppendUvarint(b, uint64(stage))
	_, st.err = st.w.Write(b)
	st.size += int64(len(b))
}

func (st *runStore) failed() error {
	return fmt.Errorf("sorting the events on disk: %v", st.err)
}

// flush writes out what is buffered, before the runs are read.
func (st *runStore) flush() error {
	if st.err == nil {
		st.err = st.w.Flush()
	}
	if st.err != nil {
		return st.failed()
	}
	return nil
}

// openStores and peakStores count the run files open now and at most (for
// tests).
var openStores, peakStores atomic.Int64

func (st *runStore) remove() {
	openStores.Add(-1)
	name := st.f.Name()
	st.f.Close()
	if !st.removed {
		os.Remove(name)
	}
}

// runRec is a record read back from a run.
type runRec struct {
	hash  uint64
	id    []byte
	t     int64
	seq   int64
	stage int32
}

type runReader struct {
	r   *bufio.Reader
	rec runRec
}

func (rr *runReader) read() error {
	n, err := binary.ReadUvarint(rr.r)
	if err != nil {
		return err // io.EOF at the end of the run
	}
	if cap(rr.rec.id) < int(n) {
		rr.rec.id = make([]byte, n)
	}
	rr.rec.id = rr.rec.id[:n]
	if _, err := io.ReadFull(rr.r, rr.rec.id); err != nil {
		return corrupt(err)
	}
	var h [8]byte
	if _, err := io.ReadFull(rr.r, h[:]); err != nil {
		return corrupt(err)
	}
	rr.rec.hash = binary.LittleEndian.Uint64(h[:])
	if rr.rec.t, err = binary.ReadVarint(rr.r); err != nil {
		return corrupt(err)
	}
	seq, err := binary.ReadUvarint(rr.r)
	if err != nil {
		return corrupt(err)
	}
	stage, err := binary.ReadUvarint(rr.r)
	if err != nil {
		return corrupt(err)
	}
	rr.rec.seq, rr.rec.stage = int64(seq), int32(stage)
	return nil
}

func corrupt(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("reading back a sorted run: %v", err)
}

type runHeap []*runReader

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(i, j int) bool {
	a, b := &h[i].rec, &h[j].rec
	if a.hash != b.hash {
		return a.hash < b.hash
	}
	if c := bytes.Compare(a.id, b.id); c != 0 {
		return c < 0
	}
	if a.t != b.t {
		return a.t < b.t
	}
	if a.stage != b.stage {
		return a.stage < b.stage
	}
	return a.seq < b.seq
}
func (h runHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)   { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// merge reads the sorted runs together and calls emit for each record in
// order.
func merge(runs []run, emit func(*runRec)) error {
	h := make(runHeap, 0, len(runs))
	for _, r := range runs {
		rr := &runReader{r: bufio.NewReaderSize(io.NewSectionReader(r.store.f, r.off, r.n), int(min(64<<10, r.n+16)))}
		switch err := rr.read(); err {
		case nil:
			h = append(h, rr)
		case io.EOF:
		default:
			return err
		}
	}
	heap.Init(&h)
	for len(h) > 0 {
		top := h[0]
		emit(&top.rec)
		switch err := top.read(); err {
		case nil:
			heap.Fix(&h, 0)
		case io.EOF:
			heap.Pop(&h)
		default:
			return err
		}
	}
	return nil
}
