package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// diff --format html: the page of the new map with the changes marked and
// listed, linked to their stages; -o FILE.html; several journeys refused.
func TestDiffHTMLFormat(t *testing.T) {
	dir := t.TempDir()
	oldF, newF := filepath.Join(dir, "old.journey.yaml"), filepath.Join(dir, "new.journey.yaml")
	write(t, oldF, validJourney)
	write(t, newF, strings.Replace(validJourney, "    next: [buys]\n", "    next: [buys, asks]\n  - id: asks\n    name: Asks a <question>\n    phase: start\n    next: [buys]\n", 1))
	code, out, errOut := runCLI(t, "", "diff", oldF, newF, "--format", "html")
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") {
		t.Fatalf("exit %d, stderr %q, %.100q", code, errOut, out)
	}
	m := regexp.MustCompile(`(?s)id="journey-data">(.*?)</script>`).FindStringSubmatch(out)
	var d struct {
		Changes []struct{ Kind, Class, Stage string } `json:"changes"`
		Marks   map[string]string                     `json:"stage_marks"`
	}
	if m == nil || json.Unmarshal([]byte(m[1]), &d) != nil {
		t.Fatal("no page data")
	}
	found := false
	for _, c := range d.Changes {
		if c.Kind == "stage-added" && c.Stage == "asks" && c.Class == "added" {
			found = true
		}
	}
	if !found || d.Marks["asks"] != "added" {
		t.Errorf("the added stage is not listed and marked: %+v %v", d.Changes, d.Marks)
	}
	if !strings.Contains(out, `class="node added"`) && !strings.Contains(out, `class="node added`) {
		t.Error("the flow does not mark the added stage")
	}
	page := filepath.Join(dir, "diff.html")
	if code, out, errOut := runCLI(t, "", "diff", oldF, newF, "--format", "html", "-o", page); code != 0 || out != "" {
		t.Fatalf("-o diff.html: exit %d, stdout %.40q, stderr %q", code, out, errOut)
	}
	if b, err := os.ReadFile(page); err != nil || !strings.Contains(string(b), "stage-added") {
		t.Errorf("-o diff.html: %v", err)
	}
	if code, _, errOut := runCLI(t, "", "diff", oldF, newF, "--format", "svg"); code != 2 || !strings.Contains(errOut, "or html") {
		t.Errorf("--format svg: exit %d, %q", code, errOut)
	}
}
