package diff

import (
	"fmt"
	"math"
	"strconv"

	"github.com/journeykit/journey/internal/parallel"
	"github.com/journeykit/journey/internal/textfmt"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/sim"
)

// handoffTargets are the stages of journey id that other journeys of ws
// hand off into: they count as entries.
func handoffTargets(ws []*journey.Journey, id string) map[string]bool {
	out := map[string]bool{}
	for _, j := range ws {
		if j.ID.Value == id {
			continue
		}
		for _, s := range j.Stages {
			for _, t := range s.Next {
				if t.Journey.Value == id {
					out[t.To.Value] = true
				}
			}
		}
	}
	return out
}

// reachable is the set of stage ids reachable from the entries of j
// (stages with entry: true and hand-off targets), through transitions and
// failure reasons' follow-ups. Linear in stages and edges.
func reachable(j *journey.Journey, ws []*journey.Journey) map[string]bool {
	next := map[string][]string{}
	var queue []string
	seen := map[string]bool{}
	handedIn := handoffTargets(ws, j.ID.Value)
	for _, s := range j.Stages {
		id := s.ID.Value
		for _, t := range s.Next {
			if t.Journey.Value == "" {
				next[id] = append(next[id], t.To.Value)
			}
		}
		for _, r := range s.Reasons {
			if r.Next.Value != "" {
				next[id] = append(next[id], r.Next.Value)
			}
		}
		if (s.Entry || handedIn[id]) && !seen[id] {
			seen[id] = true
			queue = append(queue, id)
		}
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, n := range next[id] {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	return seen
}

// reachability reports outcomes, and other stages, that customers could
// reach before the change and cannot after it.
func (c *comparer) reachability() {
	before := reachable(c.old, c.oldWS)
	after := reachable(c.new, c.newWS)
	newStages := idMap(c.new.Stages, func(s *journey.Stage) string { return s.ID.Value })
	for _, o := range c.old.Stages {
		if !before[o.ID.Value] {
			continue
		}
		id := c.mapped(o.ID.Value)
		s := newStages[id]
		if s == nil || after[id] {
			continue
		}
		if s.Outcome != "" {
			c.onNew(Change{Kind: OutcomeUnreachable, Breaking: true, Stage: id,
				Message: s.Outcome + " outcome " + quote(id) + " was reachable from an entry and no longer is"}, s.ID.Range)
		} else {
			c.onNew(Change{Kind: StageUnreachable, Stage: id, Message: "stage " + quote(id) + " was reachable from an entry and no longer is"}, s.ID.Range)
		}
	}
}

// conversion reports the success probability implied by the rates before
// and after the change, when both versions have rates and can be solved
// (a version with a trapped loop or rates over 1 has a lint error instead).
func (c *comparer) conversion(maxDrop float64) {
	if !hasRates(c.old) || !hasRates(c.new) {
		return
	}
	// The two versions are solved side by side (for 10,000 stages each
	// solve is a tenth of journey diff).
	sides := [2]*journey.Journey{c.old, c.new}
	var results [2]*sim.Result
	var errs [2]error
	parallel.Each(parallel.Range(2), func(i int) string { return "simulating " + sides[i].ID.Value }, func(i int) {
		results[i], errs[i] = sim.Simulate(sides[i], sim.Options{})
	})
	before, after := results[0], results[1]
	if errs[0] != nil || errs[1] != nil {
		return
	}
	if math.Abs(before.Success-after.Success) < 1e-9 {
		return
	}
	drop := before.Success - after.Success
	breaking := maxDrop >= 0 && drop > maxDrop+1e-12
	msg := "success probability " + textfmt.Percent(before.Success) + " -> " + textfmt.Percent(after.Success)
	if breaking {
		msg += fmt.Sprintf(" (falls by more than --max-conversion-drop %s)", textfmt.Percent(maxDrop))
	}
	c.onNew(Change{Kind: ConversionChanged, Breaking: breaking, Field: "success_probability",
		Old: strconv.FormatFloat(math.Round(before.Success*1e12)/1e12, 'f', -1, 64), New: strconv.FormatFloat(math.Round(after.Success*1e12)/1e12, 'f', -1, 64), Message: msg}, c.new.ID.Range)
}

func hasRates(j *journey.Journey) bool {
	for _, s := range j.Stages {
		for _, t := range s.Next {
			if t.Rate != nil {
				return true
			}
		}
	}
	return false
}
