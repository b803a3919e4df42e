package html

import (
	"fmt"
	"math"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/internal/textfmt"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/sim"
)

// Deviation bounds of an observed rate from the designed one: within
// DeviationOK the edge is green, within DeviationWarn amber, beyond red.
const (
	DeviationOK   = 0.05
	DeviationWarn = 0.15
)

// SimulationOverlay draws `journey simulate`: each stage's heat is its
// visit probability, each edge's width the expected share of customers
// who take it (expected visits of its source times its probability, a
// missing rate counted as its share of what the given rates leave).
func SimulationOverlay(j *journey.Journey, r *sim.Result) *Overlay {
	o := &Overlay{Kind: "simulation", Stages: map[string]StageFigure{}}
	visits := map[string]float64{}
	for _, s := range r.Stages {
		visits[s.Stage] = s.ExpectedVisits
		o.Stages[escape.Clean(s.Stage)] = StageFigure{Heat: clamp01(s.VisitProbability), Text: "visited " + textfmt.Percent(s.VisitProbability)}
	}
	type flow struct {
		from, to string
		f        float64
	}
	var flows []flow
	most := 0.0
	for _, s := range j.Stages {
		var given float64
		unrated := 0
		for _, t := range s.Next {
			if t.Rate != nil {
				given += *t.Rate
			} else {
				unrated++
			}
		}
		share := 0.0
		if unrated > 0 && given < 1 {
			share = (1 - given) / float64(unrated)
		}
		for _, t := range s.Next {
			if t.IsHandoff() {
				continue
			}
			p := share
			if t.Rate != nil {
				p = *t.Rate
			}
			f := visits[s.ID.Value] * p
			flows = append(flows, flow{s.ID.Value, t.To.Value, f})
			most = math.Max(most, f)
		}
	}
	for _, f := range flows {
		w := 0.0
		if most > 0 {
			w = f.f / most
		}
		o.Edges = append(o.Edges, EdgeFigure{From: escape.Clean(f.from), To: escape.Clean(f.to), Width: w, Text: textfmt.Percent(f.f)})
	}
	o.Summary = fmt.Sprintf("simulated: success %s, drop-off %s", textfmt.Percent(r.Success), textfmt.Percent(r.DropOff))
	return o
}

// EventsOverlay draws `journey conform`: each stage's heat is how often it
// was reached (unseen stages marked), each edge's width its observed
// moves, its label the observed against the designed rate, coloured by
// their deviation; off-map moves are dashed red edges with their counts.
func EventsOverlay(rep *conform.Report) *Overlay {
	o := &Overlay{Kind: "events", Stages: map[string]StageFigure{}}
	most := int64(0)
	for _, s := range rep.Stages {
		most = max(most, s.Reached)
	}
	unseen := map[string]bool{}
	for _, id := range rep.UnseenStages {
		unseen[id] = true
	}
	for _, s := range rep.Stages {
		heat := 0.0
		if most > 0 {
			heat = float64(s.Reached) / float64(most)
		}
		text := fmt.Sprintf("reached %d", s.Reached)
		if unseen[s.Stage] {
			text = "never seen"
		}
		o.Stages[escape.Clean(s.Stage)] = StageFigure{Heat: heat, Text: text, Unseen: unseen[s.Stage]}
	}
	moves := int64(0)
	for _, e := range rep.Edges {
		moves = max(moves, e.Observed)
	}
	for _, m := range rep.OffMap {
		moves = max(moves, m.Count)
	}
	width := func(n int64) float64 {
		if moves == 0 {
			return 0
		}
		return float64(n) / float64(moves)
	}
	for _, e := range rep.Edges {
		f := EdgeFigure{From: escape.Clean(e.From), To: escape.Clean(e.To), Width: width(e.Observed), Text: fmt.Sprintf("%d", e.Observed)}
		if e.ObservedRate != nil {
			f.Text += " · " + textfmt.Percent(*e.ObservedRate)
			if e.DesignedRate != nil {
				f.Text += " vs " + textfmt.Percent(*e.DesignedRate)
				switch d := math.Abs(*e.ObservedRate - *e.DesignedRate); {
				case d <= DeviationOK:
					f.Level = "ok"
				case d <= DeviationWarn:
					f.Level = "warn"
				default:
					f.Level = "bad"
				}
			}
		}
		o.Edges = append(o.Edges, f)
	}
	for _, m := range rep.OffMap {
		o.Edges = append(o.Edges, EdgeFigure{From: escape.Clean(m.From), To: escape.Clean(m.To), Width: width(m.Count), Text: fmt.Sprintf("%d off-map", m.Count), OffMap: true, Level: "bad"})
	}
	fit := "no moves"
	if rep.Fitness != nil {
		fit = "fitness " + textfmt.Percent(*rep.Fitness)
	}
	o.Summary = fmt.Sprintf("observed: %d cases, %d moves, %s, %d off-map moves, %d stages unseen", rep.Cases, rep.Moves, fit, len(rep.OffMap), len(rep.UnseenStages))
	return o
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }
