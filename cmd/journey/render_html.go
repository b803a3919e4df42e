package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
	"github.com/journeykit/journey/pkg/html"
	"github.com/journeykit/journey/pkg/render"
	"github.com/journeykit/journey/pkg/render/raster"
	"github.com/journeykit/journey/pkg/sim"
	"github.com/spf13/cobra"
)

// isHTMLPath reports whether path names an HTML file.
func isHTMLPath(path string) bool {
	lower := strings.ToLower(path)
	return strings.HasSuffix(lower, ".html") || strings.HasSuffix(lower, ".htm")
}

// wantsHTML reports whether render was asked for the HTML page, and
// refuses an -o whose extension and --format disagree about it, and the
// page's overlays on other formats.
func wantsHTML(cmd *cobra.Command, f renderFlags) (bool, error) {
	page := f.format == "html" || f.format == "" && isHTMLPath(f.output)
	if flag := overlayFlagsUsed(cmd); flag != "" && !page {
		if format := pictureFormat(f); f.view == "flow" && (format == "svg" || format == "png") {
			return true, nil // renderHTML draws the overlay on the flow picture
		}
		return false, usageError("%s draws on the HTML page and on the flow view's SVG or PNG: use --format html, or --view flow with --format svg or png", flag)
	}
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

// pictureFormat is the format asked for: --format, else -o's extension,
// else svg.
func pictureFormat(f renderFlags) string {
	if f.format != "" {
		return f.format
	}
	if ext, ok := render.FormatFromPath(f.output); ok {
		return ext
	}
	return "svg"
}

// renderHTML writes each journey as a self-contained interactive page
// (pkg/html): the flow and the canvas as tabs, --view naming the tab shown
// first and --persona the persona filtered at first. Asked for an SVG or
// PNG with --simulate or --events, it draws the flow view with the
// overlay instead.
func renderHTML(cmd *cobra.Command, args []string, f renderFlags) error {
	picture := ""
	if f.format != "html" && !isHTMLPath(f.output) {
		picture = pictureFormat(f)
	}
	if !slices.Contains(html.Views, f.view) {
		return usageError("--format html shows the flow and the canvas views as tabs: use --view flow or --view canvas (the tab shown first), not %q", f.view)
	}
	var scale float64
	var width int
	if picture == "png" {
		var err error
		if scale, width, err = pngSize(cmd, f); err != nil {
			return err
		}
		if f.output == "" && f.outDir == "" && isTerminal(cmd.OutOrStdout()) {
			return usageError("a PNG is binary and standard output is a terminal: use -o FILE.png, or redirect standard output to a file")
		}
	} else if cmd.Flags().Changed("scale") || cmd.Flags().Changed("width") {
		return usageError("--scale and --width size a PNG: use them with --format png (or -o FILE.png)")
	}
	if picture != "" && f.persona != "" {
		return usageError("--persona with --simulate or --events: draw the overlay on the whole flow, or use --format html and its persona filter")
	}
	dir := strings.ToLower(f.dir)
	if !slices.Contains(render.Directions, dir) {
		return usageError("unknown --direction %q: use %s", f.dir, strings.Join(render.Directions, ", "))
	}
	if err := checkOverlayFlags(cmd, args); err != nil {
		return err
	}
	js, err := loadJourneys(cmd, args)
	if err != nil {
		return err
	}
	if events, _ := cmd.Flags().GetString("events"); events == "-" && len(js) > 1 {
		return usageError("--events - with %d journeys: standard input can be read for one only; give the log as a file", len(js))
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
		j := render.WithCatalog(lj.Journey, lj.Catalog)
		if picture != "" {
			svg, err := render.Render(j, "flow", "svg", o.Render)
			if err != nil {
				return nil, renderError(lj, err)
			}
			svg = html.OverlaySVG(svg, o.Overlay)
			switch {
			case picture == "svg":
				return svg, nil
			case width > 0:
				svg, err = raster.PNGWidth(svg, width)
			default:
				svg, err = raster.PNG(svg, scale)
			}
			if err != nil {
				return nil, renderError(lj, err)
			}
			return svg, nil
		}
		data, err := html.Page(j, o)
		if err != nil {
			return nil, renderError(lj, err)
		}
		return data, nil
	}
	ext := "html"
	if picture != "" {
		ext = picture
	}
	if f.outDir == "" {
		data, err := page(js[0])
		if err != nil {
			return err
		}
		return writeResult(cmd, f.output, data)
	}
	names, progress, err := startOutDir(cmd, f.outDir, js, nil)
	if err != nil {
		return err
	}
	defer progress.done()
	for i, lj := range js {
		progress.step(i, termsafe.Line(lj.Journey.ID.Value))
		data, err := page(lj)
		if err != nil {
			return err
		}
		if err := writeOutput(filepath.Join(f.outDir, names[i]+"."+ext), data); err != nil {
			return err
		}
	}
	progress.done()
	fmt.Fprintf(cmd.ErrOrStderr(), "journey: wrote %s (%s) to %s\n", pluralWord(len(js), "file"), ext, termsafe.Line(f.outDir))
	return nil
}

// addOverlayFlags registers the overlays of the HTML page: --simulate,
// and --events with conform's column options.
func addOverlayFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.Bool("simulate", false, "on the HTML page or the flow's SVG/PNG: draw journey simulate's figures: visit probability as stage heat, expected share on each edge")
	fl.String("events", "", "on the HTML page or the flow's SVG/PNG: replay the event `LOG` as journey conform does and draw it: observed volume as edge width, observed vs designed rate (green, amber, red), off-map moves dashed, unseen stages")
	fl.String("case", eventlog.DefaultCase, "with --events: `COLUMN` of the case id")
	fl.String("event", eventlog.DefaultEvent, "with --events: `COLUMN` of the event name")
	fl.String("time", eventlog.DefaultTime, "with --events: `COLUMN` of the time")
	fl.String("events-format", eventlog.FormatAuto, "with --events: auto, csv, tsv, jsonl or xes")
}

// overlayFlagsUsed names the first overlay flag given, or "".
func overlayFlagsUsed(cmd *cobra.Command) string {
	for _, name := range []string{"simulate", "events", "case", "event", "time", "events-format"} {
		if cmd.Flags().Changed(name) {
			return "--" + name
		}
	}
	return ""
}

// checkOverlayFlags checks the overlay flags once, before any journey is
// drawn; args are the command's paths.
func checkOverlayFlags(cmd *cobra.Command, args []string) error {
	fl := cmd.Flags()
	simulate, _ := fl.GetBool("simulate")
	events, _ := fl.GetString("events")
	switch {
	case simulate && events != "":
		return usageError("use --simulate or --events, not both: the page draws one overlay")
	case !simulate && events == "":
		if used := overlayFlagsUsed(cmd); used != "" {
			return usageError("%s reads an event log: give it with --events LOG", used)
		}
	case events != "":
		format, _ := fl.GetString("events-format")
		if !slices.Contains(eventlog.InputFormats, format) {
			return usageError("unknown --events-format %q: use %s", format, strings.Join(eventlog.InputFormats, ", "))
		}
		for _, name := range []string{"case", "event", "time"} {
			if v, _ := fl.GetString(name); v == "" {
				return usageError("--%s: the column name is empty", name)
			}
		}
		if events == "-" && slices.Contains(args, "-") {
			return usageError("the journey and the events cannot both come from standard input")
		}
	}
	return nil
}

// addOverlays adds the figures of --simulate or --events to a page; the
// flags are checked (checkOverlayFlags).
func addOverlays(cmd *cobra.Command, lj loadedJourney, o *html.Options) error {
	fl := cmd.Flags()
	simulate, _ := fl.GetBool("simulate")
	events, _ := fl.GetString("events")
	j := lj.Journey
	switch {
	case simulate:
		r, err := sim.Simulate(j, sim.Options{})
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("%s: --simulate: %v", j.File, err)}
		}
		o.Overlay = html.SimulationOverlay(j, r)
	case events != "":
		m, err := conform.NewMap(j)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("%s: %v", j.File, err)}
		}
		c, _ := fl.GetString("case")
		e, _ := fl.GetString("event")
		t, _ := fl.GetString("time")
		format, _ := fl.GetString("events-format")
		rep, err := conform.Run(m, eventSource(cmd, events), conform.Options{Case: c, Event: e, Time: t, InputFormat: format})
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		o.Overlay = html.EventsOverlay(rep)
	}
	return nil
}
