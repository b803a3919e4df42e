package diff

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render"
	"github.com/journeykit/journey/pkg/report"
)

// MaxMarkdown is the most a pull-request comment can hold: GitHub refuses
// comments over 65,536 characters.
const MaxMarkdown = 65536

// WriteMarkdown writes a pull-request comment: a summary table (breaking
// changes first), per journey a Mermaid graph of the changed stages and
// their neighbours, then the details. It never exceeds MaxMarkdown
// characters: what does not fit is left out with a note saying so.
func WriteMarkdown(w io.Writer, r *Result) error {
	var head strings.Builder
	head.WriteString("## Journey changes\n\n")
	if r.Summary.Changes == 0 {
		head.WriteString("No changes to journeys.\n")
		_, err := io.WriteString(w, head.String())
		return err
	}
	fmt.Fprintf(&head, "**%d breaking** · %s in %s\n\n", r.Summary.Breaking, plural(r.Summary.Changes, "change"), plural(r.Summary.Journeys, "journey"))
	head.WriteString("| Journey | Status | Breaking | Changes |\n|---|---|---|---|\n")
	ordered := append([]*JourneyDiff(nil), r.Journeys...)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].Breaking() > ordered[j].Breaking() })
	for _, d := range ordered {
		mark := ""
		if d.Breaking() > 0 {
			mark = "⚠️ "
		}
		fmt.Fprintf(&head, "| %s`%s` | %s | %d | %d |\n", mark, report.Code(d.Journey), d.Status, d.Breaking(), len(d.Changes))
	}
	head.WriteString("\n")

	const noteRoom = 400
	budget := MaxMarkdown - len([]rune(head.String())) - noteRoom
	var body strings.Builder
	left := 0
	for i, d := range ordered {
		section := journeySection(d)
		if n := len([]rune(section)); n <= budget {
			body.WriteString(section)
			budget -= n
			continue
		}
		// Too long: try without the graph, then give up on the rest.
		section = journeySectionNoGraph(d, budget)
		if n := len([]rune(section)); section != "" && n <= budget {
			body.WriteString(section)
			budget -= n
			continue
		}
		left = len(ordered) - i
		break
	}
	out := head.String() + body.String()
	if left > 0 {
		out += fmt.Sprintf("\n> **Cut:** the details of %s did not fit in one comment (GitHub's limit is 65,536 characters). Run `journey diff` locally for everything.\n", plural(left, "more journey"))
	}
	_, err := io.WriteString(w, out)
	return err
}

func journeySection(d *JourneyDiff) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### `%s` (%s)\n\n", report.Code(d.Journey), d.Status)
	if g := changeGraph(d); g != "" {
		b.WriteString("```mermaid\n" + g + "```\n\n")
	}
	b.WriteString(changeTable(d.Changes))
	return b.String()
}

// journeySectionNoGraph keeps as many change rows as fit in budget.
func journeySectionNoGraph(d *JourneyDiff, budget int) string {
	header := fmt.Sprintf("### `%s` (%s)\n\n", report.Code(d.Journey), d.Status)
	rows := changeRows(d.Changes)
	table := "| | Kind | Stage | Change |\n|---|---|---|---|\n"
	used := len([]rune(header + table))
	kept := 0
	var b strings.Builder
	for _, r := range rows {
		n := len([]rune(r))
		if used+n+200 > budget {
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
	return "| | Kind | Stage | Change |\n|---|---|---|---|\n" + strings.Join(changeRows(cs), "") + "\n"
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
			stage = "`" + report.Code(c.Stage) + "`"
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |\n", mark, c.Kind, stage, report.Cell(c.Message)))
	}
	return rows
}

// maxGraphStages keeps the Mermaid graph readable and the comment small.
const maxGraphStages = 40

// changeGraph is a Mermaid flowchart of the changed stages and their
// direct neighbours: added stages green, removed red (dashed), changed
// amber, neighbours plain.
func changeGraph(d *JourneyDiff) string {
	status := map[string]string{}
	for _, c := range d.Changes {
		if c.Stage == "" {
			continue
		}
		switch c.Kind {
		case StageAdded:
			status[c.Stage] = "added"
		case StageRemoved:
			status[c.Stage] = "removed"
		case LintError:
		default:
			if status[c.Stage] == "" {
				status[c.Stage] = "changed"
			}
		}
	}
	if len(status) == 0 {
		return ""
	}
	stages := map[string]*journey.Stage{}
	var order []string
	addStage := func(s *journey.Stage) {
		if s == nil {
			return
		}
		if _, ok := stages[s.ID.Value]; !ok {
			stages[s.ID.Value] = s
			order = append(order, s.ID.Value)
		}
	}
	for _, j := range []*journey.Journey{d.New, d.Old} {
		if j == nil {
			continue
		}
		for _, s := range j.Stages {
			if status[s.ID.Value] != "" && (j == d.New || status[s.ID.Value] == "removed") {
				addStage(s)
			}
		}
	}
	// Direct neighbours in the new version (and, for removed stages, the old).
	var newByID map[string]*journey.Stage
	if d.New != nil {
		newByID = idMap(d.New.Stages, func(s *journey.Stage) string { return s.ID.Value })
	}
	type edge struct{ from, to, label string }
	var edges []edge
	seenEdge := map[string]bool{}
	for _, j := range []*journey.Journey{d.New, d.Old} {
		if j == nil {
			continue
		}
		byID := idMap(j.Stages, func(s *journey.Stage) string { return s.ID.Value })
		for _, s := range j.Stages {
			for _, t := range s.Next {
				if t.Journey.Value != "" {
					continue
				}
				a, b := s.ID.Value, t.To.Value
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
				addStage(byID[a])
				addStage(byID[b])
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
		label := render.MermaidText(name)
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
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", ids[e.from], arrow, render.MermaidText(e.label), ids[e.to])
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
