package diag

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPaths(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "journeys")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	p := NewPaths(root)
	for _, c := range []struct {
		file, under string
		ok          bool
		key         string
	}{
		{"a.journey.yaml", "journeys/a.journey.yaml", true, "journeys/a.journey.yaml"},
		{"./a.journey.yaml", "journeys/a.journey.yaml", true, "journeys/a.journey.yaml"},
		{"../journeys/./a.journey.yaml", "journeys/a.journey.yaml", true, "journeys/a.journey.yaml"},
		{"../top.journey.yaml", "top.journey.yaml", true, "top.journey.yaml"},
		{filepath.Join(root, "x", "b.journey.yaml"), "x/b.journey.yaml", true, "x/b.journey.yaml"},
		{"../../outside.journey.yaml", "", false, "../../outside.journey.yaml"},
		{"<stdin>", "", false, "<stdin>"},
	} {
		under, ok := p.Under(c.file)
		if under != c.under || ok != c.ok {
			t.Errorf("Under(%q) = %q, %v; want %q, %v", c.file, under, ok, c.under, c.ok)
		}
		if key := p.Key(c.file); key != c.key {
			t.Errorf("Key(%q) = %q, want %q", c.file, key, c.key)
		}
	}
	none := NewPaths("")
	if _, ok := none.Under("a.journey.yaml"); ok {
		t.Error("no root: a file is under it")
	}
	if key := none.Key("./a/../b.journey.yaml"); key != "b.journey.yaml" {
		t.Errorf("no root: key %q, want the cleaned path", key)
	}
}

// From a subdirectory of the repository, SARIF names files relative to
// %SRCROOT% and GitHub annotations relative to the root, and the SARIF
// still validates; fingerprints do not depend on the spelling of a path.
func TestRootRelativeOutputs(t *testing.T) {
	schema := compileSARIFSchema(t) // before leaving the package directory
	root := t.TempDir()
	sub := filepath.Join(root, "journeys")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	report := func(file string) Report {
		r := findingsReport()
		r.Root = root
		r.Findings = r.Findings[:1]
		r.Findings[0].File = file
		return r
	}
	var b bytes.Buffer
	if err := WriteSARIF(&b, report("a.journey.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(decodeJSON(t, b.Bytes())); err != nil {
		t.Fatalf("%#v", err)
	}
	var log sarifLog
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if got := run.OriginalURIBaseIDs[srcRoot].URI; got != fileURI(root)+"/" {
		t.Errorf("originalUriBaseIds %q, want %q", got, fileURI(root)+"/")
	}
	loc := run.Results[0].Locations[0].PhysicalLocation.ArtifactLocation
	if loc.URI != "journeys/a.journey.yaml" || loc.URIBaseID != srcRoot {
		t.Errorf("location %+v, want journeys/a.journey.yaml under %s", loc, srcRoot)
	}
	fix := run.Results[0].Fixes[0].ArtifactChanges[0].ArtifactLocation
	if fix != loc {
		t.Errorf("fix location %+v, want %+v", fix, loc)
	}
	fp := run.Results[0].PartialFingerprints

	for _, spelling := range []string{"./a.journey.yaml", "../journeys/a.journey.yaml", filepath.Join(sub, "a.journey.yaml")} {
		b.Reset()
		if err := WriteSARIF(&b, report(spelling)); err != nil {
			t.Fatal(err)
		}
		var again sarifLog
		if err := json.Unmarshal(b.Bytes(), &again); err != nil {
			t.Fatal(err)
		}
		if got := again.Runs[0].Results[0].PartialFingerprints; got[fingerprintKey] != fp[fingerprintKey] {
			t.Errorf("%s: fingerprint %v, want %v", spelling, got, fp)
		}
	}

	b.Reset()
	if err := WriteGitHub(&b, report("./a.journey.yaml")); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "::error file=journeys/a.journey.yaml,line=6,") {
		t.Errorf("annotation not relative to the root:\n%s", b.String())
	}
}
