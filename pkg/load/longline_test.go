package load

import (
	"fmt"
	"strings"
	"testing"
)

// A whole journey on one line (flow style) loads in time linear in its
// size: finding a column does not read the line from its start each time.
// 2,000 stages on one line took 10 s before the per-line index.
func TestOneLineFileIsLinear(t *testing.T) {
	for _, name := range []string{"S", "Sé"} { // ASCII and not
		small := oneLineSteps(t, name, 2000)
		large := oneLineSteps(t, name, 8000)
		// Four times the stages: at most a little over four times the work.
		if large > 5*small {
			t.Errorf("%s: %d steps for 2,000 stages, %d for 8,000: not linear", name, small, large)
		}
	}
}

func oneLineSteps(t *testing.T, name string, n int) int {
	t.Helper()
	{
		var stages []string
		for i := 0; i < n; i++ {
			switch {
			case i == 0:
				stages = append(stages, fmt.Sprintf("{id: s%d, name: %s, phase: p, entry: true, next: [s%d]}", i, name, i+1))
			case i == n-1:
				stages = append(stages, fmt.Sprintf("{id: s%d, name: %s, phase: p, outcome: success}", i, name))
			default:
				stages = append(stages, fmt.Sprintf("{id: s%d, name: %s, phase: p, next: [s%d]}", i, name, i+1))
			}
		}
		data := []byte("journey: q\ntitle: T\nowner: m\nphases: [{id: p, name: P}]\nstages: [" + strings.Join(stages, ", ") + "]\n")
		p := parseYAML("x", data)
		dec := &decoder{src: p.src, exp: newExpander(p.nodes)}
		j := dec.journey("x", p.root)
		if j == nil || len(j.Stages) != n {
			t.Fatalf("%s: decoded %v", name, j)
		}
		last := j.Stages[n-1].ID.Range
		if want := strings.Index(string(data), fmt.Sprintf("s%d, name", n-1)); last.Start.Line != 5 || last.Start.Column != len([]rune(string(data[strings.LastIndex(string(data[:want]), "\n")+1:want])))+1 {
			t.Errorf("%s: last stage id at %v", name, last.Start)
		}
		return p.src.steps
	}
}
