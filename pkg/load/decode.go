package load

import (
	"github.com/journeykit/journey/pkg/journey"
	"gopkg.in/yaml.v3"
)

// decoder builds the model from a parsed tree. It never fails on a value of
// the wrong type: the schema reports those, and the model keeps what it can
// so that every other check still runs.
type decoder struct {
	src *source
	exp *expander
	err error // set when alias expansion ran over budget
}

// object is one YAML mapping with its keys looked up.
type object struct {
	d    *decoder
	meta journey.Meta
	// nodes holds the value node of each of meta.Fields, in the same order.
	nodes []*yaml.Node
	// small backs nodes for an object of few keys (most): one allocation
	// for the object, not two.
	small [8]*yaml.Node
}

// value returns the node of key, or nil.
func (o *object) value(key string) *yaml.Node {
	for i, f := range o.meta.Fields {
		if f.Name == key {
			return o.nodes[i]
		}
	}
	return nil
}

// object reads n as a mapping; nil when n is not one.
func (d *decoder) object(n *yaml.Node) *object {
	r, ok := d.resolve(n)
	if !ok || r.Kind != yaml.MappingNode {
		return nil
	}
	o := &object{d: d, meta: journey.Meta{Range: d.src.rangeOf(n), Fields: make([]journey.Field, 0, len(r.Content)/2)}}
	o.nodes = o.small[:0]
	if k := len(r.Content) / 2; k > len(o.small) {
		o.nodes = make([]*yaml.Node, 0, k)
	}
	d.collect(o, r, 0)
	return o
}

// collect adds the keys of mapping m to o, following `<<` merge keys;
// keys written in the mapping win over merged ones.
func (d *decoder) collect(o *object, m *yaml.Node, depth int) {
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if o.value(k.Value) != nil {
			continue // duplicate key: reported by the parser, first one wins
		}
		o.nodes = append(o.nodes, v)
		o.meta.Fields = append(o.meta.Fields, journey.Field{Name: k.Value, Key: d.src.rangeOf(k), Value: d.src.rangeOf(v)})
	}
	if depth > 4 {
		return
	}
	for _, v := range merges {
		r, ok := d.resolve(v)
		if !ok {
			continue
		}
		sources := []*yaml.Node{r}
		if r.Kind == yaml.SequenceNode {
			sources = r.Content
		}
		for _, s := range sources {
			if s, ok := d.resolve(s); ok && s.Kind == yaml.MappingNode {
				d.collect(o, s, depth+1)
			}
		}
	}
}

func (d *decoder) resolve(n *yaml.Node) (*yaml.Node, bool) {
	if n == nil || d.err != nil {
		return nil, false
	}
	r, err := d.exp.resolve(n)
	if err == nil {
		err = d.exp.spend(1)
	}
	if err != nil {
		d.err = err
		return nil, false
	}
	return r, true
}

// scalar returns the node's text when it is a scalar.
func (d *decoder) scalar(n *yaml.Node) (string, bool) {
	r, ok := d.resolve(n)
	if !ok || r.Kind != yaml.ScalarNode || r.ShortTag() == "!!null" {
		return "", false
	}
	return r.Value, true
}

func (d *decoder) text(n *yaml.Node) journey.Text {
	v, ok := d.scalar(n)
	if !ok {
		return journey.Text{}
	}
	return journey.Text{Value: v, Range: d.src.rangeOf(n)}
}

// items returns the entries of a list; nil when n is not a list.
func (d *decoder) items(n *yaml.Node) []*yaml.Node {
	r, ok := d.resolve(n)
	if !ok || r.Kind != yaml.SequenceNode {
		return nil
	}
	return r.Content
}

func (o *object) str(key string) string {
	v, _ := o.d.scalar(o.value(key))
	return v
}

// text is d.text of key's value, whose range collect has already found.
func (o *object) text(key string) journey.Text {
	for i, f := range o.meta.Fields {
		if f.Name == key {
			v, ok := o.d.scalar(o.nodes[i])
			if !ok {
				return journey.Text{}
			}
			return journey.Text{Value: v, Range: f.Value}
		}
	}
	return journey.Text{}
}

func (o *object) boolean(key string) bool {
	r, ok := o.d.resolve(o.value(key))
	if !ok || r.Kind != yaml.ScalarNode {
		return false
	}
	b, isBool := scalarValue(r).(bool)
	return isBool && b
}

func (o *object) number(key string) (float64, bool) {
	r, ok := o.d.resolve(o.value(key))
	if !ok || r.Kind != yaml.ScalarNode {
		return 0, false
	}
	switch v := scalarValue(r).(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func (o *object) list(key string) []*yaml.Node { return o.d.items(o.value(key)) }

func (o *object) strs(key string) []string {
	var out []string
	for _, n := range o.list(key) {
		if v, ok := o.d.scalar(n); ok {
			out = append(out, v)
		}
	}
	return out
}

func (o *object) texts(key string) []journey.Text {
	var out []journey.Text
	for _, n := range o.list(key) {
		if t := o.d.text(n); t.Range.Start.Line != 0 {
			out = append(out, t)
		}
	}
	return out
}

// objects decodes each mapping of the list under key with fn.
func objects[T any](o *object, key string, fn func(*object) *T) []*T {
	var out []*T
	for _, n := range o.list(key) {
		if item := o.d.object(n); item != nil {
			out = append(out, fn(item))
		}
	}
	return out
}

func (d *decoder) journey(file string, n *yaml.Node) *journey.Journey {
	o := d.object(n)
	if o == nil {
		return nil
	}
	j := &journey.Journey{
		Meta:        o.meta,
		File:        file,
		ID:          o.text("journey"),
		Title:       o.str("title"),
		Description: o.str("description"),
		Owner:       o.text("owner"),
		Tags:        o.strs("tags"),
		Status:      o.str("status"),
	}
	for _, n := range o.list("links") {
		if l := d.object(n); l != nil {
			j.Links = append(j.Links, journey.Link{Meta: l.meta, Title: l.str("title"), URL: l.str("url")})
		}
	}
	j.Personas = objects(o, "personas", persona)
	j.Channels = objects(o, "channels", channel)
	j.Phases = objects(o, "phases", func(p *object) *journey.Phase {
		return &journey.Phase{Meta: p.meta, ID: p.text("id"), Name: p.str("name"),
			Description: p.str("description"), Owner: p.text("owner"), Goal: p.str("goal")}
	})
	j.Stages = d.stages(o)
	j.Metrics = objects(o, "metrics", metric)
	return j
}

// stages decodes the journey's stages, letting go of each one's tree once
// it is decoded: the tree of a large journey is not whole in memory at
// the same time as its model (journey diff holds two models).
func (d *decoder) stages(o *object) []*journey.Stage {
	items := o.list("stages")
	var out []*journey.Stage
	for i, n := range items {
		if item := d.object(n); item != nil {
			out = append(out, d.stage(item))
		}
		items[i] = nil
	}
	return out
}

func persona(p *object) *journey.Persona {
	return &journey.Persona{Meta: p.meta, ID: p.text("id"), Name: p.str("name"),
		Description: p.str("description"), Goals: p.strs("goals"), Needs: p.strs("needs"), Pains: p.strs("pains")}
}

func channel(c *object) *journey.Channel {
	return &journey.Channel{Meta: c.meta, ID: c.text("id"), Name: c.str("name"), Kind: c.str("kind")}
}

func metric(m *object) *journey.Metric {
	return &journey.Metric{Meta: m.meta, ID: m.text("id"), Name: m.str("name"), Target: m.str("target"),
		Unit: m.str("unit"), Description: m.str("description")}
}

func (d *decoder) stage(o *object) *journey.Stage {
	s := &journey.Stage{
		Meta:          o.meta,
		ID:            o.text("id"),
		Name:          o.str("name"),
		Phase:         o.text("phase"),
		Description:   o.str("description"),
		Entry:         o.boolean("entry"),
		Outcome:       o.str("outcome"),
		Owner:         o.text("owner"),
		Personas:      o.texts("personas"),
		Channel:       o.text("channel"),
		Doing:         o.str("doing"),
		Thinking:      o.str("thinking"),
		Feeling:       o.str("feeling"),
		Backstage:     o.strs("backstage"),
		Support:       o.strs("support"),
		Emotion:       d.emotion(o.value("emotion")),
		Questions:     o.strs("questions"),
		Pains:         o.strs("pains"),
		Opportunities: o.strs("opportunities"),
		Aha:           o.boolean("aha"),
		Metrics:       objects(o, "metrics", metric),
		Events:        o.texts("events"),
		RenamedFrom:   o.texts("renamed_from"),
	}
	switch s.Outcome {
	case journey.OutcomeSuccess, journey.OutcomeFailure, journey.OutcomeExit:
	default:
		s.Outcome = "" // not an outcome the checks know; the schema says so
	}
	s.Touchpoints = objects(o, "touchpoints", d.touchpoint)
	s.Reasons = objects(o, "reasons", func(r *object) *journey.Reason {
		return &journey.Reason{Meta: r.meta, ID: r.text("id"), Name: r.str("name"), Next: r.text("next")}
	})
	for _, n := range o.list("next") {
		if t := d.transition(n); t != nil {
			s.Next = append(s.Next, t)
		}
	}
	return s
}

func (d *decoder) emotion(n *yaml.Node) journey.Emotion {
	r, ok := d.resolve(n)
	if !ok {
		return journey.Emotion{}
	}
	if r.Kind == yaml.ScalarNode {
		if v, isInt := scalarValue(r).(int64); isInt {
			return journey.Emotion{Set: true, Value: int(v)}
		}
		return journey.Emotion{}
	}
	o := d.object(n)
	if o == nil {
		return journey.Emotion{}
	}
	e := journey.Emotion{Set: true}
	for i := 0; i+1 < len(r.Content); i += 2 {
		k := r.Content[i]
		v, ok := d.resolve(r.Content[i+1])
		if k.Kind != yaml.ScalarNode || !ok || v.Kind != yaml.ScalarNode {
			continue
		}
		if x, isInt := scalarValue(v).(int64); isInt {
			e.PerPersona = append(e.PerPersona, journey.PersonaEmotion{
				Persona: journey.Text{Value: k.Value, Range: d.src.rangeOf(k)}, Value: int(x)})
		}
	}
	return e
}

func (d *decoder) touchpoint(o *object) *journey.Touchpoint {
	t := &journey.Touchpoint{Meta: o.meta, ID: o.text("id"), Channel: o.text("channel"),
		Action: o.str("action"), Owner: o.text("owner"), Template: o.str("template")}
	if u := d.object(o.value("utm")); u != nil {
		t.UTM = &journey.UTM{Meta: u.meta, Values: map[string]journey.Text{}}
		for _, k := range journey.UTMKeys {
			if v := u.text(k); v.Range.Start.Line != 0 {
				t.UTM.Values[k] = v
			}
		}
	}
	return t
}

func (d *decoder) transition(n *yaml.Node) *journey.Transition {
	r, ok := d.resolve(n)
	if !ok {
		return nil
	}
	if r.Kind == yaml.ScalarNode {
		to := d.text(n)
		if to.Value == "" {
			return nil
		}
		return &journey.Transition{
			Meta:      journey.Meta{Range: to.Range, Fields: []journey.Field{{Name: "to", Key: to.Range, Value: to.Range}}},
			Shorthand: true, To: to, AfterMinutes: -1,
		}
	}
	o := d.object(n)
	if o == nil {
		return nil
	}
	t := &journey.Transition{Meta: o.meta, To: o.text("to"), Journey: o.text("journey"),
		When: o.str("when"), After: o.text("after"), AfterMinutes: -1}
	if m, ok := journey.ParseDuration(t.After.Value); ok {
		t.AfterMinutes = m
	}
	if rate, ok := o.number("rate"); ok {
		t.Rate = &rate
	}
	return t
}

func (d *decoder) config(file string, n *yaml.Node) *journey.Config {
	o := d.object(n)
	if o == nil {
		return &journey.Config{File: file}
	}
	c := &journey.Config{Meta: o.meta, File: file, Journeys: o.texts("journeys"), Teams: o.texts("teams")}
	c.Personas = objects(o, "personas", persona)
	c.Channels = objects(o, "channels", channel)
	if u := d.object(o.value("utm")); u != nil {
		c.UTM.Meta = u.meta
		c.UTM.Required = u.texts("required")
		if vals := d.object(u.value("values")); vals != nil {
			c.UTM.Values = map[string][]journey.Text{}
			for _, f := range vals.meta.Fields {
				c.UTM.Values[f.Name] = vals.texts(f.Name)
			}
		}
		if pats := d.object(u.value("patterns")); pats != nil {
			c.UTM.Patterns = map[string]journey.Text{}
			for _, f := range pats.meta.Fields {
				c.UTM.Patterns[f.Name] = pats.text(f.Name)
			}
		}
	}
	if rules, ok := d.resolve(o.value("rules")); ok && rules.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(rules.Content); i += 2 {
			k := rules.Content[i]
			if k.Kind != yaml.ScalarNode {
				continue
			}
			c.Rules = append(c.Rules, journey.RuleSetting{
				Rule:     journey.Text{Value: k.Value, Range: d.src.rangeOf(k)},
				Severity: d.text(rules.Content[i+1]),
			})
		}
	}
	if dc := d.object(o.value("diff")); dc != nil {
		if br, ok := d.resolve(dc.value("breaking")); ok && br.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(br.Content); i += 2 {
				if k := br.Content[i]; k.Kind == yaml.ScalarNode {
					c.DiffBreaking = append(c.DiffBreaking, journey.DiffBreakingSetting{
						Kind:     journey.Text{Value: k.Value, Range: d.src.rangeOf(k)},
						Breaking: d.text(br.Content[i+1]),
					})
				}
			}
		}
	}
	return c
}
