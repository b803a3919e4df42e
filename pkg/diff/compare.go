package diff

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
)

type comparer struct {
	d            *JourneyDiff
	old, new     *journey.Journey
	oldWS, newWS []*journey.Journey
	// newID maps an old stage id to its id in the new version (renames).
	newID map[string]string
}

func (c *comparer) compare() {
	o, n := c.old, c.new
	at := func(key string) journey.Range { return n.ValueRange(key) }
	c.field(JourneyChanged, "", "title", o.Title, n.Title, at("title"))
	c.field(JourneyChanged, "", "description", o.Description, n.Description, at("description"))
	c.field(JourneyChanged, "", "owner", o.Owner.Value, n.Owner.Value, at("owner"))
	c.field(JourneyChanged, "", "status", orDefault(o.Status, "active"), orDefault(n.Status, "active"), at("status"))
	c.field(JourneyChanged, "", "tags", set(o.Tags), set(n.Tags), at("tags"))
	c.field(JourneyChanged, "", "links", set(links(o.Links)), set(links(n.Links)), at("links"))

	c.phases()
	c.personas()
	c.channels()
	c.metrics(o.Metrics, n.Metrics, "", "metrics")
	c.stages()
	c.reachability()
}

// onNew records ch at r in the new version; onOld at r in the old one (a
// removal).
func (c *comparer) onNew(ch Change, r journey.Range) { c.d.add(ch.at(c.new.File, r, SideNew)) }
func (c *comparer) onOld(ch Change, r journey.Range) { c.d.add(ch.at(c.old.File, r, SideOld)) }

// field records a changed value of a field that is not breaking; kind is
// the change kind, path the field's path (e.g. "touchpoints[0].action"),
// r where the new value is (or its object, when the value is gone).
func (c *comparer) field(kind, stage, path, old, new string, r journey.Range) {
	c.fieldOf(kind, false, stage, path, old, new, r)
}

func (c *comparer) fieldOf(kind string, breaking bool, stage, path, old, new string, r journey.Range) {
	if old == new {
		return
	}
	c.onNew(Change{Kind: kind, Breaking: breaking, Stage: stage, Field: path, Old: old, New: new,
		Message: path + ": " + show(old) + " -> " + show(new)}, r)
}

func (c *comparer) phases() {
	o, n := idMap(c.old.Phases, func(p *journey.Phase) string { return p.ID.Value }), c.new.Phases
	seen := map[string]bool{}
	for _, p := range n {
		id := p.ID.Value
		seen[id] = true
		op := o[id]
		if op == nil {
			c.onNew(Change{Kind: PhaseAdded, Message: "phase " + quote(id) + " added"}, p.ID.Range)
			continue
		}
		where := "phases." + id
		c.field(PhaseChanged, "", where+".name", op.Name, p.Name, p.ValueRange("name"))
		c.field(PhaseChanged, "", where+".description", op.Description, p.Description, p.ValueRange("description"))
		c.field(PhaseChanged, "", where+".owner", op.Owner.Value, p.Owner.Value, p.ValueRange("owner"))
		c.field(PhaseChanged, "", where+".goal", op.Goal, p.Goal, p.ValueRange("goal"))
	}
	for _, p := range c.old.Phases {
		if !seen[p.ID.Value] {
			c.onOld(Change{Kind: PhaseRemoved, Message: "phase " + quote(p.ID.Value) + " removed"}, p.ID.Range)
		}
	}
}

func (c *comparer) personas() {
	o := idMap(c.old.Personas, func(p *journey.Persona) string { return p.ID.Value })
	seen := map[string]bool{}
	for _, p := range c.new.Personas {
		id := p.ID.Value
		seen[id] = true
		op := o[id]
		if op == nil {
			c.onNew(Change{Kind: PersonaAdded, Message: "persona " + quote(id) + " added"}, p.ID.Range)
			continue
		}
		where := "personas." + id
		c.field(PersonaChanged, "", where+".name", op.Name, p.Name, p.ValueRange("name"))
		c.field(PersonaChanged, "", where+".description", op.Description, p.Description, p.ValueRange("description"))
		c.field(PersonaChanged, "", where+".goals", set(op.Goals), set(p.Goals), p.ValueRange("goals"))
		c.field(PersonaChanged, "", where+".needs", set(op.Needs), set(p.Needs), p.ValueRange("needs"))
		c.field(PersonaChanged, "", where+".pains", set(op.Pains), set(p.Pains), p.ValueRange("pains"))
	}
	for _, p := range c.old.Personas {
		if !seen[p.ID.Value] {
			c.onOld(Change{Kind: PersonaRemoved, Message: "persona " + quote(p.ID.Value) + " removed"}, p.ID.Range)
		}
	}
}

func (c *comparer) channels() {
	o := idMap(c.old.Channels, func(p *journey.Channel) string { return p.ID.Value })
	seen := map[string]bool{}
	for _, ch := range c.new.Channels {
		id := ch.ID.Value
		seen[id] = true
		oc := o[id]
		if oc == nil {
			c.onNew(Change{Kind: ChannelAdded, Message: "channel " + quote(id) + " added"}, ch.ID.Range)
			continue
		}
		c.field(ChannelChanged, "", "channels."+id+".name", oc.Name, ch.Name, ch.ValueRange("name"))
		c.field(ChannelChanged, "", "channels."+id+".kind", oc.Kind, ch.Kind, ch.ValueRange("kind"))
	}
	for _, ch := range c.old.Channels {
		if !seen[ch.ID.Value] {
			c.onOld(Change{Kind: ChannelRemoved, Message: "channel " + quote(ch.ID.Value) + " removed"}, ch.ID.Range)
		}
	}
}

func metricKey(m *journey.Metric) string {
	if m.ID.Value != "" {
		return "#" + m.ID.Value
	}
	return m.Name
}

func (c *comparer) metrics(old, new []*journey.Metric, stage, where string) {
	o := idMap(old, metricKey)
	seen := map[string]bool{}
	for _, m := range new {
		k := metricKey(m)
		seen[k] = true
		om := o[k]
		if om == nil {
			c.onNew(Change{Kind: MetricAdded, Stage: stage, Message: where + ": metric " + quote(m.Name) + " added"}, m.Start())
			continue
		}
		p := where + "[" + quote(m.Name) + "]"
		c.field(MetricChanged, stage, p+".name", om.Name, m.Name, m.ValueRange("name"))
		c.field(MetricChanged, stage, p+".target", om.Target, m.Target, m.ValueRange("target"))
		c.field(MetricChanged, stage, p+".unit", om.Unit, m.Unit, m.ValueRange("unit"))
		c.field(MetricChanged, stage, p+".description", om.Description, m.Description, m.ValueRange("description"))
	}
	for _, m := range old {
		if !seen[metricKey(m)] {
			c.onOld(Change{Kind: MetricRemoved, Stage: stage, Message: where + ": metric " + quote(m.Name) + " removed"}, m.Start())
		}
	}
}

// stages matches stages by id, then by renamed_from, and compares each
// pair; unmatched ones are added or removed.
func (c *comparer) stages() {
	oldByID := idMap(c.old.Stages, func(s *journey.Stage) string { return s.ID.Value })
	newByID := idMap(c.new.Stages, func(s *journey.Stage) string { return s.ID.Value })
	c.newID = map[string]string{}
	pair := map[*journey.Stage]*journey.Stage{} // new -> old
	renamed := map[*journey.Stage]bool{}
	for id, s := range newByID {
		if o := oldByID[id]; o != nil {
			pair[s] = o
			c.newID[id] = id
		}
	}
	for _, s := range c.new.Stages {
		if pair[s] != nil || newByID[s.ID.Value] != s {
			continue
		}
		for _, r := range s.RenamedFrom {
			if o := oldByID[r.Value]; o != nil && newByID[r.Value] == nil && c.newID[r.Value] == "" {
				pair[s], renamed[s] = o, true
				c.newID[r.Value] = s.ID.Value
				break
			}
		}
	}
	handedIn := handoffTargets(c.newWS, c.new.ID.Value)
	oldHandedIn := handoffTargets(c.oldWS, c.old.ID.Value)
	for _, s := range c.new.Stages {
		if newByID[s.ID.Value] != s {
			continue
		}
		o := pair[s]
		if o == nil {
			c.onNew(Change{Kind: StageAdded, Stage: s.ID.Value, Message: "stage " + quote(s.ID.Value) + " added" + stageRole(s)}, s.ID.Range)
			continue
		}
		if renamed[s] {
			c.renamed(o, s)
		}
		c.stage(o, s, renamed[s])
	}
	for _, o := range c.old.Stages {
		if oldByID[o.ID.Value] != o || c.newID[o.ID.Value] != "" {
			continue
		}
		msg := "stage " + quote(o.ID.Value) + " removed" + stageRole(o)
		if oldHandedIn[o.ID.Value] || handedIn[o.ID.Value] {
			msg += "; other journeys hand off to it"
		}
		c.onOld(Change{Kind: StageRemoved, Breaking: true, Stage: o.ID.Value, Message: msg}, o.ID.Range)
	}
}

// renamed records the rename of stage o to s as one change. The analytics
// events of a stage default to its id, so a rename changes them unless the
// stage names its events: that is part of the rename (breaking, with the
// reason), not a second change.
func (c *comparer) renamed(o, s *journey.Stage) {
	msg := "stage " + quote(o.ID.Value) + " renamed to " + quote(s.ID.Value)
	before, after := set(o.EventNames()), set(s.EventNames())
	breaking := before != after
	switch {
	case !breaking:
	case len(s.Events) == 0 && len(o.Events) == 0:
		msg += ": its default analytics event changes from " + quote(o.ID.Value) + " to " + quote(s.ID.Value) + " (set `events: [" + o.ID.Value + "]` to keep it)"
	default:
		msg += ": its analytics events change from " + before + " to " + after
	}
	c.onNew(Change{Kind: StageRenamed, Breaking: breaking, Stage: s.ID.Value, Field: "id", Old: o.ID.Value, New: s.ID.Value, Message: msg}, s.ID.Range)
}

func stageRole(s *journey.Stage) string {
	var roles []string
	if s.Entry {
		roles = append(roles, "an entry")
	}
	if s.Outcome != "" {
		roles = append(roles, "a "+s.Outcome+" outcome")
	}
	if len(roles) == 0 {
		return ""
	}
	return " (" + strings.Join(roles, ", ") + ")"
}

// stage compares the fields of one stage in its two versions; renamed
// says the rename change already covers its events.
func (c *comparer) stage(o, s *journey.Stage, renamed bool) {
	id := s.ID.Value
	f := func(key, old, new string) { c.field(StageChanged, id, key, old, new, s.ValueRange(key)) }
	f("name", o.Name, s.Name)
	f("phase", o.Phase.Value, s.Phase.Value)
	f("description", o.Description, s.Description)
	if o.Entry != s.Entry {
		ch := Change{Kind: EntryAdded, Stage: id, Field: "entry", Old: strconv.FormatBool(o.Entry), New: strconv.FormatBool(s.Entry), Message: "entry: false -> true"}
		if o.Entry {
			ch.Kind, ch.Breaking, ch.Message = EntryRemoved, true, "entry removed: customers can no longer start here (entry: true -> false)"
		}
		c.onNew(ch, s.ValueRange("entry"))
	}
	if o.Outcome != s.Outcome {
		ch := Change{Kind: OutcomeChanged, Breaking: true, Stage: id, Field: "outcome", Old: o.Outcome, New: s.Outcome,
			Message: "outcome: " + show(o.Outcome) + " -> " + show(s.Outcome)}
		switch {
		case o.Outcome == "":
			ch.Kind, ch.Breaking = OutcomeAdded, false
		case s.Outcome == "":
			ch.Message = "outcome removed: " + o.Outcome + " -> (none)"
		}
		c.onNew(ch, s.ValueRange("outcome"))
	}
	f("owner", o.Owner.Value, s.Owner.Value)
	f("personas", set(texts(o.Personas)), set(texts(s.Personas)))
	f("channel", o.Channel.Value, s.Channel.Value)
	f("doing", o.Doing, s.Doing)
	f("thinking", o.Thinking, s.Thinking)
	f("feeling", o.Feeling, s.Feeling)
	f("emotion", emotion(o.Emotion), emotion(s.Emotion))
	f("questions", set(o.Questions), set(s.Questions))
	f("pains", set(o.Pains), set(s.Pains))
	f("opportunities", set(o.Opportunities), set(s.Opportunities))
	f("aha", boolText(o.Aha), boolText(s.Aha))
	if !renamed {
		c.fieldOf(EventsChanged, true, id, "events", set(o.EventNames()), set(s.EventNames()), s.ValueRange("events"))
	}
	c.metrics(o.Metrics, s.Metrics, id, "metrics")
	c.touchpoints(o, s)
	c.reasons(o, s)
	c.transitions(o, s)
}

func tpKey(t *journey.Touchpoint) string {
	if t.ID.Value != "" {
		return "#" + t.ID.Value
	}
	return t.Channel.Value + "\x00" + t.Action
}

func (c *comparer) touchpoints(o, s *journey.Stage) {
	id := s.ID.Value
	old := map[string]*journey.Touchpoint{}
	for _, t := range o.Touchpoints {
		if _, dup := old[tpKey(t)]; !dup {
			old[tpKey(t)] = t
		}
	}
	seen := map[string]bool{}
	for i, t := range s.Touchpoints {
		k := tpKey(t)
		seen[k] = true
		ot := old[k]
		where := "touchpoints[" + strconv.Itoa(i) + "]"
		if ot == nil {
			c.onNew(Change{Kind: StageChanged, Stage: id, Field: where, New: t.Action,
				Message: where + " added: " + t.Channel.Value + ": " + t.Action}, t.Start())
			continue
		}
		c.field(StageChanged, id, where+".channel", ot.Channel.Value, t.Channel.Value, t.ValueRange("channel"))
		c.field(StageChanged, id, where+".action", ot.Action, t.Action, t.ValueRange("action"))
		c.field(StageChanged, id, where+".owner", ot.Owner.Value, t.Owner.Value, t.ValueRange("owner"))
		c.field(StageChanged, id, where+".template", ot.Template, t.Template, t.ValueRange("template"))
		for _, key := range journey.UTMKeys {
			r := t.ValueRange("utm")
			if t.UTM != nil {
				r = t.UTM.ValueRange(key)
			}
			c.fieldOf(UTMChanged, true, id, where+".utm."+key, utmValue(ot.UTM, key), utmValue(t.UTM, key), r)
		}
	}
	for _, t := range o.Touchpoints {
		if !seen[tpKey(t)] {
			ch := Change{Kind: StageChanged, Stage: id, Field: "touchpoints", Old: t.Action, Message: "touchpoint removed: " + t.Channel.Value + ": " + t.Action}
			if t.UTM != nil && len(t.UTM.Values) > 0 {
				ch.Kind, ch.Breaking = UTMChanged, true
				ch.Message += " (its UTM-tagged links stop)"
			}
			c.onOld(ch, t.Start())
		}
	}
}

func utmValue(u *journey.UTM, key string) string {
	if u == nil {
		return ""
	}
	return u.Values[key].Value
}

func (c *comparer) reasons(o, s *journey.Stage) {
	id := s.ID.Value
	old := idMap(o.Reasons, func(r *journey.Reason) string { return r.ID.Value })
	seen := map[string]bool{}
	for _, r := range s.Reasons {
		seen[r.ID.Value] = true
		or := old[r.ID.Value]
		if or == nil {
			c.onNew(Change{Kind: StageChanged, Stage: id, Field: "reasons", New: r.ID.Value, Message: "reason " + quote(r.ID.Value) + " added"}, r.ID.Range)
			continue
		}
		where := "reasons." + r.ID.Value
		c.field(StageChanged, id, where+".name", or.Name, r.Name, r.ValueRange("name"))
		c.field(StageChanged, id, where+".next", c.mapped(or.Next.Value), r.Next.Value, r.ValueRange("next"))
	}
	for _, r := range o.Reasons {
		if !seen[r.ID.Value] {
			msg := "reason " + quote(r.ID.Value) + " removed"
			if r.Next.Value != "" {
				msg += " (it led to " + quote(r.Next.Value) + ")"
			}
			c.onOld(Change{Kind: StageChanged, Stage: id, Field: "reasons", Old: r.ID.Value, Message: msg}, r.ID.Range)
		}
	}
}

// mapped is an old stage id as it is called in the new version.
func (c *comparer) mapped(id string) string {
	if n := c.newID[id]; n != "" {
		return n
	}
	return id
}

func (c *comparer) transitionKey(t *journey.Transition, old bool) string {
	to := t.To.Value
	if old && t.Journey.Value == "" {
		to = c.mapped(to)
	}
	return to + "\x00" + t.Journey.Value + "\x00" + t.When
}

func transitionName(from string, t *journey.Transition) string {
	to := t.To.Value
	if t.Journey.Value != "" {
		to = t.Journey.Value + "/" + to
	}
	s := from + " -> " + to
	if t.When != "" {
		s += " (when " + quote(t.When) + ")"
	}
	return s
}

func (c *comparer) transitions(o, s *journey.Stage) {
	id := s.ID.Value
	old := map[string][]*journey.Transition{}
	for _, t := range o.Next {
		k := c.transitionKey(t, true)
		old[k] = append(old[k], t)
	}
	for _, t := range s.Next {
		k := c.transitionKey(t, false)
		if len(old[k]) == 0 {
			c.onNew(Change{Kind: TransitionAdded, Stage: id, Message: "transition " + transitionName(id, t) + " added" + transitionDetail(t)}, t.Start())
			continue
		}
		ot := old[k][0]
		old[k] = old[k][1:]
		name := transitionName(id, t)
		if ot.After.Value != t.After.Value && ot.AfterMinutes != t.AfterMinutes {
			c.onNew(Change{Kind: TransitionChanged, Stage: id, Field: "after", Old: ot.After.Value, New: t.After.Value,
				Message: name + ": after " + show(ot.After.Value) + " -> " + show(t.After.Value)}, t.ValueRange("after"))
		}
		if or, nr := rateText(ot.Rate), rateText(t.Rate); or != nr {
			c.onNew(Change{Kind: TransitionChanged, Stage: id, Field: "rate", Old: or, New: nr,
				Message: name + ": rate " + show(or) + " -> " + show(nr)}, t.ValueRange("rate"))
		}
	}
	for _, t := range o.Next {
		k := c.transitionKey(t, true)
		if len(old[k]) > 0 && old[k][0] == t {
			old[k] = old[k][1:]
			c.onOld(Change{Kind: TransitionRemoved, Stage: id, Message: "transition " + transitionName(id, t) + " removed"}, t.Start())
		}
	}
}

func transitionDetail(t *journey.Transition) string {
	var parts []string
	if t.After.Value != "" {
		parts = append(parts, "after "+t.After.Value)
	}
	if t.Rate != nil {
		parts = append(parts, "rate "+rateText(t.Rate))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func rateText(r *float64) string {
	if r == nil {
		return ""
	}
	return strconv.FormatFloat(math.Round(*r*10000)/100, 'f', -1, 64) + "%"
}

func emotion(e journey.Emotion) string {
	if !e.Set {
		return ""
	}
	if len(e.PerPersona) == 0 {
		return strconv.Itoa(e.Value)
	}
	parts := make([]string, len(e.PerPersona))
	for i, pe := range e.PerPersona {
		parts[i] = pe.Persona.Value + ": " + strconv.Itoa(pe.Value)
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ", ") + "}"
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return ""
}

// set writes a list order-insensitively: reordering is not a change.
func set(items []string) string {
	if len(items) == 0 {
		return ""
	}
	s := append([]string(nil), items...)
	sort.Strings(s)
	return "[" + strings.Join(s, ", ") + "]"
}

func texts(ts []journey.Text) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Value
	}
	return out
}

func links(ls []journey.Link) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Title + " <" + l.URL + ">"
	}
	return out
}

func idMap[T any](items []T, key func(T) string) map[string]T {
	m := make(map[string]T, len(items))
	for _, it := range items {
		k := key(it)
		if _, dup := m[k]; !dup {
			m[k] = it
		}
	}
	return m
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// show writes a value in a message: empty is "(none)", long text is cut.
func show(s string) string {
	if s == "" {
		return "(none)"
	}
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > 120 {
		return string(r[:119]) + "…"
	}
	return s
}

func quote(s string) string { return strconv.Quote(s) }

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
