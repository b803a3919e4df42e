package conform

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Report is what Run finds. The JSON keys journey, cases, moves, fitness,
// edges (from, to, observed, observed_rate, designed_rate), off_map (from,
// to, count) and unseen_stages are the contract of `journey conform
// --format json`; the others are additions.
type Report struct {
	Journey string `json:"journey"`
	Title   string `json:"title,omitempty"`
	// Cases is the number of case ids with at least one mapped event.
	Cases int64 `json:"cases"`
	// Moves counts every move, on the map or off it.
	Moves int64 `json:"moves"`
	// Fitness is OnMapMoves / Moves; null when there is no move.
	Fitness *float64 `json:"fitness"`
	// Edges are the journey's edges in file order, seen or not.
	Edges []EdgeReport `json:"edges"`
	// OffMap are the moves the map does not have, by count (most first),
	// then from, then to.
	OffMap []OffMapMove `json:"off_map"`
	// UnseenStages are the stages no event reached, in file order.
	UnseenStages []string `json:"unseen_stages"`

	OnMapMoves int64 `json:"on_map_moves"`
	// Stages gives how often each stage was reached, in file order.
	Stages []StageReport `json:"stages"`
	// EventsFile names the log; InputFormat is csv, tsv, jsonl or xes;
	// InputOrder is grouped (streamed), "sorted in memory" or "sorted on
	// disk".
	EventsFile  string `json:"events_file"`
	InputFormat string `json:"input_format"`
	InputOrder  string `json:"input_order"`
	// Rows counts the data rows read, bad ones included; MappedEvents
	// those whose event reaches a stage and that were used.
	Rows         int64 `json:"rows"`
	MappedEvents int64 `json:"mapped_events"`
	// UnknownEvents counts the rows whose event matches no stage;
	// UnknownEventNames gives the most frequent names (up to 20).
	UnknownEvents     int64       `json:"unknown_events"`
	UnknownEventNames []NameCount `json:"unknown_event_names"`
	// BadRows counts the rows skipped because they could not be used;
	// BadRowSamples are the first ones.
	BadRows       int64    `json:"bad_rows"`
	BadRowSamples []BadRow `json:"bad_row_samples"`
	// CollapseRepeats is true when consecutive events of one stage were
	// merged into one visit (Options.CollapseRepeats); CollapsedEvents
	// counts the events merged into the visit before them.
	CollapseRepeats bool  `json:"collapse_repeats"`
	CollapsedEvents int64 `json:"collapsed_events"`
	// NonEntryCases counts the cases whose first mapped event is at a
	// stage that is not an entry; NonEntryStarts gives them by stage (most
	// first, then in file order) and NonEntryCaseSamples the first ids in
	// case id order (up to 10; an id longer than 200 bytes is cut). Empty
	// when the journey has no entry stage.
	NonEntryCases       int64        `json:"non_entry_cases"`
	NonEntryStarts      []StageCases `json:"non_entry_starts"`
	NonEntryCaseSamples []string     `json:"non_entry_case_samples"`
	// Timing is false when durations were not kept (NoTiming).
	Timing bool     `json:"timing"`
	Notes  []string `json:"notes,omitempty"`
}

// EdgeReport is an edge of the journey with what the log shows of it.
type EdgeReport struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Observed int64  `json:"observed"`
	// ObservedRate is Observed divided by the times customers reached
	// From; null when nobody did.
	ObservedRate *float64 `json:"observed_rate"`
	// DesignedRate is the rate of the journey file; null when not given.
	DesignedRate *float64 `json:"designed_rate"`
	// MedianSeconds and P90Seconds are the time between the two events of
	// the moves along the edge; null without moves (or timing).
	MedianSeconds *float64 `json:"median_seconds"`
	P90Seconds    *float64 `json:"p90_seconds"`
}

// OffMapMove is a move the journey does not allow, with its count.
type OffMapMove struct {
	From          string   `json:"from"`
	To            string   `json:"to"`
	Count         int64    `json:"count"`
	MedianSeconds *float64 `json:"median_seconds"`
	P90Seconds    *float64 `json:"p90_seconds"`
}

// StageReport is how many times a stage was reached.
type StageReport struct {
	Stage   string `json:"stage"`
	Reached int64  `json:"reached"`
}

// StageCases is a number of cases that start at a stage.
type StageCases struct {
	Stage string `json:"stage"`
	Cases int64  `json:"cases"`
}

// NameCount is an unknown event name and its count.
type NameCount struct {
	Event string `json:"event"`
	Count int64  `json:"count"`
}

// BadRow is a row that was skipped.
type BadRow struct {
	Line    int64  `json:"line"`
	Message string `json:"message"`
}

// Quantile returns the q = num/den quantile of sorted durations in
// milliseconds, in seconds, interpolated linearly between the two closest
// ranks (PERCENTILE_CONT): at position (n-1)*num/den counted from 0, with
// integer arithmetic for the position so that the SQL of package sqlgen
// computes the very same value.
func Quantile(sorted []int64, num, den int64) float64 {
	return quantile(int64(len(sorted)), func(k int64) int64 { return sorted[k] }, num, den)
}

// quantile is Quantile over n values given by rank.
func quantile(n int64, at func(int64) int64, num, den int64) float64 {
	if n == 0 {
		return math.NaN()
	}
	pos := (n - 1) * num
	lo, rem := pos/den, pos%den
	a := float64(at(lo)) / 1000
	if rem == 0 {
		return a
	}
	frac := float64(rem) / float64(den)
	b := float64(at(lo+1)) / 1000
	return (1-frac)*a + frac*b
}

func timing(d *durations, on bool) (median, p90 *float64) {
	if !on || d.n == 0 {
		return nil, nil
	}
	d.sortBlocks()
	n := int64(d.n)
	m, p := quantile(n, d.kth, 1, 2), quantile(n, d.kth, 9, 10)
	return &m, &p
}

func ratio(a, b int64) *float64 {
	if b == 0 {
		return nil
	}
	r := float64(a) / float64(b)
	return &r
}

func (a *accumulator) report() *Report {
	m := a.m
	r := &Report{
		Journey: m.Journey, Title: m.Title,
		Cases: a.cases, Moves: a.moves,
		Edges: []EdgeReport{}, OffMap: []OffMapMove{}, UnseenStages: []string{}, Stages: []StageReport{},
		EventsFile: a.name, InputFormat: a.format, InputOrder: a.order,
		Rows: a.rows, MappedEvents: a.mapped,
		UnknownEvents: a.unknownCount, UnknownEventNames: []NameCount{},
		BadRows: a.badRows, BadRowSamples: a.badSamples,
		Timing: !a.opts.NoTiming && !a.timingDropped,
		Notes:  slices.Clone(m.Notes),

		CollapseRepeats: a.opts.CollapseRepeats, CollapsedEvents: a.collapsed,
		NonEntryCases: a.nonEntry, NonEntryStarts: []StageCases{}, NonEntryCaseSamples: []string{},
	}
	for _, id := range a.nonEntryIDs {
		r.NonEntryCaseSamples = append(r.NonEntryCaseSamples, cutName(id))
	}
	for i, n := range a.nonEntryByStage {
		if n > 0 {
			r.NonEntryStarts = append(r.NonEntryStarts, StageCases{Stage: m.Stages[i], Cases: n})
		}
	}
	slices.SortStableFunc(r.NonEntryStarts, func(x, y StageCases) int { return cmp.Compare(y.Cases, x.Cases) })
	if a.timingDropped {
		r.Notes = append(r.Notes, fmt.Sprintf("more than %d moves: the time between stages is not computed (its exact median keeps 8 bytes per move); give --no-timing, or compute it in the warehouse with --sql", maxDurations))
	}
	if r.BadRowSamples == nil {
		r.BadRowSamples = []BadRow{}
	}
	for i, id := range m.Stages {
		r.Stages = append(r.Stages, StageReport{Stage: id, Reached: a.reached[i]})
		if a.reached[i] == 0 {
			r.UnseenStages = append(r.UnseenStages, id)
		}
	}
	seen := map[uint64]*edgeStat{}
	for _, s := range a.stats {
		seen[edgeKey(s.from, s.to)] = s
	}
	for _, e := range m.Edges {
		er := EdgeReport{From: m.Stages[e.From], To: m.Stages[e.To], DesignedRate: e.Rate}
		if s := seen[edgeKey(e.From, e.To)]; s != nil {
			er.Observed = s.count
			er.MedianSeconds, er.P90Seconds = timing(&s.durations, r.Timing)
			r.OnMapMoves += s.count
		}
		er.ObservedRate = ratio(er.Observed, a.reached[e.From])
		r.Edges = append(r.Edges, er)
	}
	for _, s := range a.stats {
		if _, on := m.EdgeIndex(s.from, s.to); on {
			continue
		}
		o := OffMapMove{From: m.Stages[s.from], To: m.Stages[s.to], Count: s.count}
		o.MedianSeconds, o.P90Seconds = timing(&s.durations, r.Timing)
		r.OffMap = append(r.OffMap, o)
	}
	slices.SortFunc(r.OffMap, func(x, y OffMapMove) int {
		if c := cmp.Compare(y.Count, x.Count); c != 0 {
			return c
		}
		if c := strings.Compare(x.From, y.From); c != 0 {
			return c
		}
		return strings.Compare(x.To, y.To)
	})
	r.Fitness = ratio(r.OnMapMoves, r.Moves)
	for name, n := range a.unknownNames {
		r.UnknownEventNames = append(r.UnknownEventNames, NameCount{Event: name, Count: n})
	}
	slices.SortFunc(r.UnknownEventNames, func(x, y NameCount) int {
		if c := cmp.Compare(y.Count, x.Count); c != 0 {
			return c
		}
		return strings.Compare(x.Event, y.Event)
	})
	if len(r.UnknownEventNames) > 20 {
		r.UnknownEventNames = r.UnknownEventNames[:20]
	}
	if a.unknownOther > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("more than %d distinct unknown event names: %d events with later names are counted, not named", a.opts.UnknownEventNames, a.unknownOther))
	}
	return r
}
