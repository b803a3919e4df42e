package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render/canvas"
	"github.com/journeykit/journey/pkg/render/raster"
)

// A View is one way to draw a journey. A new view is a package that draws
// it and one entry in AllViews; the --view flag, its help and completion,
// and the format checks read this list.
type View interface {
	// Name is the --view value.
	Name() string
	// Formats lists the formats the view is drawn in, in help order.
	Formats() []string
	// Draw draws j in one of Formats.
	Draw(j *journey.Journey, format string, opts Options) ([]byte, error)
}

// AllViews lists every view, in help order.
var AllViews = []View{flowView{}, canvasView{}, landscapeView{}}

// A WorkspaceView draws the journeys it is given as one picture (the
// landscape) rather than one picture per journey; its Draw draws one
// journey's picture the same way.
type WorkspaceView interface {
	View
	// DrawAll draws js together in one of Formats.
	DrawAll(js []*journey.Journey, format string, opts Options) ([]byte, error)
}

// Views lists the names of AllViews.
var Views = func() []string {
	names := make([]string, len(AllViews))
	for i, v := range AllViews {
		names[i] = v.Name()
	}
	return names
}()

// ViewByName returns the view called name, or nil.
func ViewByName(name string) View {
	for _, v := range AllViews {
		if v.Name() == name {
			return v
		}
	}
	return nil
}

// CheckFormat says, when view cannot be drawn in format, what can.
func CheckFormat(v View, format string) error {
	if slices.Contains(v.Formats(), format) {
		return nil
	}
	return fmt.Errorf("the %s view is drawn as %s, not %s", v.Name(), strings.Join(v.Formats(), " or "), format)
}

// flowView is the flow diagram: Graphviz's layout of the stages and
// transitions, grouped by phase; also DOT and Mermaid text.
type flowView struct{}

func (flowView) Name() string      { return "flow" }
func (flowView) Formats() []string { return []string{"svg", "png", "dot", "mermaid"} }
func (flowView) Draw(j *journey.Journey, format string, opts Options) ([]byte, error) {
	j = CutPhases(j, opts.Phases)
	switch format {
	case "dot":
		return DOT(j, opts), nil
	case "mermaid":
		return Mermaid(j, opts), nil
	}
	return svgOrPNG(FlowSVG(j, opts))(format, opts)
}

// canvasView is the journey-map canvas (package canvas); in Mermaid, the
// user-journey diagram (MermaidJourney).
type canvasView struct{}

func (canvasView) Name() string      { return "canvas" }
func (canvasView) Formats() []string { return []string{"svg", "png", "mermaid"} }
func (canvasView) Draw(j *journey.Journey, format string, opts Options) ([]byte, error) {
	if format == "mermaid" {
		return MermaidJourney(CutPhases(j, opts.Phases), opts), nil
	}
	// The canvas cuts the phases itself: it names the phase of each
	// transition's target left out.
	return svgOrPNG(canvas.SVG(j, canvas.Options{Persona: opts.Persona, Phases: opts.Phases}))(format, opts)
}

// svgOrPNG returns a drawn SVG as it is, or rasterised for "png" at the
// options' width or scale.
func svgOrPNG(svg []byte, err error) func(format string, opts Options) ([]byte, error) {
	return func(format string, opts Options) ([]byte, error) {
		switch {
		case err != nil || format != "png":
			return svg, err
		case opts.Width > 0:
			return raster.PNGWidth(svg, opts.Width)
		case opts.Scale > 0:
			return raster.PNG(svg, opts.Scale)
		}
		return raster.PNG(svg, PNGScale)
	}
}

// landscapeView is the workspace landscape (see LandscapeSVG): one node
// per journey, hand-offs as edges. It ignores Options.Persona.
type landscapeView struct{}

func (landscapeView) Name() string      { return "landscape" }
func (landscapeView) Formats() []string { return []string{"svg", "png", "dot", "mermaid"} }
func (v landscapeView) Draw(j *journey.Journey, format string, opts Options) ([]byte, error) {
	return v.DrawAll([]*journey.Journey{j}, format, opts)
}
func (landscapeView) DrawAll(js []*journey.Journey, format string, opts Options) ([]byte, error) {
	switch format {
	case "dot":
		return LandscapeDOT(js), nil
	case "mermaid":
		return LandscapeMermaid(js), nil
	}
	return svgOrPNG(LandscapeSVG(js))(format, opts)
}

// RenderWorkspace draws js as one picture in the named WorkspaceView and
// format.
func RenderWorkspace(js []*journey.Journey, view, format string, opts Options) ([]byte, error) {
	v, ok := ViewByName(view).(WorkspaceView)
	if !ok {
		return nil, fmt.Errorf("the %s view draws one picture per journey, not one for all", view)
	}
	if !slices.Contains(Formats, format) {
		return nil, fmt.Errorf("unknown format %q: use %s", format, strings.Join(Formats, ", "))
	}
	if err := CheckFormat(v, format); err != nil {
		return nil, err
	}
	return v.DrawAll(js, format, opts)
}
