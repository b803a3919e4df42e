package conform

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/journeykit/journey/internal/textfmt"
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
	// EventsFile names the log; InputFormat is csv, tsv or jsonl;
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
	}
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

// Formats are the output formats of Write.
var Formats = []string{"text", "json", "markdown"}

// Write prints the report as text, json or markdown.
func Write(w io.Writer, r *Report, format string) error {
	switch format {
	case "json":
		data, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(data, '\n'))
		return err
	case "markdown":
		return writeMarkdown(w, r)
	case "text", "":
		return writeText(w, r)
	}
	return fmt.Errorf("unknown format %q", format)
}

func optPercent(p *float64) string {
	if p == nil {
		return "-"
	}
	return textfmt.Percent(*p)
}

func optSeconds(p *float64) string {
	if p == nil {
		return "-"
	}
	return textfmt.Seconds(*p)
}

func fitnessLine(r *Report) string {
	if r.Fitness == nil {
		return "Fitness: - (no moves)"
	}
	return fmt.Sprintf("Fitness: %s (%d of %d moves on the map)", textfmt.Percent(*r.Fitness), r.OnMapMoves, r.Moves)
}

func sourceLine(r *Report) string {
	return fmt.Sprintf("%s (%s, %s): %s, %s mapped to stages, %s, %s",
		r.EventsFile, strings.ToUpper(r.InputFormat), orderWords(r.InputOrder), plural(r.Rows, "row"), plural(r.MappedEvents, "event"),
		plural(r.UnknownEvents, "unknown event"), plural(r.BadRows, "bad row"))
}

func plural(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func orderWords(o string) string {
	if o == OrderGrouped {
		return "sorted by case"
	}
	return "not sorted by case: " + o
}

func unknownLine(r *Report, code func(string) string) string {
	var parts []string
	for i, n := range r.UnknownEventNames {
		if i == 5 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", code(n.Event), n.Count))
	}
	return fmt.Sprintf("Unknown events (match no stage): %d (%s)", r.UnknownEvents, strings.Join(parts, ", "))
}

func writeText(w io.Writer, r *Report) error {
	b := bufio.NewWriter(w)
	head := r.Journey
	if r.Title != "" {
		head += ": " + r.Title
	}
	fmt.Fprintf(b, "%s\nEvents: %s\nCases: %d  Moves: %d  %s\n\n", head, sourceLine(r), r.Cases, r.Moves, fitnessLine(r))
	rows := [][]string{{"Edge", "Observed", "Observed rate", "Designed rate", "Median", "p90"}}
	for _, e := range r.Edges {
		rows = append(rows, []string{e.From + " -> " + e.To, fmt.Sprint(e.Observed), optPercent(e.ObservedRate), optPercent(e.DesignedRate), optSeconds(e.MedianSeconds), optSeconds(e.P90Seconds)})
	}
	textfmt.WriteTable(b, rows, []bool{false, true, true, true, true, true})
	b.WriteString("\n")
	if len(r.OffMap) == 0 {
		b.WriteString("Off-map moves: none\n")
	} else {
		b.WriteString("Off-map moves (most frequent first):\n")
		rows = [][]string{{"Move", "Count", "Share of moves", "Median", "p90"}}
		for _, o := range r.OffMap {
			rows = append(rows, []string{o.From + " -> " + o.To, fmt.Sprint(o.Count), optPercent(ratio(o.Count, r.Moves)), optSeconds(o.MedianSeconds), optSeconds(o.P90Seconds)})
		}
		textfmt.WriteTable(b, rows, []bool{false, true, true, true, true})
	}
	b.WriteString("\n")
	if len(r.UnseenStages) > 0 {
		fmt.Fprintf(b, "Stages never reached: %s\n", strings.Join(r.UnseenStages, ", "))
	} else {
		b.WriteString("Stages never reached: none\n")
	}
	if r.UnknownEvents > 0 {
		b.WriteString(unknownLine(r, display) + "\n")
	}
	if r.BadRows > 0 {
		fmt.Fprintf(b, "Bad rows (skipped): %d\n", r.BadRows)
		for _, br := range r.BadRowSamples {
			fmt.Fprintf(b, "  line %d: %s\n", br.Line, br.Message)
		}
		if int64(len(r.BadRowSamples)) < r.BadRows {
			fmt.Fprintf(b, "  … and %d more\n", r.BadRows-int64(len(r.BadRowSamples)))
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("Notes:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(b, "  - %s\n", n)
		}
	}
	return b.Flush()
}

func writeMarkdown(w io.Writer, r *Report) error {
	b := bufio.NewWriter(w)
	code := func(s string) string { return "`" + strings.ReplaceAll(mdCell(display(s)), "`", "'") + "`" }
	fmt.Fprintf(b, "## Conformance of %s", code(r.Journey))
	if r.Title != "" {
		fmt.Fprintf(b, ": %s", mdCell(r.Title))
	}
	fmt.Fprintf(b, "\n\n- Events: %s\n- Cases: %d, moves: %d\n- %s\n\n", mdCell(sourceLine(r)), r.Cases, r.Moves, fitnessLine(r))
	b.WriteString("| Edge | Observed | Observed rate | Designed rate | Median | p90 |\n|---|---:|---:|---:|---:|---:|\n")
	for _, e := range r.Edges {
		fmt.Fprintf(b, "| %s → %s | %d | %s | %s | %s | %s |\n", code(e.From), code(e.To), e.Observed, optPercent(e.ObservedRate), optPercent(e.DesignedRate), optSeconds(e.MedianSeconds), optSeconds(e.P90Seconds))
	}
	b.WriteString("\n### Off-map moves\n\n")
	if len(r.OffMap) == 0 {
		b.WriteString("None: every move is on the map.\n")
	} else {
		b.WriteString("| Move | Count | Share of moves | Median | p90 |\n|---|---:|---:|---:|---:|\n")
		for _, o := range r.OffMap {
			fmt.Fprintf(b, "| %s → %s | %d | %s | %s | %s |\n", code(o.From), code(o.To), o.Count, optPercent(ratio(o.Count, r.Moves)), optSeconds(o.MedianSeconds), optSeconds(o.P90Seconds))
		}
	}
	b.WriteString("\n")
	if len(r.UnseenStages) > 0 {
		ids := make([]string, len(r.UnseenStages))
		for i, s := range r.UnseenStages {
			ids[i] = code(s)
		}
		fmt.Fprintf(b, "Stages never reached: %s\n", strings.Join(ids, ", "))
	} else {
		b.WriteString("Stages never reached: none\n")
	}
	if r.UnknownEvents > 0 {
		b.WriteString("\n" + unknownLine(r, code) + "\n")
	}
	if r.BadRows > 0 {
		fmt.Fprintf(b, "\nBad rows (skipped): %d\n\n", r.BadRows)
		for _, br := range r.BadRowSamples {
			fmt.Fprintf(b, "- line %d: %s\n", br.Line, mdCell(br.Message))
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nNotes:\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(b, "- %s\n", mdCell(n))
		}
	}
	return b.Flush()
}

// display shows a name as it is when it is printable, else quoted.
func display(s string) string {
	for _, c := range s {
		if !unicode.IsPrint(c) || c == utf8.RuneError {
			return strconv.Quote(s)
		}
	}
	return s
}

// mdCell escapes text for a Markdown table cell or list item.
func mdCell(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}
