package sim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// Formats are the output formats of Write.
var Formats = []string{"text", "json", "markdown"}

// Write prints the result as text (aligned tables with percentages), json
// (probabilities as unrounded numbers in 0..1) or markdown (tables).
func Write(w io.Writer, r *Result, format string) error {
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

func writeText(w io.Writer, r *Result) error {
	b := bufio.NewWriter(w)
	head := r.Journey
	if r.Title != "" {
		head += ": " + r.Title
	}
	fmt.Fprintf(b, "%s\n%s\n\n", head, startLine(r, func(s string) string { return s }))

	rows := [][]string{{"Outcome", "Kind", "Probability", "Expected time", "Median time"}}
	for _, o := range r.Outcomes {
		rows = append(rows, []string{o.Stage, o.Kind, Percent(o.Probability), expected(o), median(o)})
	}
	rows = append(rows, []string{"(drop-off)", "", Percent(r.DropOff), "", ""})
	rows = append(rows, []string{"Success", "", Percent(r.Success), "", ""})
	WriteTable(b, rows, []bool{false, false, true, true, true})
	b.WriteString("\n")

	rows = [][]string{{"Stage", "Visited", "Expected visits", "Drop-off"}}
	for _, s := range r.Stages {
		rows = append(rows, []string{s.Stage, Percent(s.VisitProbability), fmt.Sprintf("%.2f", s.ExpectedVisits), Percent(s.DropOff)})
	}
	WriteTable(b, rows, []bool{false, true, true, true})

	if e := r.BestEdge; e != nil {
		b.WriteString("\n")
		if e.Gain > 1e-12 {
			fmt.Fprintf(b, "Best edge to improve: %s -> %s\n  %s\n", e.From, e.To, bestSentence(r, e))
		} else {
			fmt.Fprintf(b, "Best edge to improve: none: raising any edge's rate by %s does not raise success\n", Percent(Improvement))
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
		fmt.Fprintf(b, ": %s", mdCell(r.Title))
	}
	fmt.Fprintf(b, "\n\n%s\n\n", startLine(r, func(s string) string { return "`" + s + "`" }))

	b.WriteString("| Outcome | Kind | Probability | Expected time | Median time |\n|---|---|--:|--:|--:|\n")
	for _, o := range r.Outcomes {
		fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s |\n", o.Stage, o.Kind, Percent(o.Probability), expected(o), median(o))
	}
	fmt.Fprintf(b, "| drop-off | | %s | | |\n", Percent(r.DropOff))
	fmt.Fprintf(b, "| **Success** | | **%s** | | |\n\n", Percent(r.Success))

	b.WriteString("| Stage | Visited | Expected visits | Drop-off |\n|---|--:|--:|--:|\n")
	for _, s := range r.Stages {
		fmt.Fprintf(b, "| `%s` | %s | %.2f | %s |\n", s.Stage, Percent(s.VisitProbability), s.ExpectedVisits, Percent(s.DropOff))
	}
	if e := r.BestEdge; e != nil {
		if e.Gain > 1e-12 {
			fmt.Fprintf(b, "\n**Best edge to improve:** `%s` → `%s`: %s\n", e.From, e.To, bestSentence(r, e))
		} else {
			fmt.Fprintf(b, "\n**Best edge to improve:** none: raising any edge's rate by %s does not raise success.\n", Percent(Improvement))
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

func startLine(r *Result, code func(string) string) string {
	parts := make([]string, len(r.Entries))
	for i, e := range r.Entries {
		parts[i] = fmt.Sprintf("%s (%s)", code(e.Stage), Percent(e.Share))
	}
	return "Customers start at " + strings.Join(parts, ", ") + "."
}

func bestSentence(r *Result, e *BestEdge) string {
	return fmt.Sprintf("its rate from %s to %s raises success by %s percentage points (%s -> %s).",
		Percent(e.Rate), Percent(e.NewRate), strings.TrimSuffix(Percent(e.Gain), "%"), Percent(r.Success), Percent(r.Success+e.Gain))
}

func expected(o Outcome) string {
	if o.ExpectedTimeMinutes == nil {
		return "-"
	}
	return Duration(*o.ExpectedTimeMinutes)
}

func median(o Outcome) string {
	if o.MedianTimeMinutes == nil {
		return "-"
	}
	return Duration(float64(*o.MedianTimeMinutes))
}

// Percent formats a probability for display: two decimals, "<0.01%" for a
// tiny one that is not zero, ">99.99%" for one just below 1.
func Percent(p float64) string {
	x := p * 100
	switch {
	case p > 0 && x < 0.005:
		return "<0.01%"
	case p < 1 && x >= 99.995:
		return ">99.99%"
	}
	return fmt.Sprintf("%.2f%%", x)
}

// Duration formats minutes for display: "3d 4h" from a day on (rounded to
// the hour), "5h 20m" from an hour on, else "45m".
func Duration(minutes float64) string {
	m := int64(math.Round(minutes))
	switch {
	case m >= 24*60:
		h := int64(math.Round(minutes / 60))
		if h%24 == 0 {
			return fmt.Sprintf("%dd", h/24)
		}
		return fmt.Sprintf("%dd %dh", h/24, h%24)
	case m >= 60:
		if m%60 == 0 {
			return fmt.Sprintf("%dh", m/60)
		}
		return fmt.Sprintf("%dh %dm", m/60, m%60)
	}
	return fmt.Sprintf("%dm", m)
}

// WriteTable writes rows as a plain-text table with padded columns;
// right[i] aligns column i to the right. journey conform's text output
// uses it too.
func WriteTable(b *bufio.Writer, rows [][]string, right []bool) {
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			width[i] = max(width[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			if i > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell))
			if right[i] {
				line.WriteString(pad + cell)
			} else {
				line.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// mdCell escapes text for a Markdown table cell or list item.
func mdCell(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}
