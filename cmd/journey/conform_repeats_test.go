package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// repeatsJourney has an entry, a stage with repeated page views and an
// outcome.
const repeatsJourney = `journey: shop
title: Shop
phases: [{id: p, name: P}]
stages:
  - {id: lands, name: Lands, phase: p, entry: true, events: [landing], next: [{to: views, rate: 0.6}]}
  - {id: views, name: Views a product, phase: p, events: [product_view], next: [{to: buys, rate: 0.1}]}
  - {id: buys, name: Buys, phase: p, outcome: success, events: [purchase]}
`

const repeatsEvents = `case_id,event,timestamp
a,landing,2024-05-01T10:00:00Z
a,product_view,2024-05-01T10:01:00Z
a,product_view,2024-05-01T10:02:00Z
a,product_view,2024-05-01T10:03:00Z
a,purchase,2024-05-01T10:11:00Z
b,product_view,2024-05-01T11:00:00Z
b,purchase,2024-05-01T11:05:00Z
`

// TestConformCollapseRepeatsCommand: --collapse-repeats merges the
// repeated product views (no views -> views self-move, the time to buy
// counted from the first view), in the report and in the --sql query;
// the case that starts at a product view is reported.
func TestConformCollapseRepeatsCommand(t *testing.T) {
	dir := t.TempDir()
	jf, ev := filepath.Join(dir, "shop.journey.yaml"), filepath.Join(dir, "events.csv")
	write(t, jf, repeatsJourney)
	write(t, ev, repeatsEvents)
	type report struct {
		Moves           int      `json:"moves"`
		Fitness         *float64 `json:"fitness"`
		CollapseRepeats bool     `json:"collapse_repeats"`
		CollapsedEvents int      `json:"collapsed_events"`
		NonEntryCases   int      `json:"non_entry_cases"`
		NonEntryStarts  []struct {
			Stage string `json:"stage"`
			Cases int    `json:"cases"`
		} `json:"non_entry_starts"`
		Samples []string `json:"non_entry_case_samples"`
		Edges   []struct {
			From   string   `json:"from"`
			To     string   `json:"to"`
			Median *float64 `json:"median_seconds"`
		} `json:"edges"`
	}
	runJSON := func(extra ...string) report {
		t.Helper()
		code, out, errOut := conformCLI(t, "", append([]string{"conform", jf, "--events", ev, "--format", "json"}, extra...)...)
		if code != 0 {
			t.Fatalf("exit %d %s", code, errOut)
		}
		var r report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	plain := runJSON()
	if plain.Moves != 5 || plain.CollapseRepeats || *plain.Fitness != 3.0/5 {
		t.Errorf("plain: moves %d fitness %v", plain.Moves, *plain.Fitness)
	}
	r := runJSON("--collapse-repeats")
	if r.Moves != 3 || !r.CollapseRepeats || r.CollapsedEvents != 2 || *r.Fitness != 1 {
		t.Errorf("collapsed: moves %d collapsed %d fitness %v", r.Moves, r.CollapsedEvents, *r.Fitness)
	}
	for _, e := range r.Edges {
		if e.From == "views" && e.To == "buys" && *e.Median != 450 {
			t.Errorf("views -> buys median %v, want 450 (a: 10 minutes from the first view, b: 5)", *e.Median)
		}
	}
	if r.NonEntryCases != 1 || len(r.NonEntryStarts) != 1 || r.NonEntryStarts[0].Stage != "views" || len(r.Samples) != 1 || r.Samples[0] != "b" {
		t.Errorf("non-entry starts: %d %+v %q", r.NonEntryCases, r.NonEntryStarts, r.Samples)
	}
	code, out, errOut := conformCLI(t, "", "conform", jf, "--events", ev, "--collapse-repeats")
	if code != 0 || !strings.Contains(out, "Repeats collapsed (--collapse-repeats): 2 repeated events merged into their visits") ||
		!strings.Contains(out, "Cases starting at a stage that is not an entry: 1 (views 1; cases b)") {
		t.Errorf("text: exit %d %s\n%s", code, errOut, out)
	}
	// --sql --collapse-repeats: the query collapses too.
	code, out, errOut = conformCLI(t, "", "conform", jf, "--sql", "sqlite", "--table", "events", "--collapse-repeats")
	if code != 0 || !strings.Contains(out, "stage_visits AS (") || !strings.Contains(out, "(--collapse-repeats)") {
		t.Errorf("--sql --collapse-repeats: exit %d %s\n%s", code, errOut, out)
	}
	code, out, _ = conformCLI(t, "", "conform", jf, "--sql", "sqlite", "--table", "events")
	if code != 0 || strings.Contains(out, "stage_visits") || !strings.Contains(out, "AS on_map") {
		t.Errorf("--sql: exit %d\n%s", code, out)
	}
	// A table named like a step of the query needs its schema.
	code, _, errOut = conformCLI(t, "", "conform", jf, "--sql", "sqlite", "--table", "moves")
	if code != 2 || !strings.Contains(errOut, "SCHEMA.moves") {
		t.Errorf("--table moves: exit %d %s", code, errOut)
	}
}

// TestConformCompletesEventLogs: the --events file completes to the
// extensions of the logs conform reads, XES included.
func TestConformCompletesEventLogs(t *testing.T) {
	for _, cmd := range []string{"conform", "attribute"} {
		code, out, errOut := conformCLI(t, "", "__complete", cmd, workedJourney, "--events", "")
		if code != 0 {
			t.Fatalf("%s: exit %d %s", cmd, code, errOut)
		}
		for _, ext := range []string{"csv", "jsonl", "xes", "gz"} {
			if !strings.Contains(out, ext+"\n") {
				t.Errorf("%s --events: %s missing:\n%s", cmd, ext, out)
			}
		}
	}
}
