package html

import (
	"strconv"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render"
)

// data is the JSON the page's script reads. Every string from the user's
// file goes through escape.Clean; the script shows them with textContent.
type data struct {
	Journey     journeyData         `json:"journey"`
	Stages      []stageData         `json:"stages"`
	Personas    []named             `json:"personas"`
	Paths       map[string][]string `json:"paths"` // persona id -> stage ids it passes
	Findings    []finding           `json:"findings"`
	View        string              `json:"view"`
	Persona     string              `json:"persona,omitempty"`
	Live        string              `json:"live,omitempty"`
	FlowError   string              `json:"flow_error,omitempty"`
	Changes     []Change            `json:"changes,omitempty"`
	Overlay     *Overlay            `json:"overlay,omitempty"`
	Legend      []legendData        `json:"legend,omitempty"`
	StageMarks  map[string]string   `json:"stage_marks,omitempty"`
	RenamedFrom map[string]string   `json:"renamed_from,omitempty"`
}

type journeyData struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Status      string `json:"status"`
	Owner       string `json:"owner,omitempty"`
	File        string `json:"file"`
}

type named struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type legendData struct {
	Class string `json:"class"`
	Text  string `json:"text"`
}

type stageData struct {
	ID            string       `json:"id"`
	Name          string       `json:"name"`
	Line          int          `json:"line"`
	Column        int          `json:"column"`
	Phase         string       `json:"phase,omitempty"`
	PhaseName     string       `json:"phase_name,omitempty"`
	Description   string       `json:"description,omitempty"`
	Entry         bool         `json:"entry,omitempty"`
	Outcome       string       `json:"outcome,omitempty"`
	Owner         string       `json:"owner,omitempty"`
	OwnerFrom     string       `json:"owner_from,omitempty"`
	Personas      []string     `json:"personas,omitempty"`
	Channel       string       `json:"channel,omitempty"`
	Doing         string       `json:"doing,omitempty"`
	Thinking      string       `json:"thinking,omitempty"`
	Feeling       string       `json:"feeling,omitempty"`
	Emotion       string       `json:"emotion,omitempty"`
	Aha           bool         `json:"aha,omitempty"`
	Backstage     []string     `json:"backstage,omitempty"`
	Support       []string     `json:"support,omitempty"`
	Questions     []string     `json:"questions,omitempty"`
	Pains         []string     `json:"pains,omitempty"`
	Opportunities []string     `json:"opportunities,omitempty"`
	Touchpoints   []touchpoint `json:"touchpoints,omitempty"`
	Metrics       []metric     `json:"metrics,omitempty"`
	Events        []string     `json:"events,omitempty"`
	Reasons       []reason     `json:"reasons,omitempty"`
	Next          []edge       `json:"next,omitempty"`
	Incoming      []edge       `json:"incoming,omitempty"`
	RenamedFrom   []string     `json:"renamed_from,omitempty"`
	Findings      []int        `json:"findings,omitempty"` // indexes into data.Findings
}

type touchpoint struct {
	ID       string     `json:"id,omitempty"`
	Channel  string     `json:"channel,omitempty"`
	Action   string     `json:"action,omitempty"`
	Owner    string     `json:"owner,omitempty"`
	Template string     `json:"template,omitempty"`
	UTM      [][]string `json:"utm,omitempty"` // [key, value] in canonical order
}

type metric struct {
	ID     string `json:"id,omitempty"`
	Name   string `json:"name,omitempty"`
	Target string `json:"target,omitempty"`
	Unit   string `json:"unit,omitempty"`
}

type reason struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Next string `json:"next,omitempty"`
}

// edge is a transition seen from one end: Stage is the other end.
type edge struct {
	Stage   string `json:"stage"`
	Journey string `json:"journey,omitempty"`
	When    string `json:"when,omitempty"`
	After   string `json:"after,omitempty"`
	Rate    string `json:"rate,omitempty"`
	Reason  string `json:"reason,omitempty"` // a failure reason's follow-up
}

type finding struct {
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Stage    string `json:"stage,omitempty"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

func clean(s string) string { return escape.Clean(s) }

func cleanAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		out = append(out, clean(s))
	}
	return out
}

func texts(ts []journey.Text) []string {
	var out []string
	for _, t := range ts {
		out = append(out, clean(t.Value))
	}
	return out
}

func buildData(in Input) data {
	j := in.Journey
	file := in.File
	if file == "" {
		file = j.File
	}
	d := data{
		Journey: journeyData{ID: clean(j.ID.Value), Title: clean(j.Title), Description: clean(j.Description),
			Status: clean(j.Status), Owner: clean(j.Owner.Value), File: clean(file)},
		Paths:     map[string][]string{},
		View:      in.View,
		Persona:   clean(in.Persona),
		Live:      in.Live,
		FlowError: clean(in.FlowError),
		Changes:   in.Changes,
		Overlay:   in.Overlay,
		Stages:    []stageData{},
		Personas:  []named{},
		Findings:  []finding{},
	}
	if d.Journey.Status == "" {
		d.Journey.Status = "active"
	}
	for i := range d.Changes {
		c := &d.Changes[i]
		c.Kind, c.Class, c.Stage, c.Text = clean(c.Kind), clean(c.Class), clean(c.Stage), clean(c.Text)
	}
	if m := in.Render.Marks; m != nil {
		for _, st := range m.Styles {
			d.Legend = append(d.Legend, legendData{Class: clean(st.Class), Text: clean(st.Text)})
		}
		if len(m.Stages) > 0 {
			d.StageMarks = map[string]string{}
			d.RenamedFrom = map[string]string{}
		}
		for id, mk := range m.Stages {
			d.StageMarks[clean(id)] = clean(mk.Class)
			if mk.RenamedFrom != "" {
				d.RenamedFrom[clean(id)] = clean(mk.RenamedFrom)
			}
		}
	}
	for _, p := range j.Personas {
		d.Personas = append(d.Personas, named{clean(p.ID.Value), clean(p.Name)})
		path := []string{}
		for _, s := range j.Stages {
			if s.Passes(p.ID.Value) {
				path = append(path, clean(s.ID.Value))
			}
		}
		d.Paths[clean(p.ID.Value)] = path
	}
	index := map[string]int{}
	for _, s := range j.Stages {
		if _, dup := index[s.ID.Value]; !dup {
			index[s.ID.Value] = len(d.Stages)
		}
		d.Stages = append(d.Stages, stageOf(j, s))
	}
	for _, s := range j.Stages {
		for _, t := range s.Next {
			if t.IsHandoff() {
				continue
			}
			if k, ok := index[t.To.Value]; ok {
				e := edgeOf(t)
				e.Stage = clean(s.ID.Value)
				d.Stages[k].Incoming = append(d.Stages[k].Incoming, e)
			}
		}
		for _, r := range s.Reasons {
			if k, ok := index[r.Next.Value]; ok && r.Next.Value != "" {
				d.Stages[k].Incoming = append(d.Stages[k].Incoming, edge{Stage: clean(s.ID.Value), Reason: clean(r.Name)})
			}
		}
	}
	for _, f := range in.Findings {
		d.Findings = append(d.Findings, finding{Severity: string(f.Severity), Rule: clean(f.Rule), Message: clean(f.Message),
			Stage: clean(f.Stage), Line: f.Range.Start.Line, Column: f.Range.Start.Column})
		if k, ok := index[f.Stage]; ok && f.Stage != "" {
			d.Stages[k].Findings = append(d.Stages[k].Findings, len(d.Findings)-1)
		}
	}
	return d
}

func stageOf(j *journey.Journey, s *journey.Stage) stageData {
	owner, from := j.OwnerOf(s)
	sd := stageData{
		ID: clean(s.ID.Value), Name: clean(s.Name), Line: s.Range.Start.Line, Column: s.Range.Start.Column,
		Phase: clean(s.Phase.Value), Description: clean(s.Description), Entry: s.Entry, Outcome: clean(s.Outcome),
		Owner: clean(owner), OwnerFrom: from, Personas: texts(s.Personas), Channel: clean(s.Channel.Value),
		Doing: clean(s.Doing), Thinking: clean(s.Thinking), Feeling: clean(s.Feeling), Aha: s.Aha,
		Backstage: cleanAll(s.Backstage), Support: cleanAll(s.Support), Questions: cleanAll(s.Questions),
		Pains: cleanAll(s.Pains), Opportunities: cleanAll(s.Opportunities), Events: texts(s.Events),
		RenamedFrom: texts(s.RenamedFrom),
	}
	if sd.Name == "" {
		sd.Name = sd.ID
	}
	if ph := j.Phase(s.Phase.Value); ph != nil {
		sd.PhaseName = clean(ph.Name)
	}
	if s.Emotion.Set {
		if len(s.Emotion.PerPersona) == 0 {
			sd.Emotion = signed(s.Emotion.Value)
		} else {
			e := ""
			for i, pe := range s.Emotion.PerPersona {
				if i > 0 {
					e += ", "
				}
				e += clean(pe.Persona.Value) + " " + signed(pe.Value)
			}
			sd.Emotion = e
		}
	}
	for _, tp := range s.Touchpoints {
		t := touchpoint{ID: clean(tp.ID.Value), Channel: clean(tp.Channel.Value), Action: clean(tp.Action),
			Owner: clean(tp.Owner.Value), Template: clean(tp.Template)}
		if tp.UTM != nil {
			for _, k := range journey.UTMKeys {
				if v, ok := tp.UTM.Values[k]; ok {
					t.UTM = append(t.UTM, []string{k, clean(v.Value)})
				}
			}
		}
		sd.Touchpoints = append(sd.Touchpoints, t)
	}
	for _, m := range s.Metrics {
		sd.Metrics = append(sd.Metrics, metric{ID: clean(m.ID.Value), Name: clean(m.Name), Target: clean(m.Target), Unit: clean(m.Unit)})
	}
	for _, r := range s.Reasons {
		sd.Reasons = append(sd.Reasons, reason{ID: clean(r.ID.Value), Name: clean(r.Name), Next: clean(r.Next.Value)})
	}
	for _, t := range s.Next {
		e := edgeOf(t)
		e.Stage = clean(t.To.Value)
		sd.Next = append(sd.Next, e)
	}
	return sd
}

func edgeOf(t *journey.Transition) edge {
	e := edge{Journey: clean(t.Journey.Value), When: clean(t.When), After: clean(t.After.Value)}
	if t.Rate != nil {
		e.Rate = render.FormatRate(*t.Rate)
	}
	return e
}

func signed(v int) string {
	if v > 0 {
		return "+" + strconv.Itoa(v)
	}
	return strconv.Itoa(v)
}
