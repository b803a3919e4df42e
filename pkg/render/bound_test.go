package render

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

func parseJourney(t *testing.T, src string) *journey.Journey {
	t.Helper()
	f := load.ParseJourney("t.journey.yaml", []byte(src))
	if f.Journey == nil {
		t.Fatal(f.Diagnostics)
	}
	return f.Journey
}

// alternating is repro 17: n stages alternating between two phases, each
// with a transition to the next stage and one far back.
func alternating(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "journey: r%d\ntitle: T\nowner: m\nphases: [{id: p, name: P}, {id: q, name: Q}]\nstages:\n", n)
	for i := 0; i < n-1; i++ {
		fmt.Fprintf(&b, "- {id: s%d, name: Stage %d, phase: %c, entry: %t, next: [{to: s%d, when: clicks, after: 2d, rate: 0.9}, {to: s%d, when: back}]}\n",
			i, i, "pq"[i%2], i == 0, i+1, (i*7919)%n)
	}
	fmt.Fprintf(&b, "- {id: s%d, name: Stage %d, phase: p, outcome: success}\n", n-1, n-1)
	return b.String()
}

// everywhere is n stages in a line where every stage can also restart at
// the first stage or give up: two edges per stage that span the flow.
func everywhere(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "journey: w%d\ntitle: T\nowner: m\nphases: [{id: p, name: P}]\nstages:\n", n)
	for i := 0; i < n-2; i++ {
		fmt.Fprintf(&b, "- {id: s%d, name: Stage %d, phase: p, entry: %t, next: [{to: s%d, when: clicks}, {to: s0, when: restarts}, {to: s%d, when: gives up}]}\n",
			i, i, i == 0, i+1, n-2)
	}
	fmt.Fprintf(&b, "- {id: s%d, name: Lost, phase: p, outcome: failure}\n- {id: s%d, name: Won, phase: p, outcome: success}\n", n-2, n-1)
	return b.String()
}

// Flows past the layout bounds are refused before Graphviz starts; DOT and
// Mermaid still work. (The flows under the bounds are checked, not laid
// out: each takes seconds.)
func TestFlowLayoutBounds(t *testing.T) {
	for _, c := range []struct {
		name    string
		src     string
		refused bool
		want    string
	}{
		{"1000 stages (repro 17)", alternating(1000), true, "1000 stages and 1998 transitions are too many"},
		{"60 stages that restart or give up", everywhere(60), true, "layout cost"},
		{"40 stages that restart or give up", everywhere(40), false, ""},
		{"150 stages alternating", alternating(150), false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			j := parseJourney(t, c.src)
			_, err := boundedFlowDOT(j, Options{})
			var big *TooLargeError
			if got := errors.As(err, &big); got != c.refused {
				t.Fatalf("refused = %v (%v), want %v", got, err, c.refused)
			}
			if c.refused && !strings.Contains(err.Error(), c.want) {
				t.Errorf("message %q does not say %q", err, c.want)
			}
			if !c.refused && err != nil {
				t.Fatal(err)
			}
			for _, format := range []string{"dot", "mermaid"} {
				if _, err := Render(j, "flow", format, Options{}); err != nil {
					t.Errorf("%s: %v", format, err)
				}
			}
		})
	}
}

// The cost estimate grows with the spans of the edges, not only with their
// number: the same number of stages and edges costs far more when the edges
// span the flow.
func TestLayoutCostCountsLongEdges(t *testing.T) {
	_, short := flowDOT(parseJourney(t, alternating(60)), Options{})
	_, long := flowDOT(parseJourney(t, everywhere(60)), Options{})
	if long < 5*short/2 || long <= MaxLayoutCost {
		t.Errorf("cost of long edges %d, of short ones %d: want the long ones past %d and well above", long, short, MaxLayoutCost)
	}
}

// A refused flow never reaches Graphviz: FlowSVG returns the same error.
func TestFlowSVGRefusesBeforeLayout(t *testing.T) {
	_, err := FlowSVG(parseJourney(t, alternating(1000)), Options{})
	var big *TooLargeError
	if !errors.As(err, &big) || big.Stages != 1000 || big.Edges != 1998 {
		t.Fatalf("got %v, want a *TooLargeError for 1000 stages and 1998 transitions", err)
	}
}
