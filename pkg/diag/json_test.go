package diag

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// The keys of cli.md's JSON contract; stage and suggestion are the only
// additions, and only when set.
var (
	contractTopKeys     = []string{"findings", "summary"}
	contractFindingKeys = []string{"column", "end_column", "end_line", "file", "journey", "line", "message", "rule", "severity"}
	contractSummaryKeys = []string{"errors", "files", "infos", "warnings"}
)

func TestJSONContractKeys(t *testing.T) {
	for _, rep := range reports {
		r := rep.report()
		var b bytes.Buffer
		if err := WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		checkKeys(t, "top level", doc, contractTopKeys)

		var findings []map[string]json.RawMessage
		if err := json.Unmarshal(doc["findings"], &findings); err != nil {
			t.Fatal(err)
		}
		if findings == nil {
			t.Errorf("%s: findings is null, want []", rep.name)
		}
		if len(findings) != len(r.Findings) {
			t.Fatalf("%s: %d findings, want %d", rep.name, len(findings), len(r.Findings))
		}
		for i, f := range findings {
			want := slices.Clone(contractFindingKeys)
			if r.Findings[i].Stage != "" {
				want = append(want, "stage")
			}
			if r.Findings[i].Suggestion != nil {
				want = append(want, "suggestion")
				var sug map[string]json.RawMessage
				if err := json.Unmarshal(f["suggestion"], &sug); err != nil {
					t.Fatal(err)
				}
				checkKeys(t, "suggestion", sug, []string{"text", "line", "column", "end_line", "end_column"})
			}
			if len(r.Findings[i].Related) > 0 {
				want = append(want, "related")
				var rel []map[string]json.RawMessage
				if err := json.Unmarshal(f["related"], &rel); err != nil {
					t.Fatal(err)
				}
				for _, x := range rel {
					checkKeys(t, "related", x, []string{"file", "line", "column", "end_line", "end_column", "message"})
				}
			}
			checkKeys(t, "finding", f, want)
		}

		var summary map[string]json.RawMessage
		if err := json.Unmarshal(doc["summary"], &summary); err != nil {
			t.Fatal(err)
		}
		checkKeys(t, "summary", summary, contractSummaryKeys)
	}
}

func TestJSONValues(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, findingsReport()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []struct {
			Line, Column, EndLine, EndColumn int
			Severity, Rule, Message          string
		}
		Summary Summary
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if want := (Summary{Files: 3, Errors: 3, Warnings: 2, Infos: 1}); doc.Summary != want {
		t.Errorf("summary %+v, want %+v", doc.Summary, want)
	}
	if !bytes.Contains(b.Bytes(), []byte("<script>")) {
		t.Error("JSON output HTML-escapes <script>")
	}
}

func TestJSONUnsetEndIsStart(t *testing.T) {
	r := Report{Files: 1, Findings: []Diagnostic{{File: "a", Range: rng(3, 4, 0, 0), Severity: Error, Rule: "x"}}}
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte(`"end_line": 3,`)) || !bytes.Contains(b.Bytes(), []byte(`"end_column": 4,`)) {
		t.Errorf("unset end not closed at the start:\n%s", b.String())
	}
}

func checkKeys(t *testing.T, what string, m map[string]json.RawMessage, want []string) {
	t.Helper()
	got := make([]string, 0, len(m))
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("%s keys %v, want %v", what, got, want)
	}
}
