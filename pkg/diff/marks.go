package diff

import (
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render"
)

// Colours of the visual diff; the state is also written in each label
// (+ added, − removed, ~ changed) so colour is not its only carrier.
const (
	addedLine   = "#166534"
	addedFill   = "#dcfce7"
	removedLine = "#991b1b"
	removedFill = "#fee2e2"
	changedLine = "#92400e"
	changedFill = "#fef3c7"
)

// Classes of the marks: Mermaid's classDefs, the SVG's class attributes.
const (
	markAdded   = "added"
	markRemoved = "removed"
	markChanged = "changed"
)

// changeLegend is how pkg/render draws the marks of a diff.
var changeLegend = render.Legend{
	Styles: []render.MarkStyle{
		{Class: markAdded, Text: "+ ADDED", Prefix: "+ ", Fill: addedFill, Line: addedLine},
		{Class: markRemoved, Text: "− REMOVED", Prefix: "− ", Fill: removedFill, Line: removedLine, Dashed: true},
		{Class: markChanged, Text: "~ CHANGED", Prefix: "~ ", Fill: changedFill, Line: changedLine},
	},
	Unmarked: "UNCHANGED",
}

// marked is a journey diff as pkg/render draws it: the union of both
// versions and the marks of its changes.
type marked struct {
	j     *journey.Journey
	marks *render.Marks
}

// union is the journey the diff draws, with its marks: every stage and
// transition of the new version, then the removed stages and transitions
// of the old one (marked removed), added ones marked added, changed stages
// and transitions with a changed wait or rate marked changed (the latter
// with the change as a note). A renamed stage is one stage under its new id
// with its former id, and the old version's transitions are read through
// the renames, so a transition kept across a rename is unchanged. An added
// or removed journey is drawn whole, every element marked. The versions'
// stages and transitions are not modified: union copies those it changes.
func union(d *JourneyDiff) marked {
	marks := &render.Marks{Legend: changeLegend, Stages: map[string]render.Mark{}, Transitions: map[*journey.Transition]render.Mark{}}
	whole := func(j *journey.Journey, class string) marked {
		for _, s := range j.Stages {
			marks.Stages[s.ID.Value] = render.Mark{Class: class}
			for _, t := range s.Next {
				marks.Transitions[t] = render.Mark{Class: class}
			}
		}
		return marked{j, marks}
	}
	switch {
	case d.New == nil && d.Old == nil:
		return marked{&journey.Journey{}, marks}
	case d.Old == nil || d.Status == "added":
		return whole(d.New, markAdded)
	case d.New == nil || d.Status == "removed":
		return whole(d.Old, markRemoved)
	}

	status := stageStatus(d)
	rename, oldID := d.renames()
	for id, st := range status {
		marks.Stages[id] = render.Mark{Class: st}
	}
	for id, old := range oldID {
		m := marks.Stages[id]
		m.RenamedFrom = old
		marks.Stages[id] = m
	}

	u := *d.New
	u.Stages = nil
	u.Phases = unionPhases(d.New.Phases, d.Old.Phases)
	oldByID := idMap(d.Old.Stages, func(s *journey.Stage) string { return s.ID.Value })

	// mapped is an old transition read through the renames.
	mapped := func(t *journey.Transition) *journey.Transition {
		if t.IsHandoff() {
			return t
		}
		to := mappedID(rename, t.To.Value)
		if to == t.To.Value {
			return t
		}
		c := *t
		c.To.Value = to
		return &c
	}
	type key struct{ to, journey, when string }
	keyOf := func(t *journey.Transition, to string) key { return key{to, t.Journey.Value, t.When} }

	for _, s := range d.New.Stages {
		o := oldByID[s.ID.Value]
		if old, ok := oldID[s.ID.Value]; ok {
			o = oldByID[old]
		}
		before := map[key]*journey.Transition{}
		if o != nil {
			for _, t := range o.Next {
				if m := mapped(t); before[keyOf(m, m.To.Value)] == nil {
					before[keyOf(m, m.To.Value)] = t
				}
			}
		}
		c := *s
		c.Next = append([]*journey.Transition(nil), s.Next...)
		kept := map[key]bool{}
		for _, t := range s.Next {
			k := keyOf(t, t.To.Value)
			old := before[k]
			switch {
			case kept[k]:
			case old == nil:
				marks.Transitions[t] = render.Mark{Class: markAdded}
			case old.After.Value != t.After.Value || rateText(old.Rate) != rateText(t.Rate):
				marks.Transitions[t] = render.Mark{Class: markChanged, Note: edgeDelta(old, t)}
			}
			kept[k] = true
		}
		if o != nil {
			for _, t := range o.Next {
				m := mapped(t)
				if k := keyOf(m, m.To.Value); !kept[k] {
					kept[k] = true
					c.Next = append(c.Next, m)
					marks.Transitions[m] = render.Mark{Class: markRemoved}
				}
			}
		}
		u.Stages = append(u.Stages, &c)
	}
	// The removed stages, with their transitions (removed too). Their
	// failure follow-ups stay in their label but lead nowhere: they are
	// gone with the stage.
	for _, o := range d.Old.Stages {
		if status[o.ID.Value] != markRemoved {
			continue
		}
		c := *o
		c.Next = make([]*journey.Transition, len(o.Next))
		for i, t := range o.Next {
			c.Next[i] = mapped(t)
			if c.Next[i] == t {
				cp := *t
				c.Next[i] = &cp
			}
			marks.Transitions[c.Next[i]] = render.Mark{Class: markRemoved}
		}
		c.Reasons = make([]*journey.Reason, len(o.Reasons))
		for i, r := range o.Reasons {
			cp := *r
			cp.Next = journey.Text{}
			c.Reasons[i] = &cp
		}
		u.Stages = append(u.Stages, &c)
	}
	return marked{&u, marks}
}

// unionPhases are the new phases, each phase only the old version has
// after the phase it followed there (or first).
func unionPhases(new, old []*journey.Phase) []*journey.Phase {
	out := append([]*journey.Phase(nil), new...)
	at := map[string]int{} // phase id -> index in out
	for i, p := range out {
		at[p.ID.Value] = i
	}
	next := 0 // where the next old-only phase goes
	for _, p := range old {
		if i, ok := at[p.ID.Value]; ok {
			next = i + 1
			continue
		}
		out = append(out[:next], append([]*journey.Phase{p}, out[next:]...)...)
		for id, i := range at {
			if i >= next {
				at[id] = i + 1
			}
		}
		at[p.ID.Value] = next
		next++
	}
	return out
}

// focus is the part of the union that the pull-request comment's graph
// shows: the marked stages, the transitions that carry a mark or touch a
// marked stage, and the stages at their other end. Failure follow-ups are
// left out. Its stages are copies; its transitions the union's, so the
// marks still apply.
func (m marked) focus() *journey.Journey {
	isMarked := func(id string) bool { return m.marks.Stages[id].Class != "" }
	keep := map[string]bool{}
	next := map[*journey.Stage][]*journey.Transition{}
	for _, s := range m.j.Stages {
		for _, t := range s.Next {
			_, tm := m.marks.Transitions[t]
			if tm || isMarked(s.ID.Value) || (!t.IsHandoff() && isMarked(t.To.Value)) {
				next[s] = append(next[s], t)
				keep[s.ID.Value] = true
				if !t.IsHandoff() {
					keep[t.To.Value] = true
				}
			}
		}
		if isMarked(s.ID.Value) {
			keep[s.ID.Value] = true
		}
	}
	f := *m.j
	f.Stages = nil
	for _, s := range m.j.Stages {
		if keep[s.ID.Value] {
			c := *s
			c.Next, c.Reasons = next[s], nil
			f.Stages = append(f.Stages, &c)
		}
	}
	return &f
}
