package canvas

import (
	"fmt"
	"strings"
	"testing"
)

// bigJourney has n stages in 10 phases, three transitions each (forward
// skips and a loop back), per-persona emotions with gaps, and a failure
// outcome with reasons every 10 stages.
func bigJourney(n int) string {
	var b strings.Builder
	b.WriteString("journey: big\ntitle: Big\npersonas: [{id: a, name: A}, {id: b, name: B}]\nphases:\n")
	for p := 0; p < 10; p++ {
		fmt.Fprintf(&b, "  - {id: p%d, name: Phase %d}\n", p, p)
	}
	b.WriteString("stages:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - id: s%d\n    name: Stage %d\n    phase: p%d\n", i, i, i*10/n)
		if i == 0 {
			b.WriteString("    entry: true\n")
		}
		if i%3 != 2 {
			fmt.Fprintf(&b, "    emotion: {a: %d, b: %d}\n", i%5-2, (i+1)%5-2)
		}
		if i%10 == 9 {
			fmt.Fprintf(&b, "    outcome: failure\n    reasons:\n      - {id: r, name: Reason, next: s%d}\n", (i+1)%n)
		}
		fmt.Fprintf(&b, "    next:\n      - {to: s%d, when: goes on, after: 1d, rate: 0.5}\n      - {to: s%d, rate: 0.3}\n      - {to: s%d, rate: 0.1}\n",
			(i+1)%n, (i+7)%n, (i+n-5)%n)
	}
	return b.String()
}

func BenchmarkCanvas1000(b *testing.B) {
	j := parse(b, bigJourney(1000))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := SVG(j, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBigJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("a 300-stage canvas")
	}
	sh := layout(parse(t, bigJourney(300)), Options{})
	checkCurves(t, sh)
	checkLayout(t, sh)
}
