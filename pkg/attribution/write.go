package attribution

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

func heading(r *Report) string {
	return fmt.Sprintf("Cases: %d  Conversions: %d (%s)  By: %s, order %d, %d states",
		r.Cases, r.Conversions, textfmt.Percent(r.ConversionProbability), r.By, r.Order, r.States)
}

func sourceLine(r *Report) string {
	return fmt.Sprintf("%s: %d rows, %d mapped to stages, %d unknown events, %d bad rows", display(r.EventsFile), r.Rows, r.MappedEvents, r.UnknownEvents, r.BadRows)
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

func writeText(w io.Writer, r *Report) error {
	b := bufio.NewWriter(w)
	head := display(r.Journey)
	if r.Title != "" {
		head += ": " + display(r.Title)
	}
	fmt.Fprintf(b, "%s\n", head)
	if r.EventsFile != "" {
		fmt.Fprintf(b, "Events: %s\n", sourceLine(r))
	}
	fmt.Fprintf(b, "%s\n\n", heading(r))
	if len(r.Channels) == 0 {
		b.WriteString("No touches: no path holds a " + r.By + ".\n")
	} else {
		rows := [][]string{{strings.ToUpper(r.By[:1]) + r.By[1:], "Removal effect", "Markov", "First touch", "Last touch", "Linear"}}
		for _, c := range r.Channels {
			rows = append(rows, []string{display(c.Channel), textfmt.Percent(c.RemovalEffect), num(c.Markov), fmt.Sprint(c.FirstTouch), fmt.Sprint(c.LastTouch), num(c.Linear)})
		}
		textfmt.WriteTable(b, rows, []bool{false, true, true, true, true, true})
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nNotes:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(b, "  - %s\n", display(n))
		}
	}
	return b.Flush()
}

func writeMarkdown(w io.Writer, r *Report) error {
	b := bufio.NewWriter(w)
	code := func(s string) string {
		return "`" + strings.ReplaceAll(escape.MarkdownCell(display(s)), "`", "'") + "`"
	}
	fmt.Fprintf(b, "## Attribution of %s", code(r.Journey))
	if r.Title != "" {
		fmt.Fprintf(b, ": %s", escape.MarkdownCell(display(r.Title)))
	}
	b.WriteString("\n\n")
	if r.EventsFile != "" {
		fmt.Fprintf(b, "- Events: %s\n", escape.MarkdownCell(sourceLine(r)))
	}
	fmt.Fprintf(b, "- %s\n\n", heading(r))
	if len(r.Channels) == 0 {
		b.WriteString("No touches: no path holds a " + r.By + ".\n")
	} else {
		fmt.Fprintf(b, "| %s | Removal effect | Markov | First touch | Last touch | Linear |\n|---|---:|---:|---:|---:|---:|\n", strings.ToUpper(r.By[:1])+r.By[1:])
		for _, c := range r.Channels {
			fmt.Fprintf(b, "| %s | %s | %s | %d | %d | %s |\n", code(c.Channel), textfmt.Percent(c.RemovalEffect), num(c.Markov), c.FirstTouch, c.LastTouch, num(c.Linear))
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\nNotes:\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(b, "- %s\n", escape.MarkdownCell(display(n)))
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
