package main

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An XES log (IEEE 1849) gives the same conform report as the CSV log it
// was written from: traces are cases, concept:name the event,
// time:timestamp the time (issue 19).
func TestConformXESSameAsCSV(t *testing.T) {
	f, err := os.Open(workedEvents)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	attr := func(kind, key, value string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(value))
		return `<` + kind + ` key="` + key + `" value="` + b.String() + `"/>`
	}
	var x strings.Builder
	x.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1.0\">\n")
	order := []string{}
	byCase := map[string][][]string{}
	for _, r := range records[1:] {
		if _, ok := byCase[r[0]]; !ok {
			order = append(order, r[0])
		}
		byCase[r[0]] = append(byCase[r[0]], r)
	}
	for _, c := range order {
		x.WriteString("  <trace>\n    " + attr("string", "concept:name", c) + "\n")
		for _, r := range byCase[c] {
			x.WriteString("    <event>" + attr("string", "concept:name", r[1]) + attr("date", "time:timestamp", r[2]) + "</event>\n")
		}
		x.WriteString("  </trace>\n")
	}
	x.WriteString("</log>\n")
	xes := filepath.Join(t.TempDir(), "events.xes")
	write(t, xes, x.String())

	code, fromCSV, errOut := conformCLI(t, "", append([]string{"conform", workedJourney, "--events", workedEvents, "--format", "json"}, workedColumns...)...)
	if code != 0 {
		t.Fatalf("csv: exit %d %s", code, errOut)
	}
	code, fromXES, errOut := conformCLI(t, "", "conform", workedJourney, "--events", xes, "--format", "json")
	if code != 0 {
		t.Fatalf("xes: exit %d %s", code, errOut)
	}
	// Everything but the file, its format and the line numbers of bad
	// rows is the same.
	norm := func(doc string) string {
		var v map[string]any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatal(err)
		}
		delete(v, "events_file")
		delete(v, "input_format")
		samples, _ := v["bad_row_samples"].([]any)
		for _, s := range samples {
			delete(s.(map[string]any), "line")
		}
		out, _ := json.MarshalIndent(v, "", "  ")
		return string(out)
	}
	if !strings.Contains(fromXES, `"input_format": "xes"`) {
		t.Errorf("the XES log was not read as XES:\n%s", fromXES)
	}
	if a, b := norm(fromXES), norm(fromCSV); a != b {
		t.Errorf("the XES log gives another report:\n--- xes\n%s\n--- csv\n%s", a, b)
	}
}
