package render

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	goldenfile "github.com/journeykit/journey/internal/golden"
)

// The README's gallery (docs/images) shows real output: this test fails
// when the pictures are older than the code. Regenerate with
// go test ./pkg/render -run TestDocsGallery -update
func TestDocsGallery(t *testing.T) {
	// The examples' workspace catalog names their shared personas and
	// channels, as journey render does.
	catalog := examplesCatalog(t)
	fresh := func(file string, got []byte) {
		t.Helper()
		if goldenfile.Update() {
			goldenfile.Check(t, file, got)
			return
		}
		want, err := os.ReadFile(file)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is out of date with the code: go test ./pkg/render -run TestDocsGallery -update", file)
		}
	}
	images := filepath.Join("..", "..", "docs", "images")
	// The service blueprint: the canvas of a journey with backstage and
	// support lanes under the line of visibility, its first phase (a slide,
	// readable at the README's width).
	blueprint, err := Render(WithCatalog(mustLoad(t, "../../examples/telecom/smb-phone-onboarding.journey.yaml"), catalog), "canvas", "svg", Options{Phases: []string{"onboarding"}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(blueprint, []byte("LINE OF VISIBILITY")) {
		t.Error("the blueprint picture has no line of visibility")
	}
	fresh(filepath.Join(images, "smb-phone-onboarding-blueprint.svg"), blueprint)
	// The landscape of every example journey.
	landscape, err := RenderWorkspace(examplesWorkspace(t), "landscape", "svg", Options{})
	if err != nil {
		t.Fatal(err)
	}
	fresh(filepath.Join(images, "examples-landscape.svg"), landscape)
	for _, path := range goldenJourneys {
		j := WithCatalog(mustLoad(t, path), catalog)
		base := strings.TrimSuffix(filepath.Base(path), ".journey.yaml")
		for _, view := range Views {
			if _, whole := ViewByName(view).(WorkspaceView); whole {
				continue // one picture for all the journeys, not one each
			}
			got, err := Render(j, view, "svg", Options{})
			if err != nil {
				t.Fatalf("%s %s: %v", base, view, err)
			}
			fresh(filepath.Join(images, base+"-"+view+".svg"), got)
		}
	}
}

// Every picture the README shows is one TestDocsGallery keeps fresh.
func TestReadmePicturesExist(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`\(docs/images/([^)]+\.svg)\)`).FindAllSubmatch(readme, -1)
	if len(links) < 5 {
		t.Fatalf("%d pictures in the README, want the gallery's flows, canvas, blueprint and landscape", len(links))
	}
	gallery, err := os.ReadFile("gallery_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		name := string(l[1])
		if _, err := os.Stat(filepath.Join("..", "..", "docs", "images", name)); err != nil {
			t.Errorf("README shows docs/images/%s: %v", name, err)
		}
		base := strings.TrimSuffix(name, ".svg")
		drawn := bytes.Contains(gallery, []byte(`"`+name+`"`))
		for _, view := range Views {
			drawn = drawn || strings.HasSuffix(base, "-"+view)
		}
		if !drawn {
			t.Errorf("README shows docs/images/%s, which TestDocsGallery does not draw", name)
		}
	}
}
