package canvas

import (
	"bytes"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
)

// joined reports whether a transition of this journey goes from stage a
// to stage b.
func joined(a, b *journey.Stage) bool {
	for _, t := range a.Next {
		if t != nil && !t.IsHandoff() && t.To.Value == b.ID.Value {
			return true
		}
	}
	return false
}

// checkCurves asserts that every line of every emotion curve joins two
// stages only where a transition joins them (forward: left to right), that
// every stub starts at a point of the curve and leads towards a stage
// without a value along a transition, that every drawn point is a stage
// with a value, and that the drawn polylines are the runs.
func checkCurves(t *testing.T, sh *sheet) {
	t.Helper()
	if sh.emo == nil {
		return
	}
	for _, c := range sh.emo.curves {
		if len(c.segs) != len(c.runs) || len(c.branch) != len(c.runs) || len(c.stubPt) != len(c.stubs) {
			t.Fatalf("curve %q: %d polylines for %d runs", c.name, len(c.segs), len(c.runs))
		}
		for ri, run := range c.runs {
			if len(run) < 2 || len(c.segs[ri]) != len(run) {
				t.Errorf("curve %q: run %v drawn as %v", c.name, run, c.segs[ri])
			}
			for i, ci := range run {
				col := sh.cols[ci]
				if col.stage == nil || !c.has[ci] {
					t.Errorf("curve %q: line through column %d, which has no value", c.name, ci)
					continue
				}
				if x := c.segs[ri][i].x; x < col.x || x > col.x+col.w {
					t.Errorf("curve %q: point %d of a line at x %.1f is outside its column %+v", c.name, i, x, col)
				}
				if i == 0 {
					continue
				}
				prev := sh.cols[run[i-1]]
				if !joined(prev.stage, col.stage) {
					t.Errorf("curve %q joins %s and %s, which no transition joins", c.name, prev.stage.ID.Value, col.stage.ID.Value)
				}
				if run[i-1] >= ci {
					t.Errorf("curve %q goes backwards from %s to %s", c.name, prev.stage.ID.Value, col.stage.ID.Value)
				}
			}
		}
		// No point stands alone when a forward transition joins its stage
		// to another drawn stage: it is on a line or starts a stub.
		touched := map[int]bool{}
		for _, r := range c.runs {
			for _, ci := range r {
				touched[ci] = true
			}
		}
		for _, st := range c.stubs {
			touched[st[0]] = true
		}
		for a, ca := range sh.cols {
			for b, cb := range sh.cols {
				if ca.stage == nil || cb.stage == nil || a == b || !joined(ca.stage, cb.stage) {
					continue
				}
				lo, hi := min(a, b), max(a, b)
				if a < b && (c.has[lo] && !touched[lo] || c.has[hi] && !touched[hi]) {
					t.Errorf("curve %q: a point alone at %s or %s, which a transition joins", c.name, ca.stage.ID.Value, cb.stage.ID.Value)
				}
			}
		}
		for _, st := range c.stubs {
			from, to := sh.cols[st[0]], sh.cols[st[1]]
			if !c.has[st[0]] || c.has[st[1]] {
				t.Errorf("curve %q: stub %v not from a value towards a gap", c.name, st)
			}
			if !joined(from.stage, to.stage) && !joined(to.stage, from.stage) {
				t.Errorf("curve %q: stub from %s towards %s, which no transition joins", c.name, from.stage.ID.Value, to.stage.ID.Value)
			}
		}
	}
}

func TestEmotionFollowsTransitions(t *testing.T) {
	for _, g := range goldens {
		j := loadJourney(t, filepath.Join("testdata", g.file))
		checkCurves(t, layout(j, Options{Persona: g.persona, Phases: g.phases}))
	}
	checkCurves(t, layout(parse(t, hostileJourney()), Options{}))
	examples, _ := filepath.Glob("../../../examples/*/*.journey.yaml")
	if len(examples) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range examples {
		checkCurves(t, layout(loadJourney(t, f), Options{}))
	}

	// Branches: a -> b -> d is the main path (b has the higher rate), a ->
	// c -> d a branch of its own; e has no emotion: a gap with stubs, and
	// f after it is not joined to d; g is only reached by a loop back from
	// f to b and by nothing else, so it is a point alone.
	j := parse(t, `journey: x
title: X
phases: [{id: p, name: P}]
stages:
  - {id: a, name: A, phase: p, entry: true, emotion: 0, next: [{to: c, rate: 0.3}, {to: b, rate: 0.6}]}
  - {id: c, name: C, phase: p, emotion: -2, next: [d]}
  - {id: b, name: B, phase: p, emotion: 1, next: [d]}
  - {id: d, name: D, phase: p, emotion: 2, next: [e]}
  - {id: e, name: E, phase: p, next: [f]}
  - {id: f, name: F, phase: p, emotion: -1, next: [b, {journey: other, to: z}]}
  - {id: g, name: G, phase: p, emotion: 1}
`)
	sh := layout(j, Options{})
	checkCurves(t, sh)
	c := sh.emo.curves[0]
	ids := func(run []int) string {
		var out []string
		for _, ci := range run {
			out = append(out, sh.cols[ci].stage.ID.Value)
		}
		return strings.Join(out, " ")
	}
	var runs []string
	for i, r := range c.runs {
		runs = append(runs, fmt.Sprintf("%s%v", ids(r), map[bool]string{true: "(branch)", false: ""}[c.branch[i]]))
	}
	if got := strings.Join(runs, " | "); got != "a b d | a c d(branch)" {
		t.Errorf("lines %q, want the main path a b d, then the branch a c d", got)
	}
	var stubs []string
	for _, st := range c.stubs {
		stubs = append(stubs, sh.cols[st[0]].stage.ID.Value+">"+sh.cols[st[1]].stage.ID.Value)
	}
	if got := strings.Join(stubs, " "); got != "d>e f>e" {
		t.Errorf("stubs %q, want d>e f>e", got)
	}
	// Every value is drawn as a point, g's too.
	if len(sh.emo.marks) != 6 {
		t.Errorf("%d points, want 6", len(sh.emo.marks))
	}
	svg, _ := SVG(j, Options{})
	if n := bytes.Count(svg, []byte(`stroke-dasharray="2 3"/>`)); n != 2 {
		t.Errorf("%d stubs drawn, want 2", n)
	}
}

// TestEmotionRandomGraphs checks the curve on random journeys: random
// transitions (loops, skips, self-loops, duplicates), random gaps.
func TestEmotionRandomGraphs(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 200; n++ {
		var b strings.Builder
		b.WriteString("journey: x\ntitle: X\npersonas: [{id: p1, name: One}, {id: p2, name: Two}]\nphases: [{id: p, name: P}, {id: q, name: Q}]\nstages:\n")
		k := 1 + r.Intn(9)
		for i := 0; i < k; i++ {
			fmt.Fprintf(&b, "  - id: s%d\n    name: S%d\n    phase: %s\n", i, i, []string{"p", "q"}[r.Intn(2)])
			if i == 0 {
				b.WriteString("    entry: true\n")
			}
			switch r.Intn(3) {
			case 0:
				fmt.Fprintf(&b, "    emotion: %d\n", r.Intn(5)-2)
			case 1:
				fmt.Fprintf(&b, "    emotion: {p1: %d}\n", r.Intn(5)-2)
			}
			if m := r.Intn(4); m > 0 {
				b.WriteString("    next:\n")
				for e := 0; e < m; e++ {
					fmt.Fprintf(&b, "      - {to: s%d, rate: 0.%d}\n", r.Intn(k), r.Intn(10))
				}
			}
		}
		j := parse(t, b.String())
		for _, o := range []Options{{}, {Persona: "p1"}, {Phases: []string{"q"}}} {
			sh := layout(j, o)
			checkCurves(t, sh)
			checkLayout(t, sh)
			if t.Failed() {
				t.Fatalf("journey:\n%s", b.String())
			}
		}
	}
}

func TestGraphLanes(t *testing.T) {
	j := parse(t, `journey: x
title: X
personas: [{id: pro1, name: Professional buyer}]
channels: [{id: cs1, name: The corner shop}]
phases: [{id: p, name: First}, {id: q, name: Second phase}]
stages:
  - id: a
    name: Asks
    phase: p
    entry: true
    channel: cs1
    personas: [pro1]
    touchpoints: [{channel: cs1, action: Hands over a leaflet}, {channel: email, action: Sends a mail}]
    next:
      - {to: b, when: says yes, after: 2d, rate: 0.25}
      - {to: lost, when: says no, rate: 0.125}
      - {journey: other, to: start}
  - id: b
    name: Buys
    phase: q
    outcome: success
  - id: lost
    name: Leaves
    phase: p
    outcome: failure
    reasons:
      - {id: price, name: Too expensive, next: b}
      - {id: plain}
`)
	sh := layout(j, Options{})
	checkLayout(t, sh)
	var keys []string
	for _, l := range sh.lanes {
		keys = append(keys, l.key)
	}
	if got := strings.Join(keys, ","); got != "stage,touchpoints,next,reasons" {
		t.Errorf("lanes %s: lanes without content are drawn", got)
	}
	text := func(sh *sheet, key string) string {
		for _, l := range sh.lanes {
			if l.key == key {
				var out []string
				for _, c := range l.cells {
					for _, ln := range c.c.lines {
						out = append(out, ln.text)
					}
				}
				return strings.Join(out, " ")
			}
		}
		return ""
	}
	for key, want := range map[string][]string{
		"stage":       {"only for Professional buyer"},
		"touchpoints": {"The corner shop", "email"},
		"next":        {"→ Buys", "when says yes · after 2d · 25%", "→ Leaves", "when says no · 12.5%", "→ start", "in journey other"},
		"reasons":     {"Too expensive", "then →", "Buys", "plain"},
	} {
		got := text(sh, key)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("lane %s: no %q in %q", key, w, got)
			}
		}
		if strings.Contains(got, "cs1") || strings.Contains(got, "pro1") {
			t.Errorf("lane %s shows an id: %q", key, got)
		}
	}
	// The hand-off has no rate: no drop-off. Without it: 62.5% drop off.
	if strings.Contains(text(sh, "next"), "drop off") {
		t.Error("drop-off shown though a transition has no rate")
	}
	j.Stages[0].Next = j.Stages[0].Next[:2]
	if got := text(layout(j, Options{}), "next"); !strings.Contains(got, "62.5% drop off") {
		t.Errorf("next lane %q: no drop-off", got)
	}

	// Cut to the first phase: b is not drawn, and its phase is named.
	cut := layout(j, Options{Phases: []string{"p"}})
	checkLayout(t, cut)
	if len(cut.groups) != 1 || len(cut.cols) != 2 {
		t.Fatalf("cut: %d phases, %d columns", len(cut.groups), len(cut.cols))
	}
	for _, key := range []string{"next", "reasons"} {
		if got := text(cut, key); !strings.Contains(got, "continues in Second") {
			t.Errorf("cut lane %s %q does not say where the journey continues", key, got)
		}
	}
	// Cut and filtered: a stage of a phase kept that the persona does not
	// pass is off the persona's path, not in another phase.
	j.Stages[2].Personas = []journey.Text{{Value: "pro1"}}
	j.Personas = append(j.Personas, &journey.Persona{ID: journey.Text{Value: "other"}})
	j.Stages[0].Personas = nil
	both := layout(j, Options{Phases: []string{"p"}, Persona: "other"})
	if got := text(both, "stage"); strings.Contains(got, "Leaves") {
		t.Errorf("stage lane %q draws a stage the persona does not pass", got)
	}
	if got := text(both, "next"); strings.Contains(got, "Leaves") || !strings.Contains(got, "continues in Second") {
		t.Errorf("next lane %q", got)
	}
	if got := strings.Join(func() []string {
		var out []string
		for _, l := range cut.head.lines {
			out = append(out, l.text)
		}
		return out
	}(), " "); !strings.Contains(got, "2 stages in 1 of 2 phases") {
		t.Errorf("title %q does not say the map is cut", got)
	}
}
