// Package diff compares two versions of a set of journeys in journey terms:
// journeys matched by id, stages by id (or renamed_from), transitions by
// target, hand-off journey and trigger, touchpoints by id or channel and
// action. The comparison builds a list of changes once; impact checks
// (reachability, analytics continuity, new lint errors) then add their own
// changes with a stable kind and a breaking flag, as oasdiff does.
package diff

import (
	"sort"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

// Change kinds. They are stable: CI configurations and dashboards rely on
// them.
const (
	JourneyAdded       = "journey-added"
	JourneyRemoved     = "journey-removed"
	JourneyMoved       = "journey-moved"
	JourneyChanged     = "journey-changed"
	PhaseAdded         = "phase-added"
	PhaseRemoved       = "phase-removed"
	PhaseChanged       = "phase-changed"
	PersonaAdded       = "persona-added"
	PersonaRemoved     = "persona-removed"
	PersonaChanged     = "persona-changed"
	ChannelAdded       = "channel-added"
	ChannelRemoved     = "channel-removed"
	ChannelChanged     = "channel-changed"
	MetricAdded        = "metric-added"
	MetricRemoved      = "metric-removed"
	MetricChanged      = "metric-changed"
	StageAdded         = "stage-added"
	StageRemoved       = "stage-removed"
	StageRenamed       = "stage-renamed"
	StageChanged       = "stage-changed"
	TransitionAdded    = "transition-added"
	TransitionRemoved  = "transition-removed"
	TransitionChanged  = "transition-changed"
	OutcomeUnreachable = "outcome-unreachable"
	StageUnreachable   = "stage-unreachable"
	LintError          = "lint-error"
	ConversionChanged  = "conversion-changed"
)

// Change is one difference, in the JSON shape of the contract plus the
// field and its old and new values when a field changed.
type Change struct {
	Kind     string `json:"kind"`
	Breaking bool   `json:"breaking"`
	Stage    string `json:"stage"`
	Message  string `json:"message"`
	Field    string `json:"field,omitempty"`
	Old      string `json:"old,omitempty"`
	New      string `json:"new,omitempty"`
}

// JourneyDiff is the changes of one journey.
type JourneyDiff struct {
	Journey string   `json:"journey"`
	File    string   `json:"file"`
	Status  string   `json:"status"` // added, removed or modified
	Changes []Change `json:"changes"`

	Old *journey.Journey `json:"-"`
	New *journey.Journey `json:"-"`
}

// Breaking counts the breaking changes.
func (d *JourneyDiff) Breaking() int {
	n := 0
	for _, c := range d.Changes {
		if c.Breaking {
			n++
		}
	}
	return n
}

// Summary counts changes over every journey.
type Summary struct {
	Changes  int `json:"changes"`
	Breaking int `json:"breaking"`
	Journeys int `json:"journeys"`
}

// Result is the whole difference. Journeys without changes are left out.
type Result struct {
	Journeys []*JourneyDiff `json:"journeys"`
	Summary  Summary        `json:"summary"`
}

// Version is one side of the comparison.
type Version struct {
	Journeys []*journey.Journey
	// Paths gives each journey's file relative to its version's root, to
	// tell a moved file from an unchanged one; when missing, File is used.
	Paths map[*journey.Journey]string
	// Findings are the lint findings of this version.
	Findings []diag.Diagnostic
}

func (v Version) path(j *journey.Journey) string {
	if p, ok := v.Paths[j]; ok {
		return p
	}
	return j.File
}

// Options tune the comparison.
type Options struct {
	// MaxConversionDrop makes a fall of the success probability by more
	// than this (0.05 = five points) breaking. Negative: never breaking.
	MaxConversionDrop float64
}

// Compare computes the difference from old to new.
func Compare(old, new Version) *Result {
	return CompareWith(old, new, Options{MaxConversionDrop: -1})
}

// CompareWith computes the difference from old to new with options.
func CompareWith(old, new Version, opts Options) *Result {
	oldByID := byID(old.Journeys)
	newByID := byID(new.Journeys)
	ids := map[string]bool{}
	for id := range oldByID {
		ids[id] = true
	}
	for id := range newByID {
		ids[id] = true
	}
	sorted := make([]string, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)

	res := &Result{Journeys: []*JourneyDiff{}}
	for _, id := range sorted {
		o, n := oldByID[id], newByID[id]
		d := &JourneyDiff{Journey: id, Old: o, New: n}
		switch {
		case o == nil:
			d.Status, d.File = "added", n.File
			d.add(Change{Kind: JourneyAdded, Message: "journey " + quote(id) + " added (" + plural(len(n.Stages), "stage") + ")"})
		case n == nil:
			d.Status, d.File = "removed", o.File
			d.add(Change{Kind: JourneyRemoved, Breaking: true, Message: "journey " + quote(id) + " removed"})
		default:
			d.Status, d.File = "modified", n.File
			if op, np := old.path(o), new.path(n); op != np {
				d.add(Change{Kind: JourneyMoved, Message: "moved from " + op + " to " + np, Old: op, New: np})
			}
			c := &comparer{d: d, old: o, new: n, oldWS: old.Journeys, newWS: new.Journeys}
			c.compare()
			if len(d.Changes) > 0 {
				c.conversion(opts.MaxConversionDrop)
			}
		}
		newLintErrors(d, old.Findings, new.Findings)
		if len(d.Changes) > 0 {
			res.Journeys = append(res.Journeys, d)
		}
	}
	for _, d := range res.Journeys {
		res.Summary.Changes += len(d.Changes)
		res.Summary.Breaking += d.Breaking()
	}
	res.Summary.Journeys = len(res.Journeys)
	return res
}

func byID(js []*journey.Journey) map[string]*journey.Journey {
	m := map[string]*journey.Journey{}
	for _, j := range js {
		if j.ID.Value != "" && m[j.ID.Value] == nil {
			m[j.ID.Value] = j
		}
	}
	return m
}

func (d *JourneyDiff) add(c Change) { d.Changes = append(d.Changes, c) }

// newLintErrors lists the lint errors of the new version that the old one
// did not have, matched by rule, journey, stage and message (not by line).
func newLintErrors(d *JourneyDiff, old, new []diag.Diagnostic) {
	key := func(f diag.Diagnostic) string {
		return f.Rule + "\x00" + f.Journey + "\x00" + f.Stage + "\x00" + f.Message
	}
	before := map[string]int{}
	for _, f := range old {
		if f.Severity == diag.Error && f.Journey == d.Journey {
			before[key(f)]++
		}
	}
	for _, f := range new {
		if f.Severity != diag.Error || f.Journey != d.Journey {
			continue
		}
		if before[key(f)] > 0 {
			before[key(f)]--
			continue
		}
		d.add(Change{Kind: LintError, Stage: f.Stage, Message: f.Rule + ": " + f.Message + " (" + f.File + ":" + itoa(f.Range.Start.Line) + ")"})
	}
}
