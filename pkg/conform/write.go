package conform

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/internal/textfmt"
)

// Formats are the output formats of Write.
var Formats = textfmt.Formats

// Write prints the report as text, json or markdown.
func Write(w io.Writer, r *Report, format string) error {
	return textfmt.WriteReport(w, r, format,
		func(w io.Writer) error { return writeText(w, r) },
		func(w io.Writer) error { return writeMarkdown(w, r) })
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

// nonEntryLine lists the cases that start at a stage that is not an
// entry: how many, by stage, and the first ids.
func nonEntryLine(r *Report, code func(string) string) string {
	var parts []string
	for i, s := range r.NonEntryStarts {
		if i == 5 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", code(s.Stage), s.Cases))
	}
	ids := make([]string, len(r.NonEntryCaseSamples))
	for i, id := range r.NonEntryCaseSamples {
		ids[i] = code(id)
	}
	more := ""
	if int64(len(ids)) < r.NonEntryCases {
		more = ", …"
	}
	return fmt.Sprintf("Cases starting at a stage that is not an entry: %d (%s; cases %s%s)", r.NonEntryCases, strings.Join(parts, ", "), strings.Join(ids, ", "), more)
}

func collapseLine(r *Report) string {
	their := "their visits"
	if r.CollapsedEvents == 1 {
		their = "its visit"
	}
	return fmt.Sprintf("Repeats collapsed (--collapse-repeats): %s merged into %s", plural(r.CollapsedEvents, "repeated event"), their)
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
	if r.NonEntryCases > 0 {
		b.WriteString(nonEntryLine(r, display) + "\n")
	}
	if r.CollapseRepeats {
		b.WriteString(collapseLine(r) + "\n")
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
	code := func(s string) string {
		return "`" + strings.ReplaceAll(escape.MarkdownCell(display(s)), "`", "'") + "`"
	}
	fmt.Fprintf(b, "## Conformance of %s", code(r.Journey))
	if r.Title != "" {
		fmt.Fprintf(b, ": %s", escape.MarkdownCell(r.Title))
	}
	fmt.Fprintf(b, "\n\n- Events: %s\n- Cases: %d, moves: %d\n- %s\n\n", escape.MarkdownCell(sourceLine(r)), r.Cases, r.Moves, fitnessLine(r))
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
	if r.NonEntryCases > 0 {
		b.WriteString("\n" + nonEntryLine(r, code) + "\n")
	}
	if r.CollapseRepeats {
		b.WriteString("\n" + escape.MarkdownCell(collapseLine(r)) + "\n")
	}
	if r.UnknownEvents > 0 {
		b.WriteString("\n" + unknownLine(r, code) + "\n")
	}
	if r.BadRows > 0 {
		fmt.Fprintf(b, "\nBad rows (skipped): %d\n\n", r.BadRows)
		for _, br := range r.BadRowSamples {
			fmt.Fprintf(b, "- line %d: %s\n", br.Line, escape.MarkdownCell(br.Message))
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nNotes:\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(b, "- %s\n", escape.MarkdownCell(n))
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
