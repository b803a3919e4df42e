package render

import (
	"bytes"
	"os"
	"path/filepath"
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
			file := filepath.Join("..", "..", "docs", "images", base+"-"+view+".svg")
			if goldenfile.Update() {
				goldenfile.Check(t, file, got)
				continue
			}
			want, err := os.ReadFile(file)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s is out of date with the code: go test ./pkg/render -run TestDocsGallery -update", file)
			}
		}
	}
}
