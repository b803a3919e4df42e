package sim

import (
	"errors"
	"io"
	"testing"

	"github.com/journeykit/journey/pkg/load"
)

// FuzzSimulate: any journey that loads is simulated, from its entries or
// from a given stage, without a panic or a hang (or the simulation says
// why not), and its result is written in every format.
func FuzzSimulate(f *testing.F) {
	// Small seeds: the fuzzer mutates them quickly (the examples are
	// covered by the golden tests).
	f.Add([]byte(`journey: j
title: J
stages:
  - {id: a, name: A, entry: true, next: [{to: b, rate: 0.3}, {to: c}]}
  - {id: b, name: B, next: [{to: c, rate: 0.5, after: 2d}], reasons: [{id: r, name: R, next: a}]}
  - {id: c, name: C, outcome: failure}
  - {id: d, name: D, next: [{journey: other, to: x}]}
`), "")
	f.Add([]byte(`journey: j
title: J
stages:
  - {id: a, name: A, entry: true, next: [{to: b, rate: 0.5}, {to: a, rate: 0.6}]}
  - {id: b, name: B, outcome: success, next: [a]}
`), "b")
	f.Fuzz(func(t *testing.T, data []byte, from string) {
		lf := load.ParseJourney("fuzz.journey.yaml", data)
		if lf.Journey == nil {
			return
		}
		var opts Options
		if from != "" {
			opts.Start = []string{from}
		}
		r, err := Simulate(lf.Journey, opts)
		if err != nil {
			var ue *UnknownStageError
			var le *LimitError
			if !errors.As(err, &ue) && !errors.As(err, &le) && !errors.Is(err, ErrNoStart) {
				t.Logf("error %v", err) // a reasoned refusal
			}
			return
		}
		for _, format := range Formats {
			if err := Write(io.Discard, r, format); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
		}
	})
}
