// Package textfmt formats the reports of journey simulate and journey
// conform: their output formats (text, json, markdown), and the
// percentages, durations and column-aligned tables of the text and
// Markdown ones.
package textfmt

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// Formats are the output formats of WriteReport.
var Formats = []string{"text", "json", "markdown"}

// WriteReport prints a report in one of Formats: json is v indented by
// two spaces with a final newline; text (also "") and markdown call the
// writer given for them. Another format is an error.
func WriteReport(w io.Writer, v any, format string, text, markdown func(io.Writer) error) error {
	switch format {
	case "json":
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(data, '\n'))
		return err
	case "markdown":
		return markdown(w)
	case "text", "":
		return text(w)
	}
	return fmt.Errorf("unknown format %q", format)
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

// Seconds formats a duration in seconds for display: "45s" below a
// minute, else as Duration does ("3d 4h", "5h 20m", "12m").
func Seconds(s float64) string {
	if s < 59.5 {
		return fmt.Sprintf("%.0fs", math.Max(0, math.Round(s)))
	}
	return Duration(s / 60)
}

// WriteTable writes rows as a plain-text table with padded columns (the
// first row is the header); right[i] aligns column i to the right.
// Trailing spaces are trimmed from every line.
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
