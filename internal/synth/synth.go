// Package synth writes synthetic journey files for benchmarks and scale
// tests: many stages, branches, loops with waits, touchpoints with UTM
// parameters, all lint-clean.
package synth

import (
	"fmt"
	"strings"
)

// Journey returns the YAML of a lint-clean journey with the given id and
// number of stages (at least 3). Every stage moves on to the next one and
// branches two ahead; every tenth stage loops back with a 2-day wait.
func Journey(id string, stages int) []byte {
	if stages < 3 {
		stages = 3
	}
	phases := max(1, stages/10)
	var b strings.Builder
	b.Grow(stages * 420)
	fmt.Fprintf(&b, "journey: %s\ntitle: Synthetic journey %s\nowner: marketing\nphases:\n", id, id)
	for p := 0; p < phases; p++ {
		fmt.Fprintf(&b, "  - {id: phase-%d, name: Phase %d}\n", p, p)
	}
	b.WriteString("stages:\n")
	for i := 0; i < stages; i++ {
		fmt.Fprintf(&b, "  - id: stage-%d\n    name: Customer step %d\n    phase: phase-%d\n", i, i, min(i/10, phases-1))
		if i == 0 {
			b.WriteString("    entry: true\n")
		}
		if i == stages-1 {
			b.WriteString("    outcome: success\n")
			continue
		}
		fmt.Fprintf(&b, "    emotion: %d\n", i%5-2)
		b.WriteString("    pains: [waiting for an answer]\n")
		fmt.Fprintf(&b, "    touchpoints:\n      - channel: email\n        action: Send step %d e-mail\n", i)
		fmt.Fprintf(&b, "        utm: {source: newsletter, medium: email, campaign: synth-%d, content: step-%d}\n", i%7, i)
		b.WriteString("    next:\n")
		switch {
		case i == stages-2:
			fmt.Fprintf(&b, "      - {to: stage-%d, when: clicks, after: 1d, rate: 0.9}\n", i+1)
		case i%10 == 9 && i >= 5:
			fmt.Fprintf(&b, "      - {to: stage-%d, when: clicks, after: 1d, rate: 0.6}\n", i+1)
			fmt.Fprintf(&b, "      - {to: stage-%d, when: no click, after: 2d, rate: 0.3}\n", i+2)
			fmt.Fprintf(&b, "      - {to: stage-%d, when: asks to start over, after: 2d, rate: 0.05}\n", i-5)
		default:
			fmt.Fprintf(&b, "      - {to: stage-%d, when: clicks, after: 1d, rate: 0.6}\n", i+1)
			fmt.Fprintf(&b, "      - {to: stage-%d, when: no click, after: 2d, rate: 0.3}\n", i+2)
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// Workspace returns n journey files of the given size, keyed by file name.
func Workspace(files, stages int) map[string][]byte {
	out := make(map[string][]byte, files)
	for i := 0; i < files; i++ {
		out[fmt.Sprintf("j%04d.journey.yaml", i)] = Journey(fmt.Sprintf("synthetic-%d", i), stages)
	}
	return out
}
