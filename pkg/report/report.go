// Package report writes a Markdown report of a journey for docs and wikis:
// summary, personas, a Mermaid flowchart, one table per phase, pains and
// opportunities, metrics and the journey's lint findings.
package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render"
)

// Options add to the report.
type Options struct {
	// Findings are the lint findings of the journey's file.
	Findings []diag.Diagnostic
	// Image, when set, is the path (relative to the report) of the flow
	// SVG, shown at the top of the report.
	Image string
}

// Markdown writes the report of j.
func Markdown(j *journey.Journey, opts Options) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	title := j.Title
	if title == "" {
		title = j.ID.Value
	}
	w("# %s\n\n", escape.MarkdownInline(title))
	if j.Description != "" {
		w("%s\n\n", escape.MarkdownBlock(j.Description))
	}

	entries, outcomes := 0, map[string]int{}
	owners := map[string]bool{}
	for _, s := range j.Stages {
		if s.Entry {
			entries++
		}
		if s.Outcome != "" {
			outcomes[s.Outcome]++
		}
		if o, _ := j.OwnerOf(s); o != "" {
			owners[o] = true
		}
	}
	w("| | |\n|---|---|\n")
	w("| Journey | `%s` |\n", escape.MarkdownCode(j.ID.Value))
	if j.Owner.Value != "" {
		w("| Owner | %s |\n", escape.MarkdownCell(j.Owner.Value))
	}
	status := j.Status
	if status == "" {
		status = "active"
	}
	w("| Status | %s |\n", escape.MarkdownCell(status))
	w("| Stages | %d in %d phases |\n", len(j.Stages), len(j.Phases))
	w("| Entries | %d |\n", entries)
	var outs []string
	for _, k := range []string{journey.OutcomeSuccess, journey.OutcomeFailure, journey.OutcomeExit} {
		if outcomes[k] > 0 {
			outs = append(outs, fmt.Sprintf("%d %s", outcomes[k], k))
		}
	}
	w("| Outcomes | %s |\n", escape.MarkdownCell(orNone(strings.Join(outs, ", "))))
	w("| Owners | %s |\n", escape.MarkdownCell(orNone(strings.Join(slices.Sorted(maps.Keys(owners)), ", "))))
	if len(j.Tags) > 0 {
		w("| Tags | %s |\n", escape.MarkdownCell(strings.Join(j.Tags, ", ")))
	}
	if n := len(opts.Findings); n > 0 {
		w("| Lint | %s |\n", escape.MarkdownCell(diag.SummaryLine(diag.Report{Findings: opts.Findings, Files: 1})))
	}
	w("\n")
	for _, l := range j.Links {
		w("- [%s](%s)\n", escape.MarkdownInline(l.Title), linkTarget(l.URL))
	}
	if len(j.Links) > 0 {
		w("\n")
	}

	if len(j.Personas) > 0 {
		w("## Personas\n\n")
		for _, p := range j.Personas {
			name := p.Name
			if name == "" {
				name = p.ID.Value
			}
			w("### %s\n\n", escape.MarkdownInline(name))
			if p.Description != "" {
				w("%s\n\n", escape.MarkdownBlock(p.Description))
			}
			list := func(label string, items []string) {
				if len(items) == 0 {
					return
				}
				w("**%s**\n\n", label)
				for _, it := range items {
					w("- %s\n", escape.MarkdownInline(it))
				}
				w("\n")
			}
			list("Goals", p.Goals)
			list("Needs", p.Needs)
			list("Pains", p.Pains)
		}
	}

	w("## Flow\n\n")
	if opts.Image != "" {
		w("![Flow of %s](%s)\n\n", escape.MarkdownInline(title), linkTarget(opts.Image))
	}
	w("```mermaid\n%s```\n\n", render.Mermaid(j, render.Options{}))

	byPhase := map[string][]*journey.Stage{}
	for _, s := range j.Stages {
		byPhase[s.Phase.Value] = append(byPhase[s.Phase.Value], s)
	}
	for _, ph := range j.Phases {
		name := ph.Name
		if name == "" {
			name = ph.ID.Value
		}
		w("## %s\n\n", escape.MarkdownInline(name))
		if ph.Goal != "" {
			w("Goal: %s\n\n", escape.MarkdownInline(ph.Goal))
		}
		if ph.Description != "" {
			w("%s\n\n", escape.MarkdownBlock(ph.Description))
		}
		stages := byPhase[ph.ID.Value]
		delete(byPhase, ph.ID.Value)
		if len(stages) == 0 {
			w("_No stage yet._\n\n")
			continue
		}
		stageTable(&b, j, stages)
	}
	if len(byPhase) > 0 {
		w("## Stages in no known phase\n\n")
		var rest []*journey.Stage
		for _, s := range j.Stages {
			if _, ok := byPhase[s.Phase.Value]; ok {
				rest = append(rest, s)
			}
		}
		stageTable(&b, j, rest)
	}

	rollUp := func(heading string, get func(*journey.Stage) []string) {
		var rows [][2]string
		for _, s := range j.Stages {
			for _, it := range get(s) {
				rows = append(rows, [2]string{stageName(s), it})
			}
		}
		if len(rows) == 0 {
			return
		}
		w("## %s\n\n| Stage | %s |\n|---|---|\n", heading, heading)
		for _, r := range rows {
			w("| %s | %s |\n", escape.MarkdownCell(r[0]), escape.MarkdownCell(r[1]))
		}
		w("\n")
	}
	// The service blueprint: a Backstage and a Support column per stage,
	// when any stage fills them.
	blueprint := false
	for _, s := range j.Stages {
		blueprint = blueprint || len(s.Backstage) > 0 || len(s.Support) > 0
	}
	if blueprint {
		w("## Service blueprint\n\n| Stage | Backstage | Support |\n|---|---|---|\n")
		for _, s := range j.Stages {
			if len(s.Backstage) > 0 || len(s.Support) > 0 {
				w("| %s | %s | %s |\n", escape.MarkdownCell(stageName(s)),
					escape.MarkdownCell(orDash(strings.Join(s.Backstage, "\n"))), escape.MarkdownCell(orDash(strings.Join(s.Support, "\n"))))
			}
		}
		w("\n")
	}
	rollUp("Pains", func(s *journey.Stage) []string { return s.Pains })
	rollUp("Opportunities", func(s *journey.Stage) []string { return s.Opportunities })

	type metricRow struct {
		where string
		m     *journey.Metric
	}
	var metrics []metricRow
	for _, m := range j.Metrics {
		metrics = append(metrics, metricRow{"journey", m})
	}
	for _, s := range j.Stages {
		for _, m := range s.Metrics {
			metrics = append(metrics, metricRow{stageName(s), m})
		}
	}
	if len(metrics) > 0 {
		w("## Metrics\n\n| Metric | Where | Target | Description |\n|---|---|---|---|\n")
		for _, r := range metrics {
			target := strings.TrimSpace(r.m.Target + " " + r.m.Unit)
			w("| %s | %s | %s | %s |\n", escape.MarkdownCell(r.m.Name), escape.MarkdownCell(r.where), escape.MarkdownCell(orDash(target)), escape.MarkdownCell(orDash(r.m.Description)))
		}
		w("\n")
	}

	w("## Lint\n\n")
	if len(opts.Findings) == 0 {
		w("No findings.\n")
	} else {
		w("| Line | Severity | Rule | Message |\n|---|---|---|---|\n")
		for _, d := range opts.Findings {
			w("| %d:%d | %s | [`%s`](https://github.com/journeykit/journey/blob/main/docs/rules.md#%s) | %s |\n",
				d.Range.Start.Line, d.Range.Start.Column, d.Severity, escape.MarkdownCode(d.Rule), d.Rule, escape.MarkdownCell(d.Message))
		}
	}
	return []byte(b.String())
}

func stageTable(b *strings.Builder, j *journey.Journey, stages []*journey.Stage) {
	fmt.Fprintf(b, "| Stage | Owner | Channel | Emotion | Next | Pains |\n|---|---|---|---|---|---|\n")
	for _, s := range stages {
		name := escape.MarkdownCell(stageName(s))
		var badges []string
		if s.Entry {
			badges = append(badges, "entry")
		}
		if s.Outcome != "" {
			badges = append(badges, s.Outcome)
		}
		if s.Aha {
			badges = append(badges, "aha")
		}
		if len(badges) > 0 {
			name = "**" + name + "** (" + strings.Join(badges, ", ") + ")"
		}
		channels := []string{}
		if s.Channel.Value != "" {
			channels = append(channels, s.Channel.Value)
		}
		for _, t := range s.Touchpoints {
			if t.Channel.Value != "" && !contains(channels, t.Channel.Value) {
				channels = append(channels, t.Channel.Value)
			}
		}
		var next []string
		for _, t := range s.Next {
			target := t.To.Value
			if t.IsHandoff() {
				target = t.Journey.Value + " / " + target
			}
			var detail []string
			if t.After.Value != "" {
				detail = append(detail, "after "+t.After.Value)
			}
			if t.Rate != nil {
				detail = append(detail, render.FormatRate(*t.Rate))
			}
			if len(detail) > 0 {
				target += " (" + strings.Join(detail, ", ") + ")"
			}
			next = append(next, target)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", name, escape.MarkdownCell(orDash(ownerOf(j, s))),
			escape.MarkdownCell(orDash(strings.Join(channels, ", "))), escape.MarkdownCell(orDash(emotionText(s))),
			escape.MarkdownCell(orDash(strings.Join(next, "\n"))), escape.MarkdownCell(orDash(strings.Join(s.Pains, "\n"))))
	}
	b.WriteString("\n")
}

func emotionText(s *journey.Stage) string {
	e := s.Emotion
	if !e.Set {
		return ""
	}
	if len(e.PerPersona) == 0 {
		return signed(e.Value)
	}
	var parts []string
	for _, pe := range e.PerPersona {
		parts = append(parts, pe.Persona.Value+" "+signed(pe.Value))
	}
	return strings.Join(parts, ", ")
}

func signed(v int) string {
	if v > 0 {
		return "+" + strconv.Itoa(v)
	}
	return strconv.Itoa(v)
}

func stageName(s *journey.Stage) string {
	if s.Name != "" {
		return s.Name
	}
	return s.ID.Value
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ownerOf is the team responsible for s (see journey.OwnerOf).
func ownerOf(j *journey.Journey, s *journey.Stage) string {
	team, _ := j.OwnerOf(s)
	return team
}
