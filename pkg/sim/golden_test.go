package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	goldenfile "github.com/journeykit/journey/internal/golden"

	"github.com/journeykit/journey/pkg/load"
)

// The JSON of examples/saas/ebook-nurture.journey.yaml (loops, drop-off, a
// hand-off), compared with testdata/ebook-nurture.json: the same keys and
// strings, and numbers equal to 1e-12 (the last bits of a float may differ
// between CPUs). go test ./pkg/sim -run Golden -update rewrites it.
func TestGoldenEbookNurture(t *testing.T) {
	path := "../../examples/saas/ebook-nurture.journey.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := load.ParseJourney(path, data)
	if f.Journey == nil {
		t.Fatalf("%v", f.Diagnostics)
	}
	r, err := Simulate(f.Journey, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Write(&out, r, "json"); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "ebook-nurture.json")
	if goldenfile.Update() {
		goldenfile.Check(t, golden, out.Bytes())
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if err := SameJSON(out.Bytes(), want, 1e-12); err != nil {
		t.Errorf("differs from %s (go test ./pkg/sim -run Golden -update): %v\n%s", golden, err, out.Bytes())
	}
}

// SameJSON reports how two JSON documents differ, numbers compared within
// tol.
func SameJSON(got, want []byte, tol float64) error {
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Errorf("got: %v", err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		return fmt.Errorf("want: %v", err)
	}
	return sameValue("$", g, w, tol)
}

func sameValue(at string, g, w any, tol float64) error {
	switch w := w.(type) {
	case map[string]any:
		gm, ok := g.(map[string]any)
		if !ok || len(gm) != len(w) {
			return fmt.Errorf("%s: got %v, want %v", at, g, w)
		}
		for k, wv := range w {
			gv, ok := gm[k]
			if !ok {
				return fmt.Errorf("%s.%s missing", at, k)
			}
			if err := sameValue(at+"."+k, gv, wv, tol); err != nil {
				return err
			}
		}
	case []any:
		ga, ok := g.([]any)
		if !ok || len(ga) != len(w) {
			return fmt.Errorf("%s: got %v, want %v", at, g, w)
		}
		for i := range w {
			if err := sameValue(fmt.Sprintf("%s[%d]", at, i), ga[i], w[i], tol); err != nil {
				return err
			}
		}
	case float64:
		gf, ok := g.(float64)
		if !ok || math.Abs(gf-w) > tol*math.Max(1, math.Abs(w)) {
			return fmt.Errorf("%s: got %v, want %v", at, g, w)
		}
	default:
		if g != w {
			return fmt.Errorf("%s: got %v, want %v", at, g, w)
		}
	}
	return nil
}

// The worked example of docs/analytics.md, read from its file: the numbers
// solved by hand there.
func TestReengagementFile(t *testing.T) {
	path := filepath.Join("testdata", "reengagement.journey.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := load.ParseJourney(path, data)
	if f.Journey == nil || len(f.Diagnostics) > 0 {
		t.Fatalf("%v", f.Diagnostics)
	}
	r := simulate(t, f.Journey)
	up, unsub := outcomeOf(t, r, "upgrades"), outcomeOf(t, r, "unsubscribes")
	near(t, "P(upgrades)", up.Probability, 7.0/15)
	near(t, "P(unsubscribes)", unsub.Probability, 1.0/5)
	near(t, "drop-off", r.DropOff, 1.0/3)
	near(t, "visit gets-reminder", stageOf(t, r, "gets-reminder").VisitProbability, 0.5)
	near(t, "visits gets-offer", stageOf(t, r, "gets-offer").ExpectedVisits, 4.0/3)
	near(t, "E[T|upgrades]", *up.ExpectedTimeMinutes, 2880)
	near(t, "E[T|unsubscribes]", *unsub.ExpectedTimeMinutes, 4320)
	if *up.MedianTimeMinutes != 1440 || *unsub.MedianTimeMinutes != 2880 {
		t.Errorf("medians %d %d", *up.MedianTimeMinutes, *unsub.MedianTimeMinutes)
	}
	if e := r.BestEdge; e.From != "gets-offer" || e.To != "upgrades" {
		t.Errorf("best edge %+v", e)
	}
	near(t, "gain", r.BestEdge.Gain, 2.0/15)
}
