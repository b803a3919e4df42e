package diff

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/journeykit/journey/pkg/journey"
)

// journeys makes n journeys whose ids are id(i), with one stage each.
func journeys(n int, id func(int) string) []*journey.Journey {
	js := make([]*journey.Journey, n)
	for i := range js {
		js[i] = &journey.Journey{ID: journey.Text{Value: id(i)}, File: fmt.Sprintf("j%d.journey.yaml", i),
			Stages: []*journey.Stage{{ID: journey.Text{Value: "a"}, Name: "A"}}}
	}
	return js
}

var cutNoteRE = regexp.MustCompile(`^> \*\*Cut:\*\* (?:(\d+) of the (\d+) journeys are not in the table and )?the details of (\d+) journeys? are left out`)

// checkBudget checks the comment is within the limit with room for the
// action's marker, and returns how many table rows it has and its last
// line.
func checkBudget(t *testing.T, md string) (rows int, last string) {
	t.Helper()
	if n := utf8.RuneCountInString(md); n > MaxMarkdown-MarkerRoom {
		t.Fatalf("%d characters, over %d", n, MaxMarkdown-MarkerRoom)
	}
	if n := utf8.RuneCountInString(md + "<!-- journey-diff -->\n"); n > MaxMarkdown {
		t.Fatalf("with the marker: %d characters, over %d", n, MaxMarkdown)
	}
	lines := strings.Split(strings.TrimSuffix(md, "\n"), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "| ⚠️ `") || strings.HasPrefix(l, "| `") {
			rows++
		}
	}
	return rows, lines[len(lines)-1]
}

// Repro 11: 1,500 removed journeys gave 93,680 characters, the summary
// table alone being over the limit. Now the table keeps the rows that fit
// and the last line says how many were left out; so for 20,000.
func TestMarkdownBudgetManyJourneys(t *testing.T) {
	for _, n := range []int{1500, 20000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			old := journeys(n, func(i int) string { return fmt.Sprintf("journey-with-a-long-identifier-%d", i) })
			r := Compare(Version{Journeys: old}, Version{})
			var b bytes.Buffer
			if err := WriteMarkdown(&b, r); err != nil {
				t.Fatal(err)
			}
			rows, last := checkBudget(t, b.String())
			m := cutNoteRE.FindStringSubmatch(last)
			if m == nil {
				t.Fatalf("last line is not the note of what was left out: %q", last)
			}
			if m[1] != fmt.Sprint(n-rows) || m[2] != fmt.Sprint(n) {
				t.Errorf("note %q; the table has %d of %d rows", last, rows, n)
			}
			if rows < 500 {
				t.Errorf("only %d rows in the table", rows)
			}
		})
	}
}

// Very long ids, stage names and messages are cut in every place, so a
// few journeys still all fit, with their details.
func TestMarkdownBudgetLongIDs(t *testing.T) {
	long := func(i int) string { return fmt.Sprintf("%d-", i) + strings.Repeat("é", 100000) }
	old := journeys(20, long)
	nw := journeys(20, long)
	for _, j := range nw {
		j.Stages[0].Name = strings.Repeat("Ω", 200000)
		j.Stages = append(j.Stages, &journey.Stage{ID: journey.Text{Value: strings.Repeat("s", 100000)}, Name: "B"})
	}
	r := Compare(Version{Journeys: old}, Version{Journeys: nw})
	var b bytes.Buffer
	WriteMarkdown(&b, r)
	md := b.String()
	rows, last := checkBudget(t, md)
	if rows != 20 {
		t.Errorf("%d rows in the table, want all 20", rows)
	}
	if strings.Contains(md, strings.Repeat("é", maxIDRunes)) || strings.Contains(md, strings.Repeat("Ω", maxMessageRunes)) {
		t.Error("a long id or name is not cut")
	}
	if !strings.Contains(md, "é…`") {
		t.Error("a cut id does not end with …")
	}
	if !strings.HasPrefix(last, "> **Cut:**") && strings.Count(md, "### `") != 20 {
		t.Errorf("details of %d journeys and no note; last line %q", strings.Count(md, "### `"), last)
	}
}

// A comment that fits is not cut and has no note.
func TestMarkdownNoNoteWhenAllFits(t *testing.T) {
	r := Compare(Version{Journeys: journeys(3, func(i int) string { return fmt.Sprint("j", i) })}, Version{})
	var b bytes.Buffer
	WriteMarkdown(&b, r)
	md := b.String()
	if strings.Contains(md, "Cut:") || strings.Count(md, "### `") != 3 {
		t.Errorf("comment:\n%s", md)
	}
}

// The budget holds for any limit: the comment is cut on a smaller one.
func TestMarkdownBudgetAnyLimit(t *testing.T) {
	old, nw := syntheticChanged(300)
	r := compare(t, old, nw)
	for _, limit := range []int{1000, 3000, 10000, 40000} {
		md := markdown(r, limit)
		if n := utf8.RuneCountInString(md); n > limit {
			t.Errorf("limit %d: %d characters", limit, n)
		}
	}
}
