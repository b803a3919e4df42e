package diff

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/render"
)

// MaxMarkdown is the most a pull-request comment can hold: GitHub refuses
// comments over 65,536 characters.
const MaxMarkdown = 65536

// MarkerRoom is kept free under MaxMarkdown for a line that a workflow
// appends to the comment, such as the action's `<!-- journey-diff -->`
// marker: WriteMarkdown writes at most MaxMarkdown - MarkerRoom characters.
const MarkerRoom = 100

// Characters (runes) of a user's text that one place of the comment shows;
// longer text is cut with "…" (the graph's labels are cut by pkg/render).
const (
	maxIDRunes      = 200
	maxMessageRunes = 500
)

// noteRoom bounds the closing note that says what was left out.
const noteRoom = 400

// WriteMarkdown writes a pull-request comment: a summary table (breaking
// changes first), per journey a Mermaid graph of the changed stages and
// their neighbours, then the details. The whole comment never exceeds
// MaxMarkdown - MarkerRoom characters (Unicode code points, as GitHub
// counts them): the table keeps the rows that fit, the details the
// journeys that fit after it, and a last line says how many were left out.
func WriteMarkdown(w io.Writer, r *Result) error {
	_, err := io.WriteString(w, markdown(r, MaxMarkdown-MarkerRoom))
	return err
}

// markdown is the comment in at most limit characters (limit is at least
// a few hundred).
func markdown(r *Result, limit int) string {
	var head strings.Builder
	head.WriteString("## Journey changes\n\n")
	if r.Summary.Changes == 0 {
		head.WriteString("No changes to journeys.\n")
		return head.String()
	}
	fmt.Fprintf(&head, "**%d breaking** · %s in %s\n\n", r.Summary.Breaking, plural(r.Summary.Changes, "change"), plural(r.Summary.Journeys, "journey"))
	head.WriteString("| Journey | Status | Breaking | Changes |\n|---|---|---|---|\n")
	ordered := append([]*JourneyDiff(nil), r.Journeys...)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].Breaking() > ordered[j].Breaking() })

	budget := limit - runes(head.String()) - noteRoom - 1 // 1: the line after the table
	var out strings.Builder
	out.WriteString(head.String())
	inTable := 0
	for _, d := range ordered {
		mark := ""
		if d.Breaking() > 0 {
			mark = "⚠️ "
		}
		row := fmt.Sprintf("| %s`%s` | %s | %d | %d |\n", mark, escape.MarkdownCode(cut(d.Journey, maxIDRunes)), d.Status, d.Breaking(), len(d.Changes))
		n := runes(row)
		if n > budget {
			break
		}
		out.WriteString(row)
		budget -= n
		inTable++
	}
	out.WriteString("\n")

	detailed := 0
	for _, d := range ordered[:inTable] {
		section := journeySection(d)
		if n := runes(section); n <= budget {
			out.WriteString(section)
			budget -= n
			detailed++
			continue
		}
		// Too long: try without the graph, then give up on the rest.
		section = journeySectionNoGraph(d, budget)
		if n := runes(section); section != "" && n <= budget {
			out.WriteString(section)
			budget -= n
			detailed++
			continue
		}
		break
	}
	if note := cutNote(len(ordered), inTable, detailed); note != "" {
		out.WriteString(note)
	}
	return out.String()
}

// cutNote is the last line of a comment that left something out, or "".
func cutNote(journeys, inTable, detailed int) string {
	if inTable == journeys && detailed == journeys {
		return ""
	}
	var what string
	if inTable < journeys {
		what = fmt.Sprintf("%d of the %d journeys are not in the table and ", journeys-inTable, journeys)
	}
	what += fmt.Sprintf("the details of %s are left out", plural(journeys-detailed, "journey"))
	return "> **Cut:** " + what + " to stay under GitHub's limit of 65,536 characters per comment. Run `journey diff` locally (or `--format json`) for everything.\n"
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// cut shortens s to at most n runes, ending with "…" when it was longer.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n-1]) + "…"
}

func journeySection(d *JourneyDiff) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### `%s` (%s)\n\n", escape.MarkdownCode(cut(d.Journey, maxIDRunes)), d.Status)
	if g := changeGraph(d); g != "" {
		b.WriteString("```mermaid\n" + g + "```\n\n")
	}
	b.WriteString(changeTable(d.Changes))
	return b.String()
}

// journeySectionNoGraph keeps as many change rows as fit in budget, with a
// line saying how many were left out; "" when not even one fits.
func journeySectionNoGraph(d *JourneyDiff, budget int) string {
	header := fmt.Sprintf("### `%s` (%s)\n\n", escape.MarkdownCode(cut(d.Journey, maxIDRunes)), d.Status)
	rows := changeRows(d.Changes)
	table := "| | Kind | Stage | Change | Line |\n|---|---|---|---|---|\n"
	const moreRoom = 60 // "\n_N more changes of this journey left out._\n" and the blank line
	used := runes(header+table) + moreRoom
	kept := 0
	var b strings.Builder
	for _, r := range rows {
		n := runes(r)
		if used+n > budget {
			break
		}
		b.WriteString(r)
		used += n
		kept++
	}
	if kept == 0 {
		return ""
	}
	out := header + table + b.String()
	if kept < len(rows) {
		out += fmt.Sprintf("\n_%d more changes of this journey left out._\n", len(rows)-kept)
	}
	return out + "\n"
}

func changeTable(cs []Change) string {
	return "| | Kind | Stage | Change | Line |\n|---|---|---|---|---|\n" + strings.Join(changeRows(cs), "") + "\n"
}

func changeRows(cs []Change) []string {
	rows := make([]string, 0, len(cs))
	for _, c := range cs {
		mark := ""
		if c.Breaking {
			mark = "⚠️"
		}
		stage := ""
		if c.Stage != "" {
			stage = "`" + escape.MarkdownCode(cut(c.Stage, maxIDRunes)) + "`"
		}
		line := ""
		if c.Line > 0 {
			line = itoa(c.Line)
			if c.Side == SideOld {
				line += " (old)"
			}
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s |\n", mark, c.Kind, stage, escape.MarkdownCell(cut(c.Message, maxMessageRunes)), line))
	}
	return rows
}

// maxGraphStages keeps the Mermaid graph readable and the comment small.
const maxGraphStages = 40

// changeGraph is a Mermaid flowchart (pkg/render's flow view with the
// changes as marks) of the changed stages and their direct neighbours:
// added stages green, removed red (dashed), changed amber, neighbours
// plain; transitions added, removed or changed likewise. A renamed stage is
// one node, under its new id, with its old id in the label; the old
// version's edges are read through the renames, so an edge kept across a
// rename is no change. "" when nothing is marked or the graph would have
// more than maxGraphStages stages.
func changeGraph(d *JourneyDiff) string {
	u := union(d)
	if len(u.marks.Stages) == 0 && len(u.marks.Transitions) == 0 {
		return ""
	}
	f := u.focus()
	if len(f.Stages) == 0 || len(f.Stages) > maxGraphStages {
		return ""
	}
	return string(render.Mermaid(f, render.Options{Marks: u.marks}))
}
