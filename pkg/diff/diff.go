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

// Change is one difference, in the JSON shape of the contract plus the
// field and its old and new values when a field changed.
//
// File, Line and Column say where the change is: in the new version (Side
// "new"), or in the old one for something removed (Side "old"). Line is 0
// when the place is not known (a journey built without positions).
type Change struct {
	Kind     string `json:"kind"`
	Breaking bool   `json:"breaking"`
	Stage    string `json:"stage"`
	Message  string `json:"message"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Side     string `json:"side"`
	Field    string `json:"field,omitempty"`
	Old      string `json:"old,omitempty"`
	New      string `json:"new,omitempty"`
}

// Sides of a change's position.
const (
	SideNew = "new"
	SideOld = "old"
)

// at places the change in file at r's start, on side.
func (ch Change) at(file string, r journey.Range, side string) Change {
	ch.File, ch.Line, ch.Column, ch.Side = file, r.Start.Line, r.Start.Column, side
	return ch
}

// JourneyDiff is the changes of one journey.
type JourneyDiff struct {
	Journey string   `json:"journey"`
	File    string   `json:"file"`
	Status  string   `json:"status"` // added, removed, moved or modified
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
	// Breaking overrides the default breaking flag of kinds (the
	// workspace configuration's diff.breaking).
	Breaking Breaking
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
			d.add(Change{Kind: JourneyAdded, Message: "journey " + quote(id) + " added (" + plural(len(n.Stages), "stage") + ")"}.at(n.File, n.ID.Range, SideNew))
		case n == nil:
			d.Status, d.File = "removed", o.File
			d.add(Change{Kind: JourneyRemoved, Breaking: true, Message: "journey " + quote(id) + " removed"}.at(o.File, o.ID.Range, SideOld))
		default:
			d.Status, d.File = "modified", n.File
			if op, np := old.path(o), new.path(n); op != np {
				d.add(Change{Kind: JourneyMoved, Message: "moved from " + op + " to " + np, Old: op, New: np}.at(n.File, n.ID.Range, SideNew))
			}
			c := &comparer{d: d, old: o, new: n, oldWS: old.Journeys, newWS: new.Journeys}
			c.compare()
			if len(d.Changes) > 0 {
				c.conversion(opts.MaxConversionDrop)
			}
		}
		newLintErrors(d, old.Findings, new.Findings)
		if d.Status == "modified" && len(d.Changes) == 1 && d.Changes[0].Kind == JourneyMoved {
			d.Status = "moved" // a pure move: nothing in the journey changed
		}
		if len(d.Changes) > 0 {
			res.Journeys = append(res.Journeys, d)
		}
	}
	for _, d := range res.Journeys {
		for i := range d.Changes {
			if v, ok := opts.Breaking[d.Changes[i].Kind]; ok {
				d.Changes[i].Breaking = v
			}
		}
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
		d.add(Change{Kind: LintError, Stage: f.Stage, Message: f.Rule + ": " + f.Message}.at(f.File, f.Range, SideNew))
	}
}

// renames maps the old id of each stage renamed in d to its new id, and
// back.
func (d *JourneyDiff) renames() (toNew, toOld map[string]string) {
	toNew, toOld = map[string]string{}, map[string]string{}
	for _, c := range d.Changes {
		if c.Kind == StageRenamed && c.Old != "" && c.New != "" {
			toNew[c.Old], toOld[c.New] = c.New, c.Old
		}
	}
	return toNew, toOld
}

// mappedID is an old stage id under its new name, when it was renamed.
func mappedID(rename map[string]string, id string) string {
	if n, ok := rename[id]; ok {
		return n
	}
	return id
}
