package importer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/format"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
)

func seed(f *testing.F, glob string) {
	paths, _ := filepath.Glob(glob)
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
}

// fuzzImport checks what every import promises: a refusal is an *Error
// with a position (or a size refusal), an import is canonical, loads
// without a finding of the schema and lints with no error.
//
// A Mermaid import lints with no error at all; a table's graph is the
// user's (it may lack an entry), but its references and schema are sound.
func fuzzImport(t *testing.T, convert func([]byte, Options) ([]byte, error), src []byte, anyError bool) {
	out, err := convert(src, Options{File: "in.x", Journey: "fuzz"})
	if err != nil {
		var ie *Error
		if !errors.As(err, &ie) {
			t.Fatalf("error of type %T: %v", err, err)
		}
		return
	}
	formatted, err := format.Format("in.journey.yaml", out)
	if err != nil || !bytes.Equal(formatted, out) {
		t.Fatalf("not canonical (%v):\n%s", err, out)
	}
	res := lint.Run([]*load.Set{load.FromMemory(map[string][]byte{"in.journey.yaml": out}, "", nil)}, lint.Options{})
	for _, d := range res.Findings {
		if d.Severity == diag.Error && (anyError || d.Rule == "schema" || d.Rule == "syntax" || d.Rule == "duplicate-id" || d.Rule == "unknown-reference") {
			t.Fatalf("%s: %s\n%s", d.Rule, d.Message, out)
		}
	}
}

func FuzzMermaid(f *testing.F) {
	seed(f, "testdata/mermaid/*.mmd")
	f.Fuzz(func(t *testing.T, src []byte) { fuzzImport(t, Mermaid, src, true) })
}

func FuzzCSV(f *testing.F) {
	seed(f, "testdata/csv/*.csv")
	f.Fuzz(func(t *testing.T, src []byte) { fuzzImport(t, CSV, src, false) })
}
