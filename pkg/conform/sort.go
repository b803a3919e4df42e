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
)

// sorter groups the events of a log that is not sorted by case: it keeps
// records in memory up to Options.SortMemory, then sorts them by (hash of
// the case id, case id, time, stage, input order) and writes them to a
// temporary file as a sorted run. At the end the runs are merged (at most
// maxFanIn at a time) and each case goes to the accumulator.
type sorter struct {
	acc      *accumulator
	tempDir  string
	maxRecs  int
	maxArena int

	recs  []srec
	arena []byte
	last  string // case id of the last record, to share its bytes
	runs  []*runFile
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

// maxFanIn is the most runs merged at once (a variable for tests).
var maxFanIn = 128

func newSorter(acc *accumulator, opts *Options) *sorter {
	budget := opts.SortMemory
	return &sorter{
		acc:      acc,
		tempDir:  opts.TempDir,
		maxRecs:  int(max(1024, budget*2/3/srecSize)),
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
	if len(s.recs) > 0 && caseID == s.last {
		prev := s.recs[len(s.recs)-1]
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
		s.last = caseID
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

// writeRun sorts what is in memory and writes it to a temporary file.
func (s *sorter) writeRun() error {
	if len(s.recs) == 0 {
		return nil
	}
	s.sortRecs()
	rf, err := newRunFile(s.tempDir)
	if err != nil {
		return err
	}
	for i := range s.recs {
		r := &s.recs[i]
		rf.write(r.hash, s.id(r), r.t, r.seq, r.stage)
	}
	if err := rf.finishWriting(); err != nil {
		rf.remove()
		return err
	}
	s.runs = append(s.runs, rf)
	s.spill++
	s.recs = s.recs[:0]
	s.arena = s.arena[:0]
	s.last = ""
	return nil
}

func (s *sorter) finish() error {
	if len(s.runs) == 0 {
		// Everything fits in memory.
		s.sortRecs()
		var evs []event
		for i := 0; i < len(s.recs); {
			j := i + 1
			for j < len(s.recs) && s.recs[j].hash == s.recs[i].hash && bytes.Equal(s.id(&s.recs[j]), s.id(&s.recs[i])) {
				j++
			}
			evs = evs[:0]
			for _, r := range s.recs[i:j] {
				evs = append(evs, event{t: r.t, seq: r.seq, stage: r.stage})
			}
			s.acc.addCase(evs)
			i = j
		}
		s.recs, s.arena = nil, nil
		return nil
	}
	if err := s.writeRun(); err != nil {
		return err
	}
	s.recs, s.arena = nil, nil
	for len(s.runs) > maxFanIn {
		out, err := newRunFile(s.tempDir)
		if err != nil {
			return err
		}
		group := s.runs[:maxFanIn]
		err = merge(group, func(r *runRec) { out.write(r.hash, r.id, r.t, r.seq, r.stage) })
		for _, rf := range group {
			rf.remove()
		}
		if err == nil {
			err = out.finishWriting()
		}
		if err != nil {
			out.remove()
			s.runs = s.runs[maxFanIn:]
			return err
		}
		s.runs = append(s.runs[maxFanIn:], out)
	}
	var evs []event
	var cur []byte
	var curHash uint64
	err := merge(s.runs, func(r *runRec) {
		if len(evs) > 0 && (r.hash != curHash || !bytes.Equal(r.id, cur)) {
			s.acc.addCase(evs)
			evs = evs[:0]
		}
		if len(evs) == 0 {
			cur = append(cur[:0], r.id...)
			curHash = r.hash
		}
		evs = append(evs, event{t: r.t, seq: r.seq, stage: r.stage})
	})
	if err != nil {
		return err
	}
	if len(evs) > 0 {
		s.acc.addCase(evs)
	}
	return nil
}

func (s *sorter) cleanup() {
	for _, rf := range s.runs {
		rf.remove()
	}
	s.runs = nil
}

// runFile is a sorted run on disk: records of uvarint id length, id,
// hash (8 bytes), varint time, uvarint seq, uvarint stage.
type runFile struct {
	f       *os.File
	w       *bufio.Writer
	removed bool // the name is gone already (unlinked while open)
	err     error
	buf     [3 * binary.MaxVarintLen64]byte
}

func newRunFile(dir string) (*runFile, error) {
	f, err := os.CreateTemp(dir, "journey-conform-*.run")
	if err != nil {
		return nil, fmt.Errorf("sorting the events on disk: %v", err)
	}
	rf := &runFile{f: f, w: bufio.NewWriterSize(f, 1<<20)}
	// Unlink at once where the system allows it: nothing is left behind
	// even if the process is killed.
	if os.Remove(f.Name()) == nil {
		rf.removed = true
	}
	return rf, nil
}

func (rf *runFile) write(hash uint64, id []byte, t, seq int64, stage int32) {
	if rf.err != nil {
		return
	}
	b := binary.AppendUvarint(rf.buf[:0], uint64(len(id)))
	rf.w.Write(b)
	rf.w.Write(id)
	b = binary.LittleEndian.AppendUint64(rf.buf[:0], hash)
	b = binary.AppendVarint(b, t)
	b = binary.AppendUvarint(b, uint64(seq))
	b = binary.AppendUvarint(b, uint64(stage))
	_, rf.err = rf.w.Write(b)
}

func (rf *runFile) finishWriting() error {
	if rf.err == nil {
		rf.err = rf.w.Flush()
	}
	if rf.err != nil {
		return fmt.Errorf("sorting the events on disk: %v", rf.err)
	}
	rf.w = nil
	return nil
}

func (rf *runFile) remove() {
	name := rf.f.Name()
	rf.f.Close()
	if !rf.removed {
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
func merge(runs []*runFile, emit func(*runRec)) error {
	h := make(runHeap, 0, len(runs))
	for _, rf := range runs {
		if _, err := rf.f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("sorting the events on disk: %v", err)
		}
		rr := &runReader{r: bufio.NewReaderSize(rf.f, 64<<10)}
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
