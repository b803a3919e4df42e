package lsp

import (
	"fmt"
	"maps"
	"math/rand"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/diag"
)

// The findings kept for open files that were not checked again equal those
// of checking everything, after any sequence of edits.
func TestLintCacheEqualsFullCheck(t *testing.T) {
	dir := testWorkspace(t)
	third := strings.NewReplacer("journey: sales", "journey: upsell", "talks-to-sales", "offers-upsell", "signs", "upgrades").Replace(testSales)
	writeFiles(t, dir, map[string]string{"upsell.journey.yaml": third})
	docs := map[string]string{
		filepath.Join(dir, "trial.journey.yaml"):       testTrial,
		filepath.Join(dir, "sales/sales.journey.yaml"): testSales,
		filepath.Join(dir, "upsell.journey.yaml"):      third,
		filepath.Join(dir, ".journey.yaml"):            testConfig,
	}
	mutations := [][2]string{
		{"journey: sales\n", "journey: upsell\n"},
		{"journey: upsell\n", "journey: sales\n"},
		{"id: talks-to-sales", "id: talks"},
		{"id: talks\n", "id: talks-to-sales\n"},
		{"journey: sales}", "journey: upsell}"},
		{"journey: upsell}", "journey: sales}"},
		{"{to: talks-to-sales,", "{to: signs,"},
		{"{to: signs,", "{to: talks-to-sales,"},
		{"title: Sales\n", "title: Sales\nstatus: retired\n"},
		{"status: retired\n", ""},
		{"unused-persona: off", "unused-persona: error"},
		{"unused-persona: error", "unused-persona: off"},
		{"teams: [growth, sales]", "teams: [growth]"},
		{"teams: [growth]", "teams: [growth, sales]"},
		{"    next: [signs]\n", "    next: [signs] # journey-lint: disable=dead-end\n"},
		{"title: Free trial\n", "title: Free trial\n\n"},
	}
	st := newState()
	st.init(dir, InitializationOptions{}, func(string, ...any) {})
	paths := slices.Sorted(maps.Keys(docs))
	for _, p := range paths {
		st.open(pathToURI(p), 1, []byte(docs[p]))
	}
	r := rand.New(rand.NewSource(1))
	for step := 0; step < 300; step++ {
		p := paths[r.Intn(len(paths))]
		m := mutations[r.Intn(len(mutations))]
		if !strings.Contains(docs[p], m[0]) {
			continue
		}
		docs[p] = strings.Replace(docs[p], m[0], m[1], 1)
		st.change(pathToURI(p), int32(step+2), []TextDocumentContentChangeEvent{{Text: docs[p]}})
		got := findingsOf(st)

		fresh := newState()
		fresh.init(dir, InitializationOptions{}, func(string, ...any) {})
		for _, q := range paths {
			fresh.open(pathToURI(q), 1, []byte(docs[q]))
		}
		want := findingsOf(fresh)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d (%s in %s):\ncached:\n%s\nfull:\n%s", step, m, filepath.Base(p), fmtFindings(got), fmtFindings(want))
		}
	}
}

func findingsOf(st *state) map[string][]diag.Diagnostic {
	sn := st.snapshot()
	out := map[string][]diag.Diagnostic{}
	for abs := range st.docs {
		if f := sn.files[abs]; f != nil {
			out[filepath.Base(abs)] = f.set.findings[abs]
		}
	}
	return out
}

func fmtFindings(m map[string][]diag.Diagnostic) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		for _, d := range m[k] {
			fmt.Fprintf(&b, "%s %v %s %s %v\n", k, d.Range, d.Rule, d.Message, d.Related)
		}
	}
	return b.String()
}
