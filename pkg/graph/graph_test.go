package graph

import (
	"reflect"
	"testing"
)

func build(n int, edges [][2]int) *Graph {
	g := New(n)
	for _, e := range edges {
		g.AddEdge(e[0], e[1])
	}
	return g
}

func TestSCC(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		edges [][2]int
		loops [][]int
	}{
		{"chain", 3, [][2]int{{0, 1}, {1, 2}}, nil},
		{"self loop", 2, [][2]int{{0, 1}, {1, 1}}, [][]int{{1}}},
		{"two loops", 6, [][2]int{{0, 1}, {1, 2}, {2, 1}, {2, 3}, {3, 4}, {4, 5}, {5, 3}}, [][]int{{3, 4, 5}, {1, 2}}},
		{"nested", 4, [][2]int{{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 2}}, [][]int{{0, 1, 2, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := build(tt.n, tt.edges)
			var loops [][]int
			for _, c := range g.SCC() {
				if g.IsCycle(c) {
					loops = append(loops, c)
				}
			}
			if !reflect.DeepEqual(loops, tt.loops) {
				t.Errorf("loops = %v, want %v", loops, tt.loops)
			}
		})
	}
}

func TestReachable(t *testing.T) {
	g := build(5, [][2]int{{0, 1}, {1, 2}, {3, 4}})
	got := g.Reachable([]int{0})
	want := []bool{true, true, true, false, false}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Reachable = %v, want %v", got, want)
	}
	if back := g.Reverse().Reachable([]int{2}); !reflect.DeepEqual(back, want) {
		t.Errorf("reverse Reachable = %v, want %v", back, want)
	}
}

// A chain of a million nodes must not exhaust the stack.
func TestSCCLongChain(t *testing.T) {
	const n = 1_000_000
	g := New(n)
	for i := 0; i+1 < n; i++ {
		g.AddEdge(i, i+1)
	}
	g.AddEdge(n-1, 0)
	comps := g.SCC()
	if len(comps) != 1 || len(comps[0]) != n {
		t.Fatalf("got %d components", len(comps))
	}
}
