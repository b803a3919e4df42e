package diag

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// sarifSchemaURL is the id inside testdata/sarif-schema-2.1.0.json (the
// OASIS errata01 schema); the compiler needs an absolute URL.
const sarifSchemaURL = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

func TestSARIFMatchesOfficialSchema(t *testing.T) {
	schema := compileSARIFSchema(t)

	odd := findingsReport()
	odd.Findings = append(odd.Findings,
		Diagnostic{File: "dir/with#hash?q.journey.yaml", Range: rng(1, 1, 2, 1), Severity: Error, Rule: "syntax", Message: "m"},
		Diagnostic{File: "c:odd.journey.yaml", Severity: Warning, Rule: "schema", Message: "no position"},
		Diagnostic{File: "/abs/ünï.journey.yaml", Range: rng(2, 2, 0, 0), Severity: Info, Rule: "x", Message: "m"},
	)
	for name, r := range map[string]Report{"empty": emptyReport(), "findings": findingsReport(), "odd": odd} {
		var b bytes.Buffer
		if err := WriteSARIF(&b, r); err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(decodeJSON(t, b.Bytes())); err != nil {
			t.Errorf("%s: %#v", name, err)
		}
	}
}

// The validator must be able to fail, or the test above proves nothing.
func TestSARIFSchemaRejectsBadLog(t *testing.T) {
	schema := compileSARIFSchema(t)
	var b bytes.Buffer
	if err := WriteSARIF(&b, findingsReport()); err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(b.Bytes(), []byte(`"level": "note"`), []byte(`"level": "info"`), 1)
	if bytes.Equal(bad, b.Bytes()) {
		t.Fatal("no note level to break")
	}
	if err := schema.Validate(decodeJSON(t, bad)); err == nil {
		t.Error(`schema accepted level "info"`)
	}
}

func compileSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := jsonschema.NewCompiler()
	// The schema declares draft-04 itself; the compiler follows its $schema.
	if err := c.AddResource(sarifSchemaURL, f); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(sarifSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

func decodeJSON(t *testing.T, data []byte) any {
	t.Helper()
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestSARIFFingerprintIgnoresPosition(t *testing.T) {
	before := findingsReport()
	after := findingsReport()
	for i := range after.Findings {
		after.Findings[i].Range.Start.Line += 10
		after.Findings[i].Range.End.Line += 10
	}
	fb, fa := sarifFingerprints(t, before), sarifFingerprints(t, after)
	for i := range fb {
		if fb[i] != fa[i] {
			t.Errorf("finding %d: fingerprint changed when lines moved: %s -> %s", i, fb[i], fa[i])
		}
	}
	seen := map[string]bool{}
	for _, fp := range fb {
		if seen[fp] {
			t.Errorf("fingerprint %s used twice", fp)
		}
		seen[fp] = true
	}

	// Identical findings still get distinct fingerprints.
	twin := findingsReport()
	twin.Findings = append(twin.Findings, twin.Findings[3])
	twin.Findings[4].Range = rng(9, 9, 9, 10)
	ft := sarifFingerprints(t, twin)
	if ft[3] == ft[4] {
		t.Errorf("identical findings share fingerprint %s", ft[3])
	}
}

func sarifFingerprints(t *testing.T, r Report) []string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSARIF(&b, r); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, res := range log.Runs[0].Results {
		out = append(out, res.PartialFingerprints[fingerprintKey])
	}
	return out
}

func TestSARIFRuleIndex(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSARIF(&b, findingsReport()); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	rules := log.Runs[0].Tool.Driver.Rules
	for _, res := range log.Runs[0].Results {
		if res.RuleIndex == nil {
			if res.RuleID != "custom-note" {
				t.Errorf("%s: no ruleIndex", res.RuleID)
			}
			continue
		}
		if rules[*res.RuleIndex].ID != res.RuleID {
			t.Errorf("%s: ruleIndex %d points at %s", res.RuleID, *res.RuleIndex, rules[*res.RuleIndex].ID)
		}
	}
}

func TestFileURI(t *testing.T) {
	tests := map[string]string{
		"a.journey.yaml":                      "a.journey.yaml",
		"journeys/ebook nurture.journey.yaml": "journeys/ebook%20nurture.journey.yaml",
		"../up/100%.journey.yaml":             "../up/100%25.journey.yaml",
		"café.journey.yaml":                   "caf%C3%A9.journey.yaml",
		"x#y?.journey.yaml":                   "x%23y%3F.journey.yaml",
		"c:odd.journey.yaml":                  "./c:odd.journey.yaml",
		"/abs/a b.journey.yaml":               "file:///abs/a%20b.journey.yaml",
	}
	for in, want := range tests {
		if got := fileURI(in); got != want {
			t.Errorf("fileURI(%q) = %q, want %q", in, got, want)
		}
	}
}
