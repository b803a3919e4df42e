package main

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/safeio"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/diff"
	"github.com/journeykit/journey/pkg/eventlog"
	"github.com/journeykit/journey/pkg/format"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/render"
	"github.com/journeykit/journey/pkg/sim"
)

// docs/limits.md states the bounds the code enforces: a change of a bound
// without the doc fails here.
func TestLimitsDoc(t *testing.T) {
	data, err := os.ReadFile("../../docs/limits.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, want := range []string{
		"| a journey file | " + safeio.Bytes(load.MaxFileSize) + " |",
		"(found or `--config`) | " + safeio.Bytes(load.MaxConfigSize) + " |",
		"| a `--baseline` file | " + safeio.Bytes(lint.MaxBaselineSize) + " |",
		commas(load.MaxDepth) + " levels",
		commas(render.MaxLayoutElements) + " stages plus transitions",
		"layout cost (stages plus the estimated virtual nodes of long edges) of " + commas(render.MaxLayoutCost),
		commas(format.MaxNodes) + " YAML nodes",
		"loops of up to " + commas(sim.MaxLoop) + " stages",
		commas(diff.MaxMarkdown-diff.MarkerRoom) + " characters (" + commas(diff.MaxMarkdown) + " minus",
		commas(journey.ClosestBudget) + " units of work per lookup",
		"| " + safeio.Bytes(eventlog.MaxRecord) + " | a bad row",
		commas(conform.MaxDurations) + " moves",
		commas(corpusCPUSeconds) + " s of CPU",
		safeio.Bytes(corpusMemory) + " of memory",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/limits.md does not say %q", want)
		}
	}
}

// commas writes n with thousands separators: 65536 -> 65,536.
func commas(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
