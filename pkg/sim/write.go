package sim

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/internal/textfmt"
)

// Formats are the output formats of Write.
var Formats = textfmt.Formats

// Write prints the result as text (aligned tables with percentages), json
// (probabilities as unrounded numbers in 0..1) or markdown (tables).
func Write(w io.Writer, r *Result, format string) error {
	return textfmt.WriteReport(w, r, format,
		func(w io.Writer) error { return writeText(w, r) },
		func(w io.Writer) error { return writeMarkdown(w, r) })
}

func writeText(w io.Writer, r *Result) error {
	b := bufio.NewWriter(w)
	head := r.Journey
	if r.Title != "" {
		head += ": " + r.Title
	}
	fmt.Fprintf(b, "%s\n%s\n\n", head, startLine(r, func(s string) string { return s }))

	rows := [][]string{{"Outcome", "Kind", "Probability", "Expected time", "Median time"}}
	for _, o := range r.Outcomes {
		rows = append(rows, []string{o.Stage, o.Kind, textfmt.Percent(o.Probability), expected(o), median(o)})
	}
	rows = append(rows, []string{"(drop-off)", "", textfmt.Percent(r.DropOff), "", ""})
	rows = append(rows, []string{"Success", "", textfmt.Percent(r.Success), "", ""})
	textfmt.WriteTable(b, rows, []bool{false, false, true, true, true})
	b.WriteString("\n")

	rows = [][]string{{"Stage", "Visited", "Expected visits", "Drop-off"}}
	for _, s := range r.Stages {
		rows = append(rows, []string{s.Stage, textfmt.Percent(s.VisitProbability), fmt.Sprintf("%.2f", s.ExpectedVisits), textfmt.Percent(s.DropOff)})
	}
	textfmt.WriteTable(b, rows, []bool{false, true, true, true})

	if e := r.BestEdge; e != nil {
		b.WriteString("\n")
		if e.Gain > 1e-12 {
			fmt.Fprintf(b, "Best edge to improve: %s -> %s\n  %s\n", e.From, e.To, bestSentence(r, e))
		} else {
			fmt.Fprintf(b, "Best edge to improve: none: raising any edge's rate by %s does not raise success\n", textfmt.Percent(Improvement))
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nNotes:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(b, "  - %s\n", n)
		}
	}
	return b.Flush()
}

func writeMarkdown(w io.Writer, r *Result) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "## Simulation of `%s`", r.Journey)
	if r.Title != "" {
		fmt.Fprintf(b, ": %s", escape.MarkdownCell(r.Title))
	}
	fmt.Fprintf(b, "\n\n%s\n\n", startLine(r, func(s string) string { return "`" + s + "`" }))

	b.WriteString("| Outcome | Kind | Probability | Expected time | Median time |\n|---|---|--:|--:|--:|\n")
	for _, o := range r.Outcomes {
		fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s |\n", o.Stage, o.Kind, textfmt.Percent(o.Probability), expected(o), median(o))
	}
	fmt.Fprintf(b, "| drop-off | | %s | | |\n", textfmt.Percent(r.DropOff))
	fmt.Fprintf(b, "| **Success** | | **%s** | | |\n\n", textfmt.Percent(r.Success))

	b.WriteString("| Stage | Visited | Expected visits | Drop-off |\n|---|--:|--:|--:|\n")
	for _, s := range r.Stages {
		fmt.Fprintf(b, "| `%s` | %s | %.2f | %s |\n", s.Stage, textfmt.Percent(s.VisitProbability), s.ExpectedVisits, textfmt.Percent(s.DropOff))
	}
	if e := r.BestEdge; e != nil {
		if e.Gain > 1e-12 {
			fmt.Fprintf(b, "\n**Best edge to improve:** `%s` → `%s`: %s\n", e.From, e.To, bestSentence(r, e))
		} else {
			fmt.Fprintf(b, "\n**Best edge to improve:** none: raising any edge's rate by %s does not raise success.\n", textfmt.Percent(Improvement))
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

func startLine(r *Result, code func(string) string) string {
	parts := make([]string, len(r.Entries))
	for i, e := range r.Entries {
		parts[i] = fmt.Sprintf("%s (%s)", code(e.Stage), textfmt.Percent(e.Share))
	}
	return "Customers start at " + strings.Join(parts, ", ") + "."
}

func bestSentence(r *Result, e *BestEdge) string {
	return fmt.Sprintf("its rate from %s to %s raises success by %s percentage points (%s -> %s).",
		textfmt.Percent(e.Rate), textfmt.Percent(e.NewRate), strings.TrimSuffix(textfmt.Percent(e.Gain), "%"), textfmt.Percent(r.Success), textfmt.Percent(r.Success+e.Gain))
}

func expected(o Outcome) string {
	if o.ExpectedTimeMinutes == nil {
		return "-"
	}
	return textfmt.Duration(*o.ExpectedTimeMinutes)
}

func median(o Outcome) string {
	if o.MedianTimeMinutes == nil {
		return "-"
	}
	return textfmt.Duration(float64(*o.MedianTimeMinutes))
}
