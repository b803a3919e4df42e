package html

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"testing"

	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
	"github.com/journeykit/journey/pkg/render"
	"github.com/journeykit/journey/pkg/sim"
)

func TestEventsOverlay(t *testing.T) {
	j, _ := loadFile(t, "../conform/testdata/worked/nurture.journey.yaml")
	m, err := conform.NewMap(j)
	if err != nil {
		t.Fatal(err)
	}
	path := "../conform/testdata/worked/events.csv"
	rep, err := conform.Run(m, eventlog.Source{Name: path, Path: path}, conform.Options{Case: "user_id", Event: "event_name", Time: "occurred_at"})
	if err != nil {
		t.Fatal(err)
	}
	o := EventsOverlay(rep)
	var offMap, levels int
	for _, e := range o.Edges {
		if e.Width < 0 || e.Width > 1 {
			t.Errorf("edge %s->%s: width %v", e.From, e.To, e.Width)
		}
		if e.OffMap {
			offMap++
			if e.Level != "bad" {
				t.Errorf("off-map %s->%s: level %q", e.From, e.To, e.Level)
			}
		} else if e.Level != "" {
			levels++
		}
	}
	if offMap != len(rep.OffMap) || len(o.Edges) != len(rep.Edges)+len(rep.OffMap) || levels == 0 {
		t.Errorf("%d edges (%d off-map, %d with a level); report: %d edges, %d off-map", len(o.Edges), offMap, levels, len(rep.Edges), len(rep.OffMap))
	}
	if len(o.Stages) != len(j.Stages) || o.Summary == "" {
		t.Errorf("stages %d, summary %q", len(o.Stages), o.Summary)
	}
	out, err := Page(j, Options{Overlay: o})
	if err != nil {
		t.Fatal(err)
	}
	if d := pageData(t, out); d.Overlay == nil || d.Overlay.Kind != "events" || len(d.Overlay.Edges) != len(o.Edges) {
		t.Error("the page does not carry the overlay")
	}
}

func TestSimulationOverlay(t *testing.T) {
	j, _ := loadFile(t, "../../examples/saas/retention.journey.yaml")
	r, err := sim.Simulate(j, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := SimulationOverlay(j, r)
	widest := 0.0
	for _, e := range o.Edges {
		widest = math.Max(widest, e.Width)
	}
	if widest != 1 || len(o.Stages) != len(j.Stages) {
		t.Errorf("widest edge %v, %d stages", widest, len(o.Stages))
	}
	for _, s := range j.Stages {
		if f, ok := o.Stages[s.ID.Value]; !ok || f.Heat < 0 || f.Heat > 1 {
			t.Errorf("stage %s: %+v", s.ID.Value, f)
		}
	}
	if o.Stages[j.Stages[0].ID.Value].Heat != 1 {
		t.Errorf("the entry's visit probability is %v", o.Stages[j.Stages[0].ID.Value].Heat)
	}
}

// The overlay on the flow's SVG: edges widened and coloured, labels and
// heat outlines in a layer on top, off-map moves dashed; the result is
// still well-formed XML and text is escaped.
func TestOverlaySVG(t *testing.T) {
	j, _ := loadFile(t, "../conform/testdata/worked/nurture.journey.yaml")
	svg, err := render.Render(j, "flow", "svg", render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := &Overlay{Kind: "events", Summary: "observed <b>&</b>",
		Stages: map[string]StageFigure{j.Stages[0].ID.Value: {Heat: 1, Text: "reached 11"}, j.Stages[1].ID.Value: {Text: "never seen", Unseen: true}},
		Edges: []EdgeFigure{
			{From: j.Stages[0].ID.Value, To: j.Stages[0].Next[0].To.Value, Width: 1, Text: "6 · 55% vs 70%", Level: "bad"},
			{From: j.Stages[1].ID.Value, To: j.Stages[0].ID.Value, Width: 0.2, Text: "1 off-map", OffMap: true, Level: "bad"},
		}}
	out := OverlaySVG(svg, o)
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = true
	dec.Entity = xml.HTMLEntity
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
	}
	for _, want := range []string{`stroke="#b91c1c" stroke-width="10.00"`, ">6 · 55% vs 70%<", ">reached 11<", `stroke-dasharray="6 4"`, ">1 off-map<", "observed &lt;b&gt;&amp;&lt;/b&gt;", `class="overlay"`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("no %q in the SVG", want)
		}
	}
	// Off-map moves cross the map beneath the stages and edges; the
	// figures lie on top of everything, each on its plate.
	offMap, firstNode, figures := bytes.Index(out, []byte(`class="overlay-offmap"`)), bytes.Index(out, []byte(`class="node`)), bytes.Index(out, []byte(`class="overlay"`))
	if offMap < 0 || offMap > firstNode || figures < bytes.LastIndex(out, []byte(`class="node`)) {
		t.Errorf("layers out of order: off-map at %d, first stage at %d, figures at %d", offMap, firstNode, figures)
	}
	if n := bytes.Count(out[figures:], []byte(`<rect`)); n < 3 {
		t.Errorf("%d plates under the figures", n)
	}
	if !bytes.Equal(OverlaySVG(svg, o), out) {
		t.Error("two drawings differ")
	}
	if !bytes.Equal(OverlaySVG(svg, nil), svg) {
		t.Error("no overlay changed the SVG")
	}
}
