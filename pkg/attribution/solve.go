package attribution

import (
	"fmt"
	"math"
	"slices"

	"github.com/journeykit/journey/pkg/graph"
)

// chain is the absorbing Markov chain of a Counter: states 0 (start), 1
// (conversion), 2 (null) and the touch states, with the probabilities of
// the observed moves.
type chain struct {
	n    int
	arcs [][]arc // of each state; conversion and null have none
	// comps are the strongly connected components of the transient
	// states, in reverse topological order (a component comes after
	// every component it leads to).
	comps [][]int
	comp  []int // each state's component, -1 for conversion and null
	pos   []int // each state's place in its component
}

type arc struct {
	to int
	p  float64
}

// MaxLoop is the most states of one loop (strongly connected set of
// states) that is solved: its block is eliminated densely, in time cubic
// in its size, once for P(conversion) and once per touch removed.
const MaxLoop = 2000

// MaxWork bounds the work of the solves: the sum of the cubes of the
// loops' sizes (the cost of one solve) times the number of solves (one,
// and one per touch removed). 2e10 is about 10 s of elimination.
const MaxWork = 2e10

// LoopError is a chain with a loop of more than MaxLoop states, or whose
// solves would cost more than MaxWork.
type LoopError struct {
	States int     // the largest loop
	Work   float64 // the estimated work of every solve
}

func (e *LoopError) Error() string {
	if e.Work == 0 {
		return fmt.Sprintf("the paths make a loop too large to solve exactly: %d states (at most %d): attribute --by channel, or with --order 1", e.States, MaxLoop)
	}
	return fmt.Sprintf("the paths make loops too large to solve exactly once per channel (the largest has %d states): attribute --by channel, or with --order 1", e.States)
}

// work is the estimated cost of one solve: the sum of the cubes of the
// loops' sizes.
func (ch *chain) work() float64 {
	w := 0.0
	for _, c := range ch.comps {
		w += float64(len(c)) * float64(len(c)) * float64(len(c))
	}
	return w
}

// largest is the size of the largest loop.
func (ch *chain) largest() int {
	n := 0
	for _, c := range ch.comps {
		n = max(n, len(c))
	}
	return n
}

func (c *Counter) chain() (*chain, error) {
	n := firstTouch + len(c.statePair)
	ch := &chain{n: n, arcs: make([][]arc, n), comp: make([]int, n), pos: make([]int, n)}
	out := make([]int64, n)
	keys := make([][2]int32, 0, len(c.moves))
	for k, v := range c.moves {
		out[k[0]] += v
		keys = append(keys, k)
	}
	// A fixed order of the arcs makes the sums, and so the last bits of
	// the results, the same on every run.
	slices.SortFunc(keys, func(a, b [2]int32) int {
		if a[0] != b[0] {
			return int(a[0] - b[0])
		}
		return int(a[1] - b[1])
	})
	g := graph.New(n)
	for _, k := range keys {
		from, to := int(k[0]), int(k[1])
		ch.arcs[from] = append(ch.arcs[from], arc{to: to, p: float64(c.moves[k]) / float64(out[from])})
		if to >= firstTouch || to == stateStart {
			g.AddEdge(from, to)
		}
	}
	ch.comp[stateConv], ch.comp[stateNull] = -1, -1
	for _, comp := range g.SCC() {
		if comp[0] == stateConv || comp[0] == stateNull {
			continue
		}
		if len(comp) > MaxLoop {
			return nil, &LoopError{States: len(comp)}
		}
		for i, s := range comp {
			ch.comp[s], ch.pos[s] = len(ch.comps), i
		}
		ch.comps = append(ch.comps, comp)
	}
	return ch, nil
}

// convert returns the probability of absorption in conversion from start,
// with the states for which removed is true sending everyone to null
// (removed may be nil). It solves (I - Q) h = r component by component,
// each with Gaussian elimination with partial pivoting.
func (ch *chain) convert(removed []bool) float64 {
	h := make([]float64, ch.n)
	h[stateConv] = 1
	var a []float64
	var b []float64
	for ci, comp := range ch.comps {
		size := len(comp)
		a = slices.Grow(a[:0], size*size)[:size*size]
		clear(a)
		b = slices.Grow(b[:0], size)[:size]
		clear(b)
		for i, s := range comp {
			a[i*size+i] = 1
			if removed != nil && removed[s] {
				continue // h[s] = 0
			}
			for _, e := range ch.arcs[s] {
				if ch.comp[e.to] == ci {
					a[i*size+ch.pos[e.to]] -= e.p
				} else if removed == nil || !removed[e.to] {
					b[i] += e.p * h[e.to]
				}
			}
		}
		x := gauss(a, b, size)
		for i, s := range comp {
			h[s] = x[i]
		}
	}
	return h[stateStart]
}

// gauss solves a x = b (a size×size, row-major) in place and returns x.
// The systems here are diagonally dominant (I - Q with Q substochastic and
// every state leading out of its loop), so no pivot vanishes; a tiny one
// is left at zero rather than divided by.
func gauss(a, b []float64, size int) []float64 {
	for col := 0; col < size; col++ {
		p, best := col, math.Abs(a[col*size+col])
		for r := col + 1; r < size; r++ {
			if v := math.Abs(a[r*size+col]); v > best {
				p, best = r, v
			}
		}
		if best < 1e-300 {
			continue
		}
		if p != col {
			for j := col; j < size; j++ {
				a[col*size+j], a[p*size+j] = a[p*size+j], a[col*size+j]
			}
			b[col], b[p] = b[p], b[col]
		}
		piv := a[col*size+col]
		for r := col + 1; r < size; r++ {
			f := a[r*size+col] / piv
			if f == 0 {
				continue
			}
			for j := col; j < size; j++ {
				a[r*size+j] -= f * a[col*size+j]
			}
			b[r] -= f * b[col]
		}
	}
	x := b
	for r := size - 1; r >= 0; r-- {
		v := x[r]
		for j := r + 1; j < size; j++ {
			v -= a[r*size+j] * x[j]
		}
		if d := a[r*size+r]; math.Abs(d) >= 1e-300 {
			x[r] = v / d
		} else {
			x[r] = 0
		}
	}
	return x
}
