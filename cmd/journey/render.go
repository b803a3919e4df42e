package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/outfile"
	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render"
	"github.com/journeykit/journey/pkg/render/raster"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

type renderFlags struct {
	output  string
	outDir  string
	format  string
	view    string
	persona string
	scale   string
	width   wholeNumber
	dir     string
	phases  []string
}

func newRenderCommand() *cobra.Command {
	var f renderFlags
	cmd := &cobra.Command{
		Use:   "render [PATH...]",
		Short: "Draw journeys: flow diagrams (Graphviz), the journey-map canvas and the workspace landscape, as SVG, PNG, DOT or Mermaid",
		Long: `Draw journeys as pictures.

The flow view (default) lays the stages out with Graphviz: phases as
columns left to right, or as bands stacked top to bottom when the picture
would be too wide for a page (--direction auto, the default; lr or tb
force one); entries and outcomes marked, edges labelled with their
trigger, wait and rate, failure reasons drawn as dashed follow-up paths,
returns to an earlier phase as lighter dashed lines, hand-offs into other
journeys as arrow-shaped nodes.

The canvas view is the classic journey-map sheet: phases as columns, lanes
for stages, touchpoints and channels, doing / thinking / feeling, the emotion
curve (one per persona, following the transitions), pains, opportunities,
transitions (next stage, when, after, rate), failure reasons with their
follow-ups, owners, metrics and the service blueprint; empty lanes are left
out.

--phases ID[,ID] draws only those phases of the flow and the canvas, to
cut a long map into slides: transitions into phases left out are dropped
from the flow; the canvas names the phase each one continues in.

The landscape view draws all the journeys named (a workspace: PATH may be
its directory) as ONE picture: a node per journey with its status, title,
stage count, entries and outcomes by kind; an edge per hand-off, labelled
"from stage → to stage"; phases are not drawn. It goes to -o FILE, to
standard output, or with --out-dir DIR to DIR/landscape.<ext>.

--format html (or -o FILE.html) writes one self-contained interactive page
per journey instead: the flow and the canvas as tabs (--view picks the one
shown first), pan and zoom, every field of a stage in a side panel, persona
filter, search, lint findings on their stages; --simulate or --events LOG
(with conform's --case, --event, --time) draws simulated or observed
figures on it. See docs/html.md.

With one journey and no -o, the picture goes to standard output. Output is
deterministic: the same input gives byte-identical files.`,
		Example: `  journey render examples/saas/retention.journey.yaml -o retention.svg
  journey render --view canvas journey.journey.yaml -o map.png
  journey render --format mermaid onboarding.journey.yaml
  journey render --direction tb examples/saas/retention.journey.yaml -o retention.svg
  journey render --out-dir docs/images examples/
  journey render --persona student --view canvas applicant.journey.yaml -o student.svg
  journey render --view canvas --phases onboarding,activation examples/saas/retention.journey.yaml -o slide.svg
  journey render --view landscape examples -o landscape.svg
  journey render --format html examples/saas/retention.journey.yaml -o retention.html
  journey render -o nurture.html nurture.journey.yaml --events events.csv --case user_id`,
		ValidArgsFunction: completeJourneyFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRender(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "", "write to FILE (format from its extension: .svg, .png, .dot, .mmd, .html)")
	fl.StringVar(&f.outDir, "out-dir", "", "write one file per journey into DIR, named <journey id>.<ext> (the landscape: DIR/landscape.<ext>)")
	fl.StringVar(&f.format, "format", "", "svg, png, dot, mermaid or html (an interactive page of the flow and canvas views; default svg, or from -o)")
	fl.StringVar(&f.view, "view", "flow", "flow, canvas or landscape (all the journeys in one picture)")
	fl.StringVar(&f.persona, "persona", "", "draw only the path of this persona")
	fl.StringVar(&f.scale, "scale", "2", "PNG: pixels per SVG unit (2 is sharp on high-density screens and in slides)")
	f.width = wholeNumber{text: "0"}
	fl.Var(&f.width, "width", "PNG: the picture's width in pixels, instead of --scale")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(append(slices.Clone(render.Formats), "html"), cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("view", cobra.FixedCompletions(render.Views, cobra.ShellCompDirectiveNoFileComp))
	fl.StringVar(&f.dir, "direction", render.DirectionAuto, "flow view: auto, lr (left to right) or tb (phases stacked top to bottom); auto is lr while the picture stays page-shaped")
	fl.StringSliceVar(&f.phases, "phases", nil, "flow and canvas: draw only these phases (ids, comma-separated), e.g. to cut a map into slides")
	_ = cmd.RegisterFlagCompletionFunc("persona", completePersonas)
	_ = cmd.RegisterFlagCompletionFunc("phases", completePhases)
	addOverlayFlags(cmd)
	_ = cmd.RegisterFlagCompletionFunc("direction", cobra.FixedCompletions(render.Directions, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runRender(cmd *cobra.Command, args []string, f renderFlags) error {
	if f.output != "" && f.outDir != "" {
		return usageError("use -o or --out-dir, not both")
	}
	if page, err := wantsHTML(cmd, f); err != nil || page {
		if err != nil {
			return err
		}
		return renderHTML(cmd, args, f)
	}
	format := f.format
	if ext, ok := render.FormatFromPath(f.output); ok && format != "" && ext != format {
		// PNG bytes in x.svg would open as a broken picture.
		return usageError("-o %s names a %s file but --format is %s: name the file for its format (e.g. .%s), or leave --format out", termsafe.Line(f.output), ext, format, render.Extension(format))
	}
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
	view := render.ViewByName(f.view)
	if view == nil {
		return usageError("unknown --view %q: use %s", f.view, strings.Join(render.Views, " or "))
	}
	if err := render.CheckFormat(view, format); err != nil {
		return usageError("%v", err)
	}
	dir := strings.ToLower(f.dir)
	if !slices.Contains(render.Directions, dir) {
		msg := fmt.Sprintf("unknown --direction %q: use %s", f.dir, strings.Join(render.Directions, ", "))
		if s := journey.Closest(dir, render.Directions); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return usageError("%s", msg)
	}
	if format == "png" {
		// Once, after every picture is drawn.
		defer warnMissingGlyphs(cmd.ErrOrStderr())
	}
	js, err := loadJourneys(cmd, args)
	if err != nil {
		return err
	}
	if err := checkPersona(js, f.persona); err != nil {
		return err
	}
	if err := checkPhases(js, f.phases, view); err != nil {
		return err
	}
	if _, whole := view.(render.WorkspaceView); whole {
		return renderLandscape(cmd, f, format, js)
	}
	if f.outDir == "" && len(js) > 1 {
		return usageError("%d journeys to draw: use --out-dir DIR to write one file per journey", len(js))
	}
	opts := render.Options{Persona: f.persona, Direction: dir, Phases: f.phases}
	if format == "png" {
		if opts.Scale, opts.Width, err = pngSize(cmd, f); err != nil {
			return err
		}
	} else if cmd.Flags().Changed("scale") || cmd.Flags().Changed("width") {
		return usageError("--scale and --width size a PNG: use them with --format png (or -o FILE.png)")
	}
	if f.outDir == "" {
		if format == "png" && f.output == "" && isTerminal(cmd.OutOrStdout()) {
			return usageError("a PNG is binary and standard output is a terminal: use -o FILE.png, or redirect standard output to a file")
		}
		// Personas and channels of the workspace catalog by name.
		data, err := render.Render(render.WithCatalog(js[0].Journey, js[0].Catalog), f.view, format, opts)
		if err != nil {
			return renderError(js[0], err)
		}
		return writeResult(cmd, f.output, data)
	}
	names, progress, err := startOutDir(cmd, f.outDir, js, nil)
	if err != nil {
		return err
	}
	defer progress.done()
	journeys := make([]*journey.Journey, len(js))
	for i, lj := range js {
		journeys[i] = render.WithCatalog(lj.Journey, lj.Catalog)
	}
	// Drawn GOMAXPROCS at a time, written in order: the first failure
	// stops the run as it did one at a time.
	err = render.RenderAll(journeys, f.view, format, opts, func(i int, data []byte, err error) error {
		progress.step(i, termsafe.Line(js[i].Journey.ID.Value))
		if err != nil {
			return renderError(js[i], err)
		}
		return writeOutput(filepath.Join(f.outDir, names[i]+"."+render.Extension(format)), data)
	})
	if err != nil {
		return err
	}
	progress.done()
	fmt.Fprintf(cmd.ErrOrStderr(), "journey: wrote %s of the %s view (%s) to %s\n",
		pluralWord(len(js), "file"), f.view, format, termsafe.Line(f.outDir))
	return nil
}

// renderLandscape draws js as one picture in a workspace view (the
// landscape): to -o FILE, to standard output, or with --out-dir DIR to
// DIR/<view>.<ext>.
func renderLandscape(cmd *cobra.Command, f renderFlags, format string, js []loadedJourney) error {
	if f.persona != "" {
		return usageError("--persona draws one persona's path in the flow and canvas views: the %s view draws whole journeys", f.view)
	}
	var opts render.Options
	if format == "png" {
		var err error
		if opts.Scale, opts.Width, err = pngSize(cmd, f); err != nil {
			return err
		}
	} else if cmd.Flags().Changed("scale") || cmd.Flags().Changed("width") {
		return usageError("--scale and --width size a PNG: use them with --format png (or -o FILE.png)")
	}
	if format == "png" && f.output == "" && f.outDir == "" && isTerminal(cmd.OutOrStdout()) {
		return usageError("a PNG is binary and standard output is a terminal: use -o FILE.png, or redirect standard output to a file")
	}
	journeys := make([]*journey.Journey, len(js))
	for i, lj := range js {
		journeys[i] = lj.Journey
	}
	data, err := render.RenderWorkspace(journeys, f.view, format, opts)
	if err != nil {
		var big *render.LandscapeTooLargeError
		if errors.As(err, &big) {
			return &exitError{code: 2, err: fmt.Errorf("%v: draw it with --format dot or --format mermaid (no layout needed), or name fewer journeys", err)}
		}
		var wide *raster.TooLargeError
		if errors.As(err, &wide) {
			return &exitError{code: 2, err: fmt.Errorf("%v: draw it smaller (--scale 1, --width PX), or as SVG (--format svg), which has no such limit", err)}
		}
		return &exitError{code: 2, err: err}
	}
	switch {
	case f.outDir != "":
		if err := os.MkdirAll(f.outDir, 0o755); err != nil {
			return &exitError{code: 2, err: err}
		}
		path := filepath.Join(f.outDir, f.view+"."+render.Extension(format))
		if err := writeOutput(path, data); err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "journey: wrote the %s of %s (%s) to %s\n", f.view, pluralWord(len(js), "journey"), format, termsafe.Line(path))
		return nil
	}
	return writeResult(cmd, f.output, data)
}

// checkPhases checks --phases: ids of phases of every journey drawn, not
// with the landscape (which draws no phases). An unknown id is a usage
// error that suggests the closest phase id.
func checkPhases(js []loadedJourney, phases []string, view render.View) error {
	if len(phases) == 0 {
		return nil
	}
	if _, whole := view.(render.WorkspaceView); whole {
		return usageError("--phases cuts the flow and the canvas: the %s view draws no phases", view.Name())
	}
	for i, id := range phases {
		phases[i] = strings.TrimSpace(id)
		if phases[i] == "" {
			return usageError("--phases: an empty phase id: give phase ids separated by commas, e.g. --phases onboarding,activation")
		}
	}
	for _, lj := range js {
		var unknown *render.UnknownPhaseError
		if err := render.CheckPhases(lj.Journey, phases); errors.As(err, &unknown) {
			return usageError("--phases: %s (%s)", termsafe.Line(err.Error()), termsafe.Line(lj.Journey.File))
		}
	}
	return nil
}

// pluralWord is "1 file" or "3 files".
func pluralWord(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// pngSize reads --scale and --width: a scale above 0 and at most 16, a
// width of 1 to 65,536 pixels; not both.
func pngSize(cmd *cobra.Command, f renderFlags) (scale float64, width int, err error) {
	width, err = f.width.value("--width")
	if err != nil {
		return 0, 0, err
	}
	if cmd.Flags().Changed("width") && cmd.Flags().Changed("scale") {
		return 0, 0, usageError("use --scale or --width, not both")
	}
	if cmd.Flags().Changed("width") && (width < 1 || width > 1<<16) {
		return 0, 0, usageError("--width %d: use 1 to 65536 pixels", width)
	}
	scale, perr := strconv.ParseFloat(strings.TrimSpace(f.scale), 64)
	if perr != nil || math.IsNaN(scale) || scale <= 0 || scale > 16 {
		return 0, 0, usageError("--scale %s: use a number above 0 and at most 16 (e.g. 1, 1.5 or 2)", strconv.Quote(f.scale))
	}
	return scale, width, nil
}

// renderError explains a failed drawing of lj: a flow too large to lay out
// gets the ways that still work.
func renderError(lj loadedJourney, err error) error {
	var big *render.TooLargeError
	if errors.As(err, &big) {
		return &exitError{code: 2, err: fmt.Errorf("%s: %v: draw it with --format dot or --format mermaid (no layout needed), or split the journey", lj.Journey.File, err)}
	}
	var wide *raster.TooLargeError
	if errors.As(err, &wide) {
		return &exitError{code: 2, err: fmt.Errorf("%s: %v: draw it smaller (--scale 1, --width PX), fewer phases at a time (--phases ID,ID), or as SVG (--format svg), which has no such limit", lj.Journey.File, err)}
	}
	return &exitError{code: 2, err: fmt.Errorf("%s: %v", lj.Journey.File, err)}
}

// writeResult writes the output of one journey to path, or to standard
// output when path is "".
func writeResult(cmd *cobra.Command, path string, data []byte) error {
	if path == "" {
		_, err := cmd.OutOrStdout().Write(data)
		return err
	}
	return writeOutput(path, data)
}

// startOutDir prepares dir for one file per journey of js: their names
// (see outDirNames), the directory made, and the progress line.
func startOutDir(cmd *cobra.Command, dir string, js []loadedJourney, renamed map[string]string) ([]string, *progress, error) {
	names, err := outDirNames(js, renamed)
	if err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, &exitError{code: 2, err: err}
	}
	return names, newProgress(cmd.ErrOrStderr(), len(js)), nil
}

// writeOutput writes a file the user named with -o, --out-dir or
// --write-baseline: atomically when it is a regular file, straight into a
// device or FIFO (/dev/stdout, /dev/null), through a symbolic link.
//
// /dev/stdout and /dev/stderr (and their /dev/fd and /proc/self/fd names)
// are written through the descriptors journey already holds: opening them
// again fails for a user who does not own the pipe behind them, and would
// write from the start of a file that the shell opened for appending.
func writeOutput(path string, data []byte) error {
	if f := standardStream(path); f != nil {
		if _, err := f.Write(data); err != nil {
			return &exitError{code: 2, err: fmt.Errorf("cannot write %s: %v", path, err)}
		}
		return nil
	}
	if err := outfile.Write(path, data); err != nil {
		return &exitError{code: 2, err: err}
	}
	return nil
}

// standardStream is the open standard output or error that path names, or
// nil.
func standardStream(path string) *os.File {
	switch filepath.Clean(path) {
	case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return os.Stdout
	case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2":
		return os.Stderr
	}
	return nil
}

// validID is the schema's id pattern ($defs/Id): the only journey ids that
// may name an output file.
var validID = regexp.MustCompile(`^[a-z0-9]+([_-][a-z0-9]+)*$`)

// outDirNames gives each journey the base name of its files under
// --out-dir: its id, or renamed[id] when the command keeps that name for
// itself. A name that is not a valid id, or that would leave the directory,
// stops the command before anything is written (the loader already refuses
// a file whose id breaks the schema: this is the last guard); two journeys
// with one name are a usage error, never one file overwriting the other.
func outDirNames(js []loadedJourney, renamed map[string]string) ([]string, error) {
	names := make([]string, len(js))
	owner := map[string]loadedJourney{}
	for i, lj := range js {
		id := lj.Journey.ID
		if !validID.MatchString(id.Value) || !filepath.IsLocal(id.Value) {
			return nil, &exitError{code: 1, err: fmt.Errorf("%s:%d:%d: journey id %q cannot name an output file: use lowercase letters and digits, with single - or _ between them; nothing was written",
				lj.Journey.File, id.Range.Start.Line, id.Range.Start.Column, id.Value)}
		}
		name := id.Value
		if r, ok := renamed[name]; ok {
			name = r
		}
		if first, dup := owner[name]; dup {
			return nil, usageError("%s:%d:%d and %s:%d:%d both define journey %q: under --out-dir each journey needs a file of its own; rename one (nothing was written)",
				first.Journey.File, first.Journey.ID.Range.Start.Line, first.Journey.ID.Range.Start.Column,
				lj.Journey.File, id.Range.Start.Line, id.Range.Start.Column, id.Value)
		}
		owner[name] = lj
		names[i] = name
	}
	return names, nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
