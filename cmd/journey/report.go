package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/render"
	"github.com/journeykit/journey/pkg/report"
	"github.com/spf13/cobra"
)

type reportFlags struct {
	output string
	outDir string
	images bool
}

func newReportCommand() *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report [PATH...]",
		Short: "Write a Markdown report per journey: summary, flowchart, phases, pains, metrics, lint",
		Long: `Write a Markdown report per journey, ready for a docs site, a wiki or a
README: title and summary (stages, entries, outcomes, owners), personas, a
Mermaid flowchart, one section per phase with a table of its stages, pains
and opportunities, metrics, and the journey's lint findings.

By default the reports go to standard output (several journeys one after
the other). --out-dir writes <journey id>.md per journey and an index.md
linking them (a journey whose id is index gets index.journey.md);
with --images, the flow diagram <journey id>.svg is written beside
each report and shown at its top.`,
		Example: `  journey report onboarding.journey.yaml > onboarding.md
  journey report --out-dir docs/journeys --images
  journey report examples/ -o all-journeys.md`,
		ValidArgsFunction: completeJourneyFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "", "write the report(s) to FILE")
	fl.StringVar(&f.outDir, "out-dir", "", "write <journey id>.md per journey and index.md into DIR")
	fl.BoolVar(&f.images, "images", false, "with --out-dir: also write the flow SVG of each journey and show it in its report")
	return cmd
}

func runReport(cmd *cobra.Command, args []string, f reportFlags) error {
	if f.output != "" && f.outDir != "" {
		return usageError("use -o or --out-dir, not both")
	}
	if f.images && f.outDir == "" {
		return usageError("--images needs --out-dir (the SVG files are written beside the reports)")
	}
	js, err := loadJourneys(cmd, args)
	if err != nil {
		return err
	}
	if f.outDir == "" {
		var parts []string
		for _, lj := range js {
			parts = append(parts, string(report.Markdown(lj.Journey, report.Options{Findings: lj.Findings})))
		}
		return writeResult(cmd, f.output, []byte(strings.Join(parts, "\n---\n\n")))
	}
	// A journey whose id is "index" gets index.journey.md: no id contains
	// a dot, so that name is never another journey's.
	names, progress, err := startOutDir(cmd, f.outDir, js, map[string]string{"index": "index.journey"})
	if err != nil {
		return err
	}
	defer progress.done()
	var index strings.Builder
	index.WriteString("# Journeys\n\n| Journey | Title | Stages | Lint |\n|---|---|---|---|\n")
	for i, lj := range js {
		id, name := lj.Journey.ID.Value, names[i]
		progress.step(i, termsafe.Line(id))
		opts := report.Options{Findings: lj.Findings}
		if f.images {
			svg, err := render.FlowSVG(lj.Journey, render.Options{})
			if err != nil {
				return renderError(lj, err)
			}
			if err := writeOutput(filepath.Join(f.outDir, name+".svg"), svg); err != nil {
				return err
			}
			opts.Image = name + ".svg"
		}
		if err := writeOutput(filepath.Join(f.outDir, name+".md"), report.Markdown(lj.Journey, opts)); err != nil {
			return err
		}
		lintCell := "clean"
		if n := len(lj.Findings); n > 0 {
			lintCell = fmt.Sprintf("%d finding(s)", n)
		}
		fmt.Fprintf(&index, "| [%s](%s.md) | %s | %d | %s |\n", escape.MarkdownInline(id), name, escape.MarkdownCell(lj.Journey.Title), len(lj.Journey.Stages), lintCell)
	}
	return writeOutput(filepath.Join(f.outDir, "index.md"), []byte(index.String()))
}
