package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/journeykit/journey/pkg/render"
	"github.com/spf13/cobra"
)

type renderFlags struct {
	output  string
	outDir  string
	format  string
	view    string
	persona string
}

func newRenderCommand() *cobra.Command {
	var f renderFlags
	cmd := &cobra.Command{
		Use:   "render [PATH...]",
		Short: "Draw journeys: flow diagrams (Graphviz) and the journey-map canvas, as SVG, PNG, DOT or Mermaid",
		Long: `Draw journeys as pictures.

The flow view (default) lays the stages out left to right with Graphviz:
phases as columns, entries and outcomes marked, edges labelled with their
trigger, wait and rate, failure reasons drawn as dashed follow-up paths,
hand-offs into other journeys as arrow-shaped nodes.

The canvas view is the classic journey-map sheet: phases as columns, lanes
for stages, touchpoints and channels, doing / thinking / feeling, the emotion
curve (one per persona), pains, opportunities, owners and metrics.

With one journey and no -o, the picture goes to standard output. Output is
deterministic: the same input gives byte-identical files.`,
		Example: `  journey render examples/saas/retention.journey.yaml -o retention.svg
  journey render --view canvas journey.journey.yaml -o map.png
  journey render --format mermaid onboarding.journey.yaml
  journey render --out-dir docs/images examples/
  journey render --persona student --view canvas applicant.journey.yaml -o student.svg`,
		ValidArgsFunction: completeJourneyFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRender(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE (format from its extension: .svg, .png, .dot, .mmd)")
	fl.StringVar(&f.outDir, "out-dir", "", "write one file per journey into DIR, named <journey id>.<ext>")
	fl.StringVar(&f.format, "format", "", "svg, png, dot or mermaid (default svg, or from -o)")
	fl.StringVar(&f.view, "view", "flow", "flow or canvas")
	fl.StringVar(&f.persona, "persona", "", "draw only the path of this persona")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(render.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("view", cobra.FixedCompletions(render.Views, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("persona", completePersonas)
	return cmd
}

func runRender(cmd *cobra.Command, args []string, f renderFlags) error {
	if f.output != "" && f.outDir != "" {
		return usageError("use -o or --out-dir, not both")
	}
	format := f.format
	if format == "" {
		format = "svg"
		if f.output != "" {
			ext, ok := render.FormatFromPath(f.output)
			if !ok {
				return usageError("-o %s: cannot tell the format from the extension: use .svg, .png, .dot or .mmd, or --format", f.output)
			}
			format = ext
		}
	}
	if !slices.Contains(render.Formats, format) {
		return usageError("unknown --format %q: use %s", format, strings.Join(render.Formats, ", "))
	}
	if !slices.Contains(render.Views, f.view) {
		return usageError("unknown --view %q: use flow or canvas", f.view)
	}
	if f.view == "canvas" && (format == "dot" || format == "mermaid") {
		return usageError("the canvas view is drawn as svg or png, not %s", format)
	}
	js, err := loadJourneys(cmd, args)
	if err != nil {
		return err
	}
	if err := checkPersona(js, f.persona); err != nil {
		return err
	}
	if f.outDir == "" && len(js) > 1 {
		return usageError("%d journeys to draw: use --out-dir DIR to write one file per journey", len(js))
	}
	opts := render.Options{Persona: f.persona}
	if f.outDir == "" {
		data, err := render.Render(js[0].Journey, f.view, format, opts)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("%s: %v", js[0].Journey.File, err)}
		}
		if f.output == "" {
			_, err = cmd.OutOrStdout().Write(data)
			return err
		}
		return writeOutput(f.output, data)
	}
	if err := os.MkdirAll(f.outDir, 0o755); err != nil {
		return &exitError{code: 2, err: err}
	}
	progress := newProgress(cmd.ErrOrStderr(), len(js))
	for i, lj := range js {
		name := lj.Journey.ID.Value
		progress.step(i, name)
		data, err := render.Render(lj.Journey, f.view, format, opts)
		if err != nil {
			progress.done()
			return &exitError{code: 2, err: fmt.Errorf("%s: %v", lj.Journey.File, err)}
		}
		if err := writeOutput(filepath.Join(f.outDir, name+"."+render.Extension(format)), data); err != nil {
			progress.done()
			return err
		}
	}
	progress.done()
	return nil
}

func writeOutput(path string, data []byte) error {
	if err := writeFileAtomic(path, data); err != nil {
		return &exitError{code: 2, err: err}
	}
	return nil
}
