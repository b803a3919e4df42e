package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A character that no font has is named once on stderr, however many
// pictures show it; the PNG is still written.
func TestRenderWarnsOnceAboutMissingGlyphs(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"one", "two"} {
		write(t, filepath.Join(dir, id+".journey.yaml"), strings.NewReplacer("journey: ok", "journey: "+id, "name: Arrives", "name: \"Arrives \U0010FFFD\U0010FFFD\"").Replace(validJourney))
	}
	code, _, errOut := runCLI(t, "", "render", "--format", "png", "--out-dir", filepath.Join(dir, "out"), dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(errOut, "journey: warning: no font on this machine draws"); n != 1 || strings.Count(errOut, "U+10FFFD") != 1 {
		t.Errorf("want one warning naming U+10FFFD once:\n%s", errOut)
	}
	// SVG leaves the fonts to the viewer: no warning.
	if code, _, errOut := runCLI(t, "", "render", "-o", filepath.Join(dir, "x.svg"), filepath.Join(dir, "one.journey.yaml")); code != 0 || errOut != "" {
		t.Errorf("SVG: exit %d, %q", code, errOut)
	}
}

// A PNG too large for memory is refused with what to do: --scale,
// --width, --phases or SVG.
func TestRenderPNGTooLarge(t *testing.T) {
	code, _, errOut := runCLI(t, "", "render", "../../examples/higher-ed/university-applicant.journey.yaml", "-o", filepath.Join(t.TempDir(), "x.png"), "--scale", "16")
	if code != 2 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"too large for a PNG", "--scale 1", "--width PX", "--phases", "--format svg"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the message does not say %q: %s", want, errOut)
		}
	}
}
