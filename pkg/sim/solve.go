package sim

import (
	"math"

	"github.com/journeykit/journey/pkg/graph"
)

// solver holds the fundamental matrix N = (I-Q)^-1 of a chain, block by
// block. Q, restricted to the transitions that have a positive
// probability, is block triangular once its strongly connected components
// are put in topological order, and N is block triangular with it: the
// diagonal block of a component C is (I - Q_CC)^-1, and the other blocks
// are never formed: forward and backward substitution over the components
// apply N to a vector at the cost of the arcs plus the size of the blocks.
type solver struct {
	c *chain
	// comps are the components of the transient stages, in topological
	// order (a component comes before those it leads to).
	comps [][]int
	// comp is each stage's component (-1 for outcome stages), pos its
	// place in it.
	comp, pos []int
	// inv is (I - Q_CC)^-1 of each component, row-major; nil for a
	// component customers can never leave (closed).
	inv [][]float64
	// tooLarge is set to the first component of more than MaxLoop
	// stages; then nothing is inverted.
	tooLarge []int
}

// MaxLoop is the largest number of stages of one loop (strongly connected
// set of stages) that Simulate solves: its block of I-Q is inverted
// densely, in time cubic in its size (about 3 s for 2,000 stages) and
// memory quadratic (72 MB for 3,000).
const MaxLoop = 3000

// pivotFloor is the smallest pivot accepted when inverting a block: below
// it the block is treated as closed (customers cannot leave it).
const pivotFloor = 1e-12

func newSolver(c *chain) *solver {
	g := graph.New(c.n)
	for k := 0; k < c.n; k++ {
		for _, a := range c.arcs[k] {
			if a.p > 0 && a.to < c.n && !c.absorbing(a.to) {
				g.AddEdge(k, a.to)
			}
		}
	}
	s := &solver{c: c, comp: make([]int, c.n), pos: make([]int, c.n)}
	for i := range s.comp {
		s.comp[i] = -1
	}
	all := g.SCC() // reverse topological order
	for i := len(all) - 1; i >= 0; i-- {
		comp := all[i]
		if c.absorbing(comp[0]) {
			continue
		}
		ci := len(s.comps)
		for p, k := range comp {
			s.comp[k], s.pos[k] = ci, p
		}
		s.comps = append(s.comps, comp)
	}
	s.inv = make([][]float64, len(s.comps))
	for _, comp := range s.comps {
		if len(comp) > MaxLoop {
			s.tooLarge = comp
			return s
		}
	}
	for ci, comp := range s.comps {
		s.inv[ci] = s.invertBlock(ci, comp)
	}
	return s
}

// invertBlock returns (I - Q_CC)^-1, or nil when no customer can leave C.
func (s *solver) invertBlock(ci int, comp []int) []float64 {
	c := s.c
	leaks := false
	for _, k := range comp {
		if c.drop[k] > 0 {
			leaks = true
		}
		for _, a := range c.arcs[k] {
			if a.p > 0 && (a.to >= c.n || s.comp[a.to] != ci) {
				leaks = true
			}
		}
	}
	if !leaks {
		return nil
	}
	size := len(comp)
	m := make([]float64, size*size)
	for i := 0; i < size; i++ {
		m[i*size+i] = 1
	}
	for i, k := range comp {
		for _, a := range c.arcs[k] {
			if a.p > 0 && a.to < c.n && s.comp[a.to] == ci {
				m[i*size+s.pos[a.to]] -= a.p
			}
		}
	}
	if !invert(m, size) {
		return nil
	}
	return m
}

// invert replaces the size×size row-major matrix a with its inverse, by
// Gauss-Jordan elimination in place with partial pivoting. It reports
// false when a pivot is too small (the matrix is singular).
func invert(a []float64, size int) bool {
	if size == 1 {
		if math.Abs(a[0]) < pivotFloor {
			return false
		}
		a[0] = 1 / a[0]
		return true
	}
	perm := make([]int, size)
	for col := 0; col < size; col++ {
		p, best := col, math.Abs(a[col*size+col])
		for r := col + 1; r < size; r++ {
			if v := math.Abs(a[r*size+col]); v > best {
				p, best = r, v
			}
		}
		if best < pivotFloor || math.IsNaN(best) {
			return false
		}
		perm[col] = p
		rowC := a[col*size : (col+1)*size]
		if p != col {
			rowP := a[p*size : (p+1)*size]
			for j := range rowC {
				rowC[j], rowP[j] = rowP[j], rowC[j]
			}
		}
		inv := 1 / rowC[col]
		rowC[col] = 1
		for j := range rowC {
			rowC[j] *= inv
		}
		for r := 0; r < size; r++ {
			if r == col {
				continue
			}
			row := a[r*size : (r+1)*size]
			f := row[col]
			if f == 0 {
				continue
			}
			row[col] = 0
			row = row[:len(rowC)]
			for j, x := range rowC {
				row[j] -= f * x
			}
		}
	}
	for col := size - 1; col >= 0; col-- {
		if p := perm[col]; p != col {
			for r := 0; r < size; r++ {
				a[r*size+col], a[r*size+p] = a[r*size+p], a[r*size+col]
			}
		}
	}
	return true
}

// forward returns x = b N for a row vector b over the stages (entries of
// outcome stages are ignored). Mass that reaches a closed component is a
// TrappedError.
func (s *solver) forward(b []float64) ([]float64, error) {
	c := s.c
	acc := make([]float64, c.n)
	copy(acc, b[:c.n])
	x := make([]float64, c.n)
	for ci, comp := range s.comps {
		inv := s.inv[ci]
		if inv == nil {
			for _, k := range comp {
				if acc[k] > 0 {
					t := &TrappedError{}
					for _, k := range comp {
						t.Stages = append(t.Stages, c.ids[k])
					}
					return nil, t
				}
			}
			continue
		}
		size := len(comp)
		for i, k := range comp {
			if w := acc[k]; w != 0 {
				row := inv[i*size : (i+1)*size]
				for j, kj := range comp {
					x[kj] += w * row[j]
				}
			}
		}
		for _, k := range comp {
			if x[k] == 0 {
				continue
			}
			for _, a := range c.arcs[k] {
				if a.to < c.n && s.comp[a.to] >= 0 && s.comp[a.to] != ci {
					acc[a.to] += x[k] * a.p
				}
			}
		}
	}
	return x, nil
}

// backward returns h = N r for a column vector r over the stages: with r
// the one-step probability of entering some absorbing states, h is the
// probability of ending in them from each stage. Stages of closed
// components get 0.
func (s *solver) backward(r []float64) []float64 {
	c := s.c
	h := make([]float64, c.n)
	rhs := make([]float64, 0, 16)
	for ci := len(s.comps) - 1; ci >= 0; ci-- {
		comp, inv := s.comps[ci], s.inv[ci]
		if inv == nil {
			continue
		}
		rhs = rhs[:0]
		for _, k := range comp {
			v := r[k]
			for _, a := range c.arcs[k] {
				if a.to < c.n && s.comp[a.to] >= 0 && s.comp[a.to] != ci {
					v += a.p * h[a.to]
				}
			}
			rhs = append(rhs, v)
		}
		size := len(comp)
		for i, k := range comp {
			row := inv[i*size : (i+1)*size]
			sum := 0.0
			for j, v := range rhs {
				sum += row[j] * v
			}
			h[k] = sum
		}
	}
	return h
}

// diag is N[k][k], the expected number of visits to k of a customer who
// starts at k.
func (s *solver) diag(k int) float64 {
	ci := s.comp[k]
	if ci < 0 || s.inv[ci] == nil {
		return 1
	}
	size := len(s.comps[ci])
	return s.inv[ci][s.pos[k]*size+s.pos[k]]
}

// at is N[k][i] for a target k of a positive arc out of i: such a k leads
// back to i only when both are in one component, whose inverse block
// holds the entry; otherwise it is 0.
func (s *solver) at(k, i int) float64 {
	if k >= s.c.n {
		return 0
	}
	ci := s.comp[i]
	if ci < 0 || s.comp[k] != ci || s.inv[ci] == nil {
		return 0
	}
	size := len(s.comps[ci])
	return s.inv[ci][s.pos[k]*size+s.pos[i]]
}
