package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/journeykit/journey/internal/termsafe"
)

// Formats are the output formats of journey diff.
var Formats = []string{"text", "markdown", "json", "github"}

// WriteJSON writes the contract's JSON shape.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// TextOptions style the text output.
type TextOptions struct {
	Color bool
}

// WriteText writes one block per journey, one line per change (breaking
// changes marked, its place at the end: FILE:LINE:COL in the new version,
// "was at FILE:LINE:COL" in the old one for a removal), and a summary line.
func WriteText(w io.Writer, r *Result, o TextOptions) error {
	paint := func(code, s string) string {
		if !o.Color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	var b strings.Builder
	for _, d := range r.Journeys {
		// Ids, file names and messages come from users' files: never let
		// them reach a terminal raw.
		head := fmt.Sprintf("%s (%s): %s, %s", termsafe.Line(d.Journey), termsafe.Line(d.File), d.Status, plural(len(d.Changes), "change"))
		if n := d.Breaking(); n > 0 {
			head += fmt.Sprintf(", %d breaking", n)
		}
		b.WriteString(paint("1", head) + "\n")
		for _, c := range d.Changes {
			mark := "  "
			kind := c.Kind
			switch {
			case c.Breaking:
				mark = paint("31;1", "! ")
				kind = paint("31", kind)
			case strings.HasSuffix(c.Kind, "-added"):
				kind = paint("32", kind)
			case strings.HasSuffix(c.Kind, "-removed"):
				kind = paint("33", kind)
			}
			where := ""
			if c.Stage != "" {
				where = termsafe.Line(c.Stage) + ": "
			}
			fmt.Fprintf(&b, "  %s%s %s%s%s\n", mark, kind, where, oneLine(c.Message), place(c))
		}
		b.WriteString("\n")
	}
	b.WriteString(SummaryLine(r) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// place is " (FILE:LINE:COL)" for a change on the new side, " (was at
// FILE:LINE:COL)" for a removal, or "" when the change has no line.
func place(c Change) string {
	if c.Line <= 0 || c.File == "" {
		return ""
	}
	at := termsafe.Line(c.File) + ":" + itoa(c.Line) + ":" + itoa(c.Column)
	if c.Side == SideOld {
		return " (was at " + at + ")"
	}
	return " (" + at + ")"
}

// SummaryLine is "3 changes (1 breaking) in 2 journeys", or "no changes".
func SummaryLine(r *Result) string {
	if r.Summary.Changes == 0 {
		return "no changes"
	}
	return fmt.Sprintf("%s (%d breaking) in %s", plural(r.Summary.Changes, "change"), r.Summary.Breaking, plural(r.Summary.Journeys, "journey"))
}

func oneLine(s string) string {
	return termsafe.Line(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s))
}
