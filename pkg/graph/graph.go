// Package graph holds the graph algorithms the checks and the analytics
// use, on nodes numbered 0..N-1. It knows nothing of journeys or YAML.
package graph

import "slices"

// Graph is a directed graph as adjacency lists.
type Graph struct {
	Succ [][]int
}

// New makes a graph of n nodes and no edges.
func New(n int) *Graph { return &Graph{Succ: make([][]int, n)} }

// Len is the number of nodes.
func (g *Graph) Len() int { return len(g.Succ) }

// AddEdge adds an edge from a to b.
func (g *Graph) AddEdge(a, b int) { g.Succ[a] = append(g.Succ[a], b) }

// Reverse returns the graph with every edge turned around.
func (g *Graph) Reverse() *Graph {
	r := New(g.Len())
	for a, succ := range g.Succ {
		for _, b := range succ {
			r.AddEdge(b, a)
		}
	}
	return r
}

// Reachable marks every node reachable from the start nodes (start nodes
// included), in time linear in the size of the graph.
func (g *Graph) Reachable(starts []int) []bool {
	seen := make([]bool, g.Len())
	stack := make([]int, 0, len(starts))
	for _, s := range starts {
		if !seen[s] {
			seen[s] = true
			stack = append(stack, s)
		}
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, m := range g.Succ[n] {
			if !seen[m] {
				seen[m] = true
				stack = append(stack, m)
			}
		}
	}
	return seen
}

// SCC returns the strongly connected components (Tarjan's algorithm,
// iterative so that long chains cannot exhaust the stack). Each component
// lists its nodes in increasing order; components come in reverse
// topological order (a component's successors come before it).
func (g *Graph) SCC() [][]int {
	n := g.Len()
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var comps [][]int
	next := 0
	type frame struct{ node, edge int }
	for root := 0; root < n; root++ {
		if index[root] >= 0 {
			continue
		}
		call := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.node
			if f.edge < len(g.Succ[v]) {
				w := g.Succ[v][f.edge]
				f.edge++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, 0})
				} else if onStack[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				if u := call[len(call)-1].node; low[v] < low[u] {
					low[u] = low[v]
				}
			}
			if low[v] == index[v] {
				var comp []int
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp = append(comp, w)
					if w == v {
						break
					}
				}
				slices.Sort(comp)
				comps = append(comps, comp)
			}
		}
	}
	return comps
}

// IsCycle reports whether a component is a loop: more than one node, or
// one node with an edge to itself.
func (g *Graph) IsCycle(comp []int) bool {
	if len(comp) > 1 {
		return true
	}
	for _, m := range g.Succ[comp[0]] {
		if m == comp[0] {
			return true
		}
	}
	return false
}
