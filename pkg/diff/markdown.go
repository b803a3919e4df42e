package diff

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
)

// MaxMarkdown is the most a pull-request comment can hold: GitHub refuses
// comments over 65,536 characters.
const MaxMarkdown = 65536

// MarkerRoom is kept free under MaxMarkdown for a line that a workflow
// appends to the comment, such as the action's `<!-- journey-diff -->`
// marker: WriteMarkdown writes at most MaxMarkdown - MarkerRoom characters.
const MarkerRoom = 100

// Characters (runes) of a user's text that one place of the comment shows;
// longer text is cut with "…". A stage name in the graph is shorter.
const (
	maxIDRunes      = 200
	maxMessageRunes = 500
	maxLabelRunes   = 100
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

// changeGraph is a Mermaid flowchart of the changed stages and their
// direct neighbours: added stages green, removed red (dashed), changed
// amber, neighbours plain. A renamed stage is one node, under its new id,
// with its old id in the label; the old version's edges are read through
// the renames, so an edge kept across a rename is no change.
func changeGraph(d *JourneyDiff) string {
	status := stageStatus(d)
	if len(status) == 0 {
		return ""
	}
	rename, oldID := d.renames()
	var newByID, oldByID map[string]*journey.Stage
	if d.New != nil {
		newByID = idMap(d.New.Stages, func(s *journey.Stage) string { return s.ID.Value })
	}
	if d.Old != nil {
		oldByID = idMap(d.Old.Stages, func(s *journey.Stage) string { return s.ID.Value })
	}
	// lookup finds a stage by its id in the new version, else (removed
	// stages) in the old one.
	lookup := func(id string) *journey.Stage {
		if s := newByID[id]; s != nil {
			return s
		}
		return oldByID[id]
	}
	stages := map[string]*journey.Stage{}
	var order []string
	addStage := func(id string) {
		s := lookup(id)
		if s == nil {
			return
		}
		if _, ok := stages[id]; !ok {
			stages[id] = s
			order = append(order, id)
		}
	}
	for _, j := range []*journey.Journey{d.New, d.Old} {
		if j == nil {
			continue
		}
		for _, s := range j.Stages {
			if status[s.ID.Value] != "" && (j == d.New || status[s.ID.Value] == "removed") {
				addStage(s.ID.Value)
			}
		}
	}
	// Direct neighbours in the new version (and, for removed stages, the old).
	type edge struct{ from, to, label string }
	var edges []edge
	seenEdge := map[string]bool{}
	for _, j := range []*journey.Journey{d.New, d.Old} {
		if j == nil {
			continue
		}
		for _, s := range j.Stages {
			for _, t := range s.Next {
				if t.Journey.Value != "" {
					continue
				}
				a, b := s.ID.Value, t.To.Value
				if j == d.Old {
					a, b = mappedID(rename, a), mappedID(rename, b)
				}
				if status[a] == "" && status[b] == "" {
					continue
				}
				if j == d.Old && status[a] != "removed" && status[b] != "removed" && hasEdge(newByID, a, b) {
					continue
				}
				key := a + "\x00" + b
				if seenEdge[key] {
					continue
				}
				seenEdge[key] = true
				addStage(a)
				addStage(b)
				label := ""
				if t.Rate != nil {
					label = rateText(t.Rate)
				}
				if j == d.Old {
					label = "removed"
				}
				edges = append(edges, edge{a, b, label})
			}
		}
	}
	if len(order) > maxGraphStages {
		return ""
	}
	ids := map[string]string{}
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for i, id := range order {
		n := fmt.Sprintf("s%d", i)
		ids[id] = n
		name := stages[id].Name
		if name == "" {
			name = id
		}
		label := escape.Mermaid(cut(name, maxLabelRunes))
		if old, ok := oldID[id]; ok {
			label += "<br>" + escape.Mermaid("renamed from "+cut(old, maxLabelRunes))
		}
		if st := status[id]; st != "" {
			fmt.Fprintf(&b, "  %s[\"%s\"]:::%s\n", n, label, st)
		} else {
			fmt.Fprintf(&b, "  %s[\"%s\"]\n", n, label)
		}
	}
	for _, e := range edges {
		if ids[e.from] == "" || ids[e.to] == "" {
			continue
		}
		arrow := "-->"
		if status[e.from] == "removed" || status[e.to] == "removed" || e.label == "removed" {
			arrow = "-.->"
		}
		if e.label != "" {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", ids[e.from], arrow, escape.Mermaid(cut(e.label, maxLabelRunes)), ids[e.to])
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", ids[e.from], arrow, ids[e.to])
		}
	}
	b.WriteString("  classDef added fill:#dcfce7,stroke:#166534,stroke-width:2px,color:#1a202c\n")
	b.WriteString("  classDef removed fill:#fee2e2,stroke:#991b1b,stroke-width:2px,stroke-dasharray:4 3,color:#1a202c\n")
	b.WriteString("  classDef changed fill:#fef3c7,stroke:#92400e,stroke-width:2px,color:#1a202c\n")
	return b.String()
}

func hasEdge(stages map[string]*journey.Stage, from, to string) bool {
	s := stages[from]
	if s == nil {
		return false
	}
	for _, t := range s.Next {
		if t.Journey.Value == "" && t.To.Value == to {
			return true
		}
	}
	return false
}
