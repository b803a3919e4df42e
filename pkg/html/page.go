// Package html writes a journey as one self-contained interactive HTML
// page: the flow and the canvas views as inline SVG (drawn by pkg/render),
// the journey's data as inline JSON, and the CSS and JavaScript that pan,
// zoom, search and filter them and show a stage's fields in a side panel.
//
// The page makes no network request: everything it shows is in the file,
// and its Content-Security-Policy (default-src 'none', the script allowed
// by its hash) forbids the browser to fetch anything else. Text from a
// user's file reaches the page only as escaped SVG (pkg/render), escaped
// HTML text, or JSON inside a non-executed script element with <, >, &,
// U+2028 and U+2029 escaped; the script sets it with textContent only.
package html

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	stdhtml "html"
	"regexp"
	"strings"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render"
)

//go:embed page.css
var pageCSS string

//go:embed page.js
var pageJS string

// Views are the tabs of the page, in tab order; Options.View names the
// one shown first.
var Views = []string{"flow", "canvas"}

// Options tune a page.
type Options struct {
	// View is the tab shown first: "flow" (default) or "canvas".
	View string
	// Render is passed to the flow and canvas views (Persona is ignored:
	// the page filters personas itself; Marks mark the flow).
	Render render.Options
	// Findings are the lint findings of the journey's file; those about
	// a stage are badges on it.
	Findings []diag.Diagnostic
	// File is the journey's file as the page names it (default: the
	// journey's File).
	File string
	// Live is the URL of a server-sent event stream that says when the
	// page changed (journey serve); "" for a static file.
	Live string
	// Changes are listed beside the map (the diff), each linked to its
	// stage.
	Changes []Change
	// Overlay draws simulated or observed figures on the flow.
	Overlay *Overlay
	// Persona is the persona filtered when the page opens ("" for all;
	// the URL's #persona= wins).
	Persona string
	// Title replaces the page's title ("" keeps the journey's).
	Title string
}

// Change is one entry of the diff's list of changes.
type Change struct {
	// Kind is the change's kind ("stage-added").
	Kind string `json:"kind"`
	// Class is the mark's class (added, removed, changed).
	Class string `json:"class"`
	// Stage is the stage it is about ("" for the journey).
	Stage string `json:"stage,omitempty"`
	// Text describes it.
	Text string `json:"text"`
	// Breaking marks a breaking change.
	Breaking bool `json:"breaking,omitempty"`
	// Line is its line in the new file (the old one for a removal).
	Line int `json:"line,omitempty"`
}

// Overlay holds figures drawn over the flow: stage heat and edge labels.
type Overlay struct {
	// Kind names the source ("simulation", "events").
	Kind string `json:"kind"`
	// Stages are figures per stage id.
	Stages map[string]StageFigure `json:"stages,omitempty"`
	// Edges are figures per transition (from, to).
	Edges []EdgeFigure `json:"edges,omitempty"`
	// Summary is a line shown in the toolbar.
	Summary string `json:"summary,omitempty"`
}

// StageFigure is an overlay's figure for one stage.
type StageFigure struct {
	// Heat is 0..1 (visit probability, share of cases).
	Heat float64 `json:"heat"`
	// Text is the label ("visited 42%").
	Text string `json:"text"`
	// Unseen marks a stage no case reached.
	Unseen bool `json:"unseen,omitempty"`
}

// EdgeFigure is an overlay's figure for one edge.
type EdgeFigure struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Width is 0..1, drawn as the edge's width.
	Width float64 `json:"width"`
	// Text is the label ("120 · 35% vs 40%").
	Text string `json:"text"`
	// Level is "ok", "warn", "bad" or "" (colour by deviation).
	Level string `json:"level,omitempty"`
	// OffMap marks an observed move the map does not have.
	OffMap bool `json:"off_map,omitempty"`
}

// Page draws j as a self-contained HTML page. A flow too large to lay out
// is left out with the reason (the canvas still shows); any other drawing
// error is returned.
func Page(j *journey.Journey, opts Options) ([]byte, error) {
	view := opts.View
	if view == "" {
		view = "flow"
	}
	if view != "flow" && view != "canvas" {
		return nil, fmt.Errorf("the page shows the flow or the canvas view first, not %q", view)
	}
	ro := opts.Render
	ro.Persona = ""
	flow, flowErr := render.Render(j, "flow", "svg", ro)
	if flowErr != nil {
		var big *render.TooLargeError
		if !errors.As(flowErr, &big) {
			return nil, flowErr
		}
		if view == "flow" {
			view = "canvas"
		}
	}
	canvas, canvasErr := render.Render(j, "canvas", "svg", render.Options{Phases: ro.Phases})
	if canvasErr != nil {
		return nil, canvasErr
	}
	in := Input{Journey: j, Options: opts, View: view, Flow: flow, Canvas: canvas}
	if flowErr != nil {
		in.FlowError = flowErr.Error() + ": the canvas view shows every stage; journey render --format dot or mermaid draws the flow without a layout."
	}
	return Write(in), nil
}

// Input is everything a page shows, drawn already.
type Input struct {
	Journey *journey.Journey
	Options
	// View is the tab shown first.
	View string
	// Flow and Canvas are the views' SVG; FlowError says why there is no
	// flow.
	Flow, Canvas []byte
	FlowError    string
}

// Write assembles the page.
func Write(in Input) []byte {
	j := in.Journey
	d := buildData(in)
	data, err := json.Marshal(d)
	if err != nil { // only plain types: cannot happen
		data = []byte("{}")
	}
	data = safeJSON(data)
	title := in.Title
	if title == "" {
		title = j.Title
		if title == "" {
			title = j.ID.Value
		}
	}
	title = escape.Clean(title)
	connect := "'none'"
	if in.Live != "" {
		connect = "'self'"
	}
	sum := sha256.Sum256([]byte(pageJS))
	csp := "default-src 'none'; script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; style-src 'unsafe-inline'; img-src data: blob:; connect-src " + connect + "; base-uri 'none'; form-action 'none'"

	var b bytes.Buffer
	w := func(s ...string) {
		for _, x := range s {
			b.WriteString(x)
		}
	}
	w("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	w(`<meta http-equiv="Content-Security-Policy" content="`, csp, "\">\n")
	w("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	w("<meta name=\"referrer\" content=\"no-referrer\">\n")
	w("<title>", stdhtml.EscapeString(title), " — journey</title>\n")
	w("<style>\n", pageCSS, "</style>\n</head>\n<body>\n")
	w(`<header class="bar" role="banner">`, "\n")
	w(`<div class="ident"><h1 id="title" class="u">`, stdhtml.EscapeString(title), `</h1>`)
	w(`<span id="meta" class="meta"></span></div>`, "\n")
	w(`<div class="tools">`, "\n")
	w(`<div role="tablist" aria-label="Views" class="tabs">`)
	for _, v := range Views {
		sel := "false"
		if v == in.View {
			sel = "true"
		}
		w(`<button type="button" role="tab" id="tab-`, v, `" data-view="`, v, `" aria-controls="viewport" aria-selected="`, sel, `">`, strings.ToUpper(v[:1])+v[1:], `</button>`)
	}
	w("</div>\n")
	w(`<input id="search" type="search" placeholder="Search name or id" aria-label="Search stages by name or id" autocomplete="off"><span id="search-count" class="count" aria-live="polite"></span>`, "\n")
	w(`<select id="persona" aria-label="Persona filter"><option value="">All personas</option></select>`, "\n")
	w(`<div class="group" role="group" aria-label="Zoom"><button type="button" id="zoom-out" aria-label="Zoom out" title="Zoom out (-)">−</button><button type="button" id="zoom-in" aria-label="Zoom in" title="Zoom in (+)">+</button><button type="button" id="zoom-fit" title="Fit to view (0)">Fit</button><button type="button" id="zoom-one" title="Actual size (1)">1:1</button></div>`, "\n")
	w(`<div class="group" role="group" aria-label="Export"><button type="button" id="export-svg" title="Download the current view as SVG">SVG</button><button type="button" id="export-png" title="Download the current view as PNG">PNG</button></div>`, "\n")
	w(`<span id="lint" class="lint" aria-live="polite"></span><span id="overlay-summary" class="meta"></span><span id="live" class="meta" aria-live="polite"></span>`, "\n")
	w("</div>\n</header>\n<main>\n")
	w(`<div id="mapbox">`)
	w(`<div id="viewport" tabindex="0" role="application" aria-roledescription="map" aria-label="Journey map: drag or arrow keys to pan, wheel or plus and minus to zoom, 0 to fit, Tab to move between stages, Enter to open one">`, "\n")
	writeLayer(&b, "flow", in.Flow, in.FlowError, in.View)
	writeLayer(&b, "canvas", in.Canvas, "", in.View)
	w("</div>\n")
	w(`<div id="minimap" aria-hidden="true" hidden><img id="minimap-img" alt=""><div id="minimap-view"></div></div>`, "\n")
	w("</div>\n")
	w(`<aside id="changes" aria-label="Changes" hidden></aside>`, "\n")
	w(`<aside id="panel" aria-label="Stage details" tabindex="-1" hidden></aside>`, "\n")
	w("</main>\n<noscript><p class=\"noscript\">The map is shown without its panels: this page needs JavaScript for them (it loads nothing from the network).</p></noscript>\n")
	w(`<script type="application/json" id="journey-data">`)
	b.Write(data)
	w("</script>\n<script>", pageJS, "</script>\n</body>\n</html>\n")
	return b.Bytes()
}

// writeLayer writes one view's layer: its SVG, prefixed, or why it is
// missing.
func writeLayer(b *bytes.Buffer, view string, svg []byte, why, shown string) {
	hidden := ""
	if view != shown {
		hidden = " hidden"
	}
	fmt.Fprintf(b, "<div class=\"layer\" id=\"layer-%s\" data-view=\"%s\"%s>", view, view, hidden)
	if len(svg) == 0 {
		if why == "" {
			why = "This view could not be drawn."
		}
		fmt.Fprintf(b, "<p class=\"empty u\">%s</p>", stdhtml.EscapeString(escape.Clean(why)))
	} else {
		b.Write(InlineSVG(svg, view[:1]+"-", view+"-svg"))
	}
	b.WriteString("</div>\n")
}

var (
	svgComment = regexp.MustCompile(`(?s)<!--.*?-->`)
	svgIDRef   = regexp.MustCompile(`( id="|url\(#|href="#)`)
	svgOpen    = regexp.MustCompile(`^<svg\b`)
)

// InlineSVG makes a drawn SVG fit to sit inside an HTML page beside
// another: the XML prolog, doctype and comments go, every id and reference
// to one takes prefix, and the root element gets id root.
func InlineSVG(svg []byte, prefix, root string) []byte {
	i := bytes.Index(svg, []byte("<svg"))
	if i < 0 {
		return nil
	}
	s := svgComment.ReplaceAll(svg[i:], nil)
	s = svgIDRef.ReplaceAllFunc(s, func(m []byte) []byte { return append(append([]byte(nil), m...), prefix...) })
	s = svgOpen.ReplaceAll(s, []byte(`<svg id="`+root+`" role="img" aria-label="`+root[:strings.IndexByte(root, '-')]+` view"`))
	return bytes.TrimSpace(s)
}

// safeJSON escapes what could end or confuse a script element, though
// encoding/json escapes <, > and & already: belt and braces for U+2028
// and U+2029.
func safeJSON(b []byte) []byte {
	r := strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return []byte(r.Replace(string(b)))
}
