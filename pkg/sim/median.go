package sim

import (
	"fmt"
	"math"
)

// maxTimeSteps bounds the work of the exact medians: the number of
// (stage, moment) pairs that carry customers before every median is found.
const maxTimeSteps = 1 << 20

// medians computes, for every absorbing state customers reach, the exact
// lower median of the time to reach it among those who end there: the
// smallest t with P(T <= t | end there) >= 1/2.
//
// Time only moves on `after` waits, so the customers are followed moment
// by moment in increasing time: at each moment t, those who arrive at some
// stages spread at once along the transitions without a wait (a linear
// solve on the chain of the wait-less transitions, instant loops
// included), end in outcomes, or are scheduled at t+d along the waits.
// The share that has reached an outcome by t only grows, so the median of
// an outcome is the first moment at which it reaches half of the outcome's
// probability, known exactly beforehand. Loops with waits make the list of
// moments infinite, but the median is reached after finitely many; when
// that takes more than maxTimeSteps steps, the median is omitted with a
// note.
func (c *chain) medians(start, absorbed []float64) (map[int]int64, []string) {
	want := map[int]float64{} // absorbing state -> half its probability
	for _, a := range c.absorbingStates() {
		if absorbed[a] > 0 {
			want[a] = absorbed[a] / 2 * (1 - 1e-12)
		}
	}
	out := map[int]int64{}
	if len(want) == 0 {
		return out, nil
	}
	// The chain of the transitions without a wait; the others leave it.
	instant := *c
	instant.arcs = make([][]arc, c.n)
	instant.drop = make([]float64, c.n)
	for k := 0; k < c.n; k++ {
		instant.drop[k] = c.drop[k]
		for _, a := range c.arcs[k] {
			if a.delay == 0 {
				instant.arcs[k] = append(instant.arcs[k], a)
			} else if a.p > 0 {
				instant.drop[k] += a.p
			}
		}
	}
	s := newSolver(&instant)

	reached := make([]float64, c.states())
	pending := map[int64]*bucket{}
	var times minHeap[int64]
	var free []*bucket
	schedule := func(to int, at int64, w float64) {
		b := pending[at]
		if b == nil {
			if n := len(free); n > 0 {
				b, free = free[n-1], free[:n-1]
			} else {
				b = &bucket{}
			}
			pending[at] = b
			times.push(at)
		}
		b.to = append(b.to, to)
		b.w = append(b.w, w)
	}
	for k, w := range start {
		if w > 0 {
			schedule(k, 0, w)
		}
	}
	steps := 0
	queued := make([]bool, len(s.comps))
	var compQueue minHeap[int]
	acc := make([]float64, c.n)
	var x []float64
	for times.Len() > 0 && len(out) < len(want) {
		t := times.pop()
		b := pending[t]
		delete(pending, t)
		steps += len(b.to)
		if steps > maxTimeSteps {
			break
		}
		for i, k := range b.to {
			w := b.w[i]
			if c.absorbing(k) {
				reached[k] += w
				continue
			}
			acc[k] += w
			if ci := s.comp[k]; !queued[ci] {
				queued[ci] = true
				compQueue.push(ci)
			}
		}
		b.to, b.w = b.to[:0], b.w[:0]
		free = append(free, b)
		// Spread along the wait-less transitions, component by component
		// in topological order: x = arrivals N0.
		for compQueue.Len() > 0 {
			ci := compQueue.pop()
			queued[ci] = false
			comp, inv := s.comps[ci], s.inv[ci]
			size := len(comp)
			x = append(x[:0], make([]float64, size)...)
			for i, k := range comp {
				w := acc[k]
				acc[k] = 0
				if w == 0 || inv == nil {
					continue
				}
				row := inv[i*size : (i+1)*size]
				for j := range x {
					x[j] += w * row[j]
				}
			}
			for j, k := range comp {
				if x[j] <= 0 {
					continue
				}
				for _, a := range c.arcs[k] {
					if a.p == 0 {
						continue
					}
					w := x[j] * a.p
					switch {
					case a.delay > 0:
						schedule(a.to, satAdd(t, a.delay), w)
					case c.absorbing(a.to):
						reached[a.to] += w
					case s.comp[a.to] != ci:
						acc[a.to] += w
						if cj := s.comp[a.to]; !queued[cj] {
							queued[cj] = true
							compQueue.push(cj)
						}
					}
				}
			}
		}
		for a, half := range want {
			if _, done := out[a]; !done && reached[a] >= half {
				out[a] = t
			}
		}
	}
	var missing []string
	for _, a := range c.absorbingStates() {
		if _, ok := want[a]; ok {
			if _, done := out[a]; !done {
				missing = append(missing, c.name(a))
			}
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	return out, []string{fmt.Sprintf("median time omitted for %s: customers take too many different paths and moments to follow them all (more than %d steps); the expected time is exact", quoteList(missing), maxTimeSteps)}
}

func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// bucket holds the customers due at one moment: stage to[i], share w[i].
type bucket struct {
	to []int
	w  []float64
}

// minHeap is a binary min-heap of integers (moments, component numbers),
// without the boxing of container/heap.
type minHeap[T int | int64] []T

func (h minHeap[T]) Len() int { return len(h) }

func (h *minHeap[T]) push(x T) {
	*h = append(*h, x)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if a[p] <= a[i] {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

func (h *minHeap[T]) pop() T {
	a := *h
	top := a[0]
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < len(a) && a[l] < a[small] {
			small = l
		}
		if r := l + 1; r < len(a) && a[r] < a[small] {
			small = r
		}
		if small == i {
			break
		}
		a[i], a[small] = a[small], a[i]
		i = small
	}
	*h = a
	return top
}
