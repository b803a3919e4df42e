package report

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/golden"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

func mustLoad(t *testing.T, path string) *journey.Journey {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := load.ParseJourney(filepath.Base(path), data)
	if f.Journey == nil {
		t.Fatalf("%s: %v", path, f.Diagnostics)
	}
	return f.Journey
}

func TestGoldenReports(t *testing.T) {
	for _, path := range []string{
		"../../examples/edtech/webinar-funnel.journey.yaml",
		"../../examples/higher-ed/university-applicant.journey.yaml",
		"../../examples/saas/retention.journey.yaml",
	} {
		j := mustLoad(t, path)
		got := Markdown(j, Options{Image: j.ID.Value + ".svg"})
		if again := Markdown(j, Options{Image: j.ID.Value + ".svg"}); !bytes.Equal(got, again) {
			t.Fatal("two reports of the same journey differ")
		}
		goldenPath := filepath.Join("testdata", j.ID.Value+".md")
		golden.Check(t, goldenPath, got)
	}
}

// Every table row keeps its columns whatever the names hold.
func TestHostileTableCells(t *testing.T) {
	hostile := []string{"a | b", "line\nbreak", "<script>alert(1)</script>", "`code` and **bold** [link](javascript:x)", "emoji 😀 and مرحبا", strings.Repeat("x", 2000)}
	j := &journey.Journey{ID: journey.Text{Value: "h"}, Title: "H | <b>", Phases: []*journey.Phase{{ID: journey.Text{Value: "p"}, Name: "P"}}}
	for i, h := range hostile {
		j.Stages = append(j.Stages, &journey.Stage{ID: journey.Text{Value: "s" + string(rune('a'+i))}, Name: h, Phase: journey.Text{Value: "p"},
			Owner: journey.Text{Value: h}, Pains: []string{h, h}})
	}
	j.Links = []journey.Link{{Title: "bad", URL: "javascript:alert(1)"}}
	md := string(Markdown(j, Options{Findings: []diag.Diagnostic{{File: "h", Rule: "dead-end", Severity: diag.Error, Message: "a | b\nc"}}}))
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|")
		if cells != 3 && cells != 5 && cells != 7 {
			t.Errorf("row with %d separators: %q", cells, line)
		}
	}
	for _, bad := range []string{"<script", "<b>"} {
		if strings.Contains(md, bad) {
			t.Errorf("report contains %q", bad)
		}
	}
	if regexp.MustCompile(`[^\\]\]\(javascript`).MatchString(md) {
		t.Error("a javascript: link survived")
	}
	if !strings.Contains(md, "- [bad](#)") {
		t.Error("the javascript: link target was not neutralised")
	}
}
