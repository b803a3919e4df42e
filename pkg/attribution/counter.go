package attribution

import (
	"encoding/binary"
	"fmt"
)

// Fixed states of the chain; touch states follow.
const (
	stateStart = 0
	stateConv  = 1
	stateNull  = 2
	firstTouch = 3
)

// MaxStates is the most states (touches, or pairs of touches with --order
// 2) a chain may have; a log that needs more is refused.
const MaxStates = 20000

// StatesError is a chain with more than MaxStates states.
type StatesError struct{ States int }

func (e *StatesError) Error() string {
	return fmt.Sprintf("the paths need more than %d states (touches, or pairs of touches with --order 2): attribute --by channel, or with --order 1", MaxStates)
}

// Counter adds up the paths of the cases: the counts of the chain's moves
// and the first-touch, last-touch and linear credits. Its memory grows
// with the number of states and moves between them, not with the cases.
// It is a conform.CaseVisitor.
type Counter struct {
	model *Model
	order int

	cases, conversions, touchless int64
	first, last                   []int64
	linear                        []float64
	// touched marks the touches seen in some path.
	touched []bool

	// states: pair (prev+1, cur) of touches -> state (prev is -1 at
	// start; order 1 uses prev = -2 for every state).
	states map[[2]int32]int32
	// statePair gives each touch state's pair back.
	statePair [][2]int32
	moves     map[[2]int32]int64
	err       error

	// the case being visited
	path      []int32
	converted bool

	// keepPaths: the distinct paths with their counts (for tests and
	// the SQL check).
	keepPaths bool
	paths     map[string]*PathCount
}

// PathCount is one distinct path with how many cases took it and how many
// of them converted.
type PathCount struct {
	Path        []string
	Cases       int64
	Conversions int64
}

// NewCounter makes a counter for chains of the given order (1 or 2).
func NewCounter(m *Model, order int) *Counter {
	n := len(m.Names)
	return &Counter{model: m, order: order,
		first: make([]int64, n), last: make([]int64, n), linear: make([]float64, n), touched: make([]bool, n),
		states: map[[2]int32]int32{}, moves: map[[2]int32]int64{}}
}

// KeepPaths makes the counter keep every distinct path (memory grows with
// them): see Paths.
func (c *Counter) KeepPaths() {
	c.keepPaths = true
	c.paths = map[string]*PathCount{}
}

// BeginCase starts a case.
func (c *Counter) BeginCase() {
	c.path = c.path[:0]
	c.converted = false
}

// Event adds a mapped event of the current case.
func (c *Counter) Event(stage int32) {
	if int(stage) >= len(c.model.Touches) {
		return
	}
	if c.model.Outcome[stage] == "success" {
		c.converted = true
	}
	c.path = append(c.path, c.model.Touches[stage]...)
}

// EndCase adds the current case's path.
func (c *Counter) EndCase() {
	c.Add(c.path, c.converted, 1)
}

// Add adds n cases that took path (indexes into Model.Names) and did or
// did not convert.
func (c *Counter) Add(path []int32, converted bool, n int64) {
	if n <= 0 || c.err != nil {
		return
	}
	c.cases += n
	if converted {
		c.conversions += n
		if len(path) == 0 {
			c.touchless += n
		} else {
			c.first[path[0]] += n
			c.last[path[len(path)-1]] += n
			share := float64(n) / float64(len(path))
			for _, t := range path {
				c.linear[t] += share
			}
		}
	}
	for _, t := range path {
		c.touched[t] = true
	}
	from := int32(stateStart)
	prev := int32(-1)
	for _, t := range path {
		key := [2]int32{prev, t}
		if c.order == 1 {
			key[0] = -2
		}
		to, ok := c.states[key]
		if !ok {
			if len(c.statePair) >= MaxStates {
				c.err = &StatesError{States: len(c.statePair)}
				return
			}
			to = int32(firstTouch + len(c.statePair))
			c.states[key] = to
			c.statePair = append(c.statePair, key)
		}
		c.moves[[2]int32{from, to}] += n
		from, prev = to, t
	}
	end := int32(stateNull)
	if converted {
		end = stateConv
	}
	c.moves[[2]int32{from, end}] += n
	if c.keepPaths {
		key := make([]byte, 0, 4*len(path))
		for _, t := range path {
			key = binary.LittleEndian.AppendUint32(key, uint32(t))
		}
		pc := c.paths[string(key)]
		if pc == nil {
			pc = &PathCount{Path: make([]string, len(path))}
			for i, t := range path {
				pc.Path[i] = c.model.Names[t]
			}
			c.paths[string(key)] = pc
		}
		pc.Cases += n
		if converted {
			pc.Conversions += n
		}
	}
}
