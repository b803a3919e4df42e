package conform_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/pkg/conform"
)

// repeatsLog has repeated stages (a's three tries, b's two) and cases
// that start at stages that are not entries (b and 9 at try, c at won,
// 10 at lost).
const repeatsLog = `case_id,event,timestamp
a,signup,2024-05-01T10:00:00Z
a,try,2024-05-01T11:00:00Z
a,try,2024-05-01T11:30:00Z
a,try,2024-05-01T12:00:00Z
a,paid,2024-05-01T13:00:00Z
b,try,2024-05-01T10:00:00Z
b,try,2024-05-01T10:05:00Z
b,paid,2024-05-01T11:00:00Z
c,paid,2024-05-01T09:00:00Z
10,lost,2024-05-01T09:00:00Z
9,try,2024-05-01T09:00:00Z
`

// TestCollapseRepeats: --collapse-repeats merges consecutive events of one
// stage into one visit at the time of its first event; without it they
// are self-moves.
func TestCollapseRepeats(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.Synthetic))
	plain := mustRun(t, m, repeatsLog, conform.Options{})
	if plain.Moves != 6 || eventgen.Moves(plain)[[2]string{"try", "try"}] != 3 || plain.CollapseRepeats || plain.CollapsedEvents != 0 {
		t.Errorf("without collapsing: moves %d %v", plain.Moves, eventgen.Moves(plain))
	}
	r := mustRun(t, m, repeatsLog, conform.Options{CollapseRepeats: true})
	want := map[[2]string]int64{{"start", "try"}: 1, {"try", "won"}: 2}
	if got := eventgen.Moves(r); !reflect.DeepEqual(got, want) {
		t.Errorf("collapsed moves %v, want %v", got, want)
	}
	if r.Moves != 3 || r.CollapsedEvents != 3 || !r.CollapseRepeats || r.MappedEvents != 11 || r.Cases != 5 {
		t.Errorf("moves %d collapsed %d mapped %d cases %d", r.Moves, r.CollapsedEvents, r.MappedEvents, r.Cases)
	}
	for _, s := range r.Stages {
		if s.Stage == "try" && s.Reached != 3 {
			t.Errorf("try reached %d times, want 3 visits (a, b, 9)", s.Reached)
		}
	}
	for _, e := range r.Edges {
		if e.From == "try" && e.To == "won" {
			// From the first try of each visit: a 11:00 -> 13:00, b 10:00 -> 11:00.
			if *e.MedianSeconds != 5400 || *e.ObservedRate != 2.0/3 {
				t.Errorf("try -> won: median %v rate %v", *e.MedianSeconds, *e.ObservedRate)
			}
		}
		if e.From == "try" && e.To == "try" && e.Observed != 0 {
			t.Errorf("a self-move is left: %+v", e)
		}
	}
	var text bytes.Buffer
	if err := conform.Write(&text, r, "text"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "Repeats collapsed (--collapse-repeats): 3 repeated events merged into their visits") {
		t.Errorf("text:\n%s", text.String())
	}
}

// TestNonEntryStarts: cases whose first mapped event is at a stage that
// is not an entry are counted, by stage, and the first ids named, in
// every reading of the log and in every output format.
func TestNonEntryStarts(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.Synthetic))
	r := mustRun(t, m, repeatsLog, conform.Options{})
	if r.NonEntryCases != 4 {
		t.Errorf("non-entry cases %d, want 4", r.NonEntryCases)
	}
	if want := []conform.StageCases{{Stage: "try", Cases: 2}, {Stage: "won", Cases: 1}, {Stage: "lost", Cases: 1}}; !reflect.DeepEqual(r.NonEntryStarts, want) {
		t.Errorf("by stage %+v, want %+v", r.NonEntryStarts, want)
	}
	if want := []string{"9", "10", "b", "c"}; !slices.Equal(r.NonEntryCaseSamples, want) {
		t.Errorf("samples %q, want %q", r.NonEntryCaseSamples, want)
	}
	// In any order of the rows, streamed, sorted in memory or on disk.
	lines := strings.Split(strings.TrimSuffix(repeatsLog, "\n"), "\n")
	rng := rand.New(rand.NewPCG(7, 8))
	saved := *conform.MinSortRecs
	*conform.MinSortRecs = 2
	defer func() { *conform.MinSortRecs = saved }()
	for i := 0; i < 20; i++ {
		rows := slices.Clone(lines[1:])
		rng.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		log := lines[0] + "\n" + strings.Join(rows, "\n") + "\n"
		for _, mem := range []int64{0, 1} {
			rs := mustRun(t, m, log, conform.Options{SortMemory: mem})
			if rs.NonEntryCases != r.NonEntryCases || !reflect.DeepEqual(rs.NonEntryStarts, r.NonEntryStarts) || !slices.Equal(rs.NonEntryCaseSamples, r.NonEntryCaseSamples) {
				t.Fatalf("another order (%s) gives %d %+v %q", rs.InputOrder, rs.NonEntryCases, rs.NonEntryStarts, rs.NonEntryCaseSamples)
			}
		}
	}
	// Outputs: text, Markdown (ids escaped), JSON.
	var text, md, js bytes.Buffer
	for f, b := range map[string]*bytes.Buffer{"text": &text, "markdown": &md, "json": &js} {
		if err := conform.Write(b, r, f); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(text.String(), "Cases starting at a stage that is not an entry: 4 (try 2, won 1, lost 1; cases 9, 10, b, c)") {
		t.Errorf("text:\n%s", text.String())
	}
	if !strings.Contains(md.String(), "Cases starting at a stage that is not an entry: 4 (`try` 2, `won` 1, `lost` 1; cases `9`, `10`, `b`, `c`)") {
		t.Errorf("markdown:\n%s", md.String())
	}
	for _, key := range []string{`"non_entry_cases": 4`, `"non_entry_starts": [`, `"stage": "try",`, `"non_entry_case_samples": [`} {
		if !strings.Contains(js.String(), key) {
			t.Errorf("json lacks %s:\n%s", key, js.String())
		}
	}
	// Many cases: the ten smallest ids, then "…"; hostile ids escaped.
	var b strings.Builder
	b.WriteString("case_id,event,timestamp\n")
	for i := 30; i > 0; i-- {
		fmt.Fprintf(&b, "%d,try,2024-05-01T10:00:00Z\n", i)
	}
	b.WriteString("\"x|`y\x1b[31m\",try,2024-05-01T10:00:00Z\n")
	many := mustRun(t, m, b.String(), conform.Options{})
	if many.NonEntryCases != 31 || len(many.NonEntryCaseSamples) != 10 || many.NonEntryCaseSamples[0] != "1" || many.NonEntryCaseSamples[9] != "10" {
		t.Errorf("31 cases: %d %q", many.NonEntryCases, many.NonEntryCaseSamples)
	}
	// The hostile id alone.
	one := mustRun(t, m, "case_id,event,timestamp\n\"x|`y\x1b[31m\",try,2024-05-01T10:00:00Z\n", conform.Options{})
	text.Reset()
	md.Reset()
	_ = conform.Write(&text, one, "text")
	_ = conform.Write(&md, one, "markdown")
	if strings.Contains(text.String(), "\x1b") || !strings.Contains(text.String(), `cases "x|`+"`"+`y\x1b[31m")`) {
		t.Errorf("text with a hostile id:\n%q", text.String())
	}
	if strings.Contains(md.String(), "\x1b") || strings.Contains(md.String(), "x|") {
		t.Errorf("markdown with a hostile id:\n%q", md.String())
	}
	// A long id is cut in the report.
	long := mustRun(t, m, "case_id,event,timestamp\n"+strings.Repeat("x", 300)+",try,2024-05-01T10:00:00Z\n", conform.Options{})
	if len(long.NonEntryCaseSamples) != 1 || long.NonEntryCaseSamples[0] != strings.Repeat("x", 200)+"… (300 bytes)" {
		t.Errorf("a long id: %q", long.NonEntryCaseSamples)
	}
	// A journey without an entry stage is not checked.
	noEntry := eventgen.Map(t, eventgen.FromYAML(t, strings.Replace(eventgen.TwoStages, "entry: true, ", "", 1)))
	ne := mustRun(t, noEntry, "case_id,event,timestamp\nu,b,2024-05-01T10:00:00Z\n", conform.Options{})
	if ne.NonEntryCases != 0 || len(ne.NonEntryStarts) != 0 || ne.NonEntryCaseSamples == nil {
		t.Errorf("no entry stage: %d %+v %v", ne.NonEntryCases, ne.NonEntryStarts, ne.NonEntryCaseSamples)
	}
}
