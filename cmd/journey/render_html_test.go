package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// render --format html writes one self-contained page per journey: from
// --format or an .html/.htm -o, to standard output, -o or --out-dir; the
// landscape, --scale and mismatched extensions are usage errors.
func TestRenderHTMLFormat(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ok.journey.yaml")
	write(t, file, validJourney)
	code, out, errOut := runCLI(t, "", "render", "--format", "html", file)
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, `id="journey-data"`) {
		t.Fatalf("--format html: exit %d, stderr %q, output %.80q", code, errOut, out)
	}
	page := filepath.Join(dir, "page.htm")
	if code, _, errOut := runCLI(t, "", "render", file, "-o", page, "--view", "canvas"); code != 0 {
		t.Fatalf("-o page.htm: exit %d, %q", code, errOut)
	}
	data, err := os.ReadFile(page)
	if err != nil || !strings.Contains(string(data), `"view":"canvas"`) {
		t.Errorf("-o page.htm --view canvas: %v, %.80q", err, data)
	}
	outDir := filepath.Join(dir, "pages")
	if code, _, errOut := runCLI(t, "", "render", "--format", "html", "--out-dir", outDir, file); code != 0 {
		t.Fatalf("--out-dir: exit %d, %q", code, errOut)
	}
	entries, _ := os.ReadDir(outDir)
	if len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".html") {
		t.Errorf("--out-dir wrote %v", entries)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "html", "--view", "landscape"}, "use --view flow or --view canvas"},
		{[]string{"--format", "html", "-o", filepath.Join(dir, "x.svg")}, "names a svg file but --format is html"},
		{[]string{"--format", "svg", "-o", filepath.Join(dir, "x.html")}, "names an HTML file but --format is svg"},
		{[]string{"--format", "html", "--scale", "3"}, "--scale and --width size a PNG"},
	} {
		code, _, errOut := runCLI(t, "", append([]string{"render", file}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errOut, c.want)
		}
	}
}

// --simulate and --events draw on the page; elsewhere, or together, or a
// column flag without --events, they are usage errors.
func TestRenderHTMLOverlays(t *testing.T) {
	j, log := "../../pkg/conform/testdata/worked/nurture.journey.yaml", "../../pkg/conform/testdata/worked/events.csv"
	code, out, errOut := runCLI(t, "", "render", "--format", "html", j, "--events", log, "--case", "user_id", "--event", "event_name", "--time", "occurred_at")
	if code != 0 || !strings.Contains(out, `"overlay":{"kind":"events"`) || !strings.Contains(out, `"off_map":true`) {
		t.Errorf("--events: exit %d, stderr %q", code, errOut)
	}
	code, out, errOut = runCLI(t, "", "render", "--format", "html", j, "--simulate")
	if code != 0 || !strings.Contains(out, `"overlay":{"kind":"simulation"`) {
		t.Errorf("--simulate: exit %d, stderr %q", code, errOut)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--simulate", "--format", "dot"}, "--simulate draws on the HTML page"},
		{[]string{"--format", "html", "--simulate", "--events", log}, "use --simulate or --events, not both"},
		{[]string{"--format", "html", "--case", "user_id"}, "--case reads an event log"},
	} {
		code, _, errOut := runCLI(t, "", append([]string{"render", j}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q", c.args, code, errOut)
		}
	}
}

// The overlays also draw on the flow view's SVG and PNG.
func TestRenderHTMLOverlaysOnSVG(t *testing.T) {
	j, log := "../../pkg/conform/testdata/worked/nurture.journey.yaml", "../../pkg/conform/testdata/worked/events.csv"
	code, out, errOut := runCLI(t, "", "render", j, "--events", log, "--case", "user_id", "--event", "event_name", "--time", "occurred_at")
	if code != 0 || !strings.HasPrefix(out, "<?xml") || !strings.Contains(out, `class="overlay"`) || !strings.Contains(out, "off-map") {
		t.Errorf("--events on SVG: exit %d, stderr %q", code, errOut)
	}
	png := filepath.Join(t.TempDir(), "sim.png")
	if code, _, errOut := runCLI(t, "", "render", j, "--simulate", "-o", png, "--scale", "1"); code != 0 {
		t.Errorf("--simulate -o x.png: exit %d, %q", code, errOut)
	} else if b, _ := os.ReadFile(png); !strings.HasPrefix(string(b), "\x89PNG") {
		t.Error("not a PNG")
	}
	if code, _, errOut := runCLI(t, "", "render", j, "--simulate", "--view", "canvas"); code != 2 || !strings.Contains(errOut, "--view flow") {
		t.Errorf("--simulate --view canvas: exit %d, %q", code, errOut)
	}
}
