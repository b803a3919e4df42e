package importer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/golden"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/format"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
)

// runGoldens imports every testdata/DIR/*.EXT: an imported journey is
// compared with NAME.journey.yaml and must be canonical and lint with no
// error; a refusal is compared with NAME.err and must give a position.
func runGoldens(t *testing.T, dir, ext string, convert func([]byte, Options) ([]byte, error)) {
	inputs, err := filepath.Glob(filepath.Join("testdata", dir, "*."+ext))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs in testdata/%s: %v", dir, err)
	}
	imported := 0
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), "."+ext)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			out, err := convert(src, Options{File: filepath.Base(in)})
			base := strings.TrimSuffix(in, "."+ext)
			if err != nil {
				var ie *Error
				if !errors.As(err, &ie) {
					t.Fatalf("error of type %T: %v", err, err)
				}
				if ie.Line == 0 || ie.Column == 0 {
					t.Errorf("refusal without a position: %v", err)
				}
				golden.Check(t, base+".err", []byte(err.Error()+"\n"))
				if _, err := os.Stat(base + ".journey.yaml"); err == nil {
					t.Errorf("%s.journey.yaml is stale: the input is refused", base)
				}
				return
			}
			imported++
			golden.Check(t, base+".journey.yaml", out)
			if _, err := os.Stat(base + ".err"); err == nil {
				t.Errorf("%s.err is stale: the input is imported", base)
			}
			checkImported(t, filepath.Base(base)+".journey.yaml", out)
		})
	}
	if imported == 0 {
		t.Errorf("no input of testdata/%s was imported", dir)
	}
}

// checkImported asserts that out is in fmt's layout and lints with no
// error.
func checkImported(t *testing.T, name string, out []byte) {
	t.Helper()
	formatted, err := format.Format(name, out)
	if err != nil {
		t.Fatalf("journey fmt refuses the import: %v", err)
	}
	if !bytes.Equal(formatted, out) {
		t.Errorf("the import is not in fmt's layout:\n%s", golden.FirstDifference(formatted, out))
	}
	res := lint.Run([]*load.Set{load.FromMemory(map[string][]byte{name: out}, "", nil)}, lint.Options{})
	for _, f := range res.Findings {
		if f.Severity == diag.Error {
			t.Errorf("lint error in the import: %d:%d %s [%s]", f.Range.Start.Line, f.Range.Start.Column, f.Message, f.Rule)
		}
	}
}

func TestMermaidGoldens(t *testing.T) { runGoldens(t, "mermaid", "mmd", Mermaid) }

func TestCSVGoldens(t *testing.T) { runGoldens(t, "csv", "csv", CSV) }
