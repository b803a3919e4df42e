package diff

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/golden"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/render"
)

const base = `# a comment
journey: trial
title: Free trial
owner: growth
personas: [{id: founder, name: Founder}]
phases:
  - {id: signup, name: Sign-up}
  - {id: activation, name: Activation}
stages:
  - id: starts-trial
    name: Starts a trial
    phase: signup
    entry: true
    touchpoints:
      - {channel: email, action: Send the welcome e-mail, utm: {source: email, medium: esp, campaign: trial-2024-05}}
      - {channel: sms, action: Send the login link}
    next:
      - {to: invites-team, when: invites a colleague, after: 2d, rate: 0.4}
      - {to: pays, when: upgrades, rate: 0.3}
  - id: invites-team
    name: Invites the team
    phase: activation
    events: [team_invited]
    next: [pays]
  - id: pays
    name: Pays
    phase: activation
    outcome: success
  - id: churns
    name: Lets the trial expire
    phase: activation
    outcome: failure
    reasons: [{id: price, name: Too expensive, next: starts-trial}]
`

func parse(t testing.TB, src string) *journey.Journey {
	t.Helper()
	f := load.ParseJourney("trial.journey.yaml", []byte(src))
	if f.Journey == nil {
		t.Fatalf("%v", f.Diagnostics)
	}
	return f.Journey
}

func compare(t testing.TB, old, new string) *Result {
	t.Helper()
	return Compare(Version{Journeys: []*journey.Journey{parse(t, old)}}, Version{Journeys: []*journey.Journey{parse(t, new)}})
}

func TestNoChange(t *testing.T) {
	cases := map[string]string{
		"identical": base,
		"reordered stages": strings.Replace(strings.Replace(base, "  - id: pays\n    name: Pays\n    phase: activation\n    outcome: success\n", "", 1),
			"stages:\n", "stages:\n  - id: pays\n    name: Pays\n    phase: activation\n    outcome: success\n", 1),
		"reordered transitions": strings.Replace(base, "      - {to: invites-team, when: invites a colleague, after: 2d, rate: 0.4}\n      - {to: pays, when: upgrades, rate: 0.3}",
			"      - {to: pays, when: upgrades, rate: 0.3}\n      - {to: invites-team, when: invites a colleague, after: 2d, rate: 0.4}", 1),
		"reordered touchpoints": strings.Replace(base, "      - {channel: email, action: Send the welcome e-mail, utm: {source: email, medium: esp, campaign: trial-2024-05}}\n      - {channel: sms, action: Send the login link}",
			"      - {channel: sms, action: Send the login link}\n      - {channel: email, action: Send the welcome e-mail, utm: {source: email, medium: esp, campaign: trial-2024-05}}", 1),
		"shorthand vs object":          strings.Replace(base, "    next: [pays]", "    next:\n      - to: pays", 1),
		"comments and quoting":         strings.Replace(strings.Replace(base, "# a comment\n", "# another comment\n", 1), "title: Free trial", "title: \"Free trial\"  # quoted", 1),
		"key order":                    strings.Replace(base, "journey: trial\ntitle: Free trial\nowner: growth\n", "owner: growth\ntitle: Free trial\njourney: trial\n", 1),
		"x- keys":                      strings.Replace(base, "owner: growth\n", "owner: growth\nx-jira: GROW-12\n", 1),
		"same wait spelled otherwise":  strings.Replace(base, "after: 2d", "after: 1d24h", 1),
		"reordered personas of a list": strings.Replace(base, "events: [team_invited]", "events: [team_invited]", 1),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			if r := compare(t, base, src); r.Summary.Changes != 0 {
				t.Errorf("%d changes: %+v", r.Summary.Changes, r.Journeys[0].Changes)
			}
		})
	}
}

func TestChangeKinds(t *testing.T) {
	cases := []struct {
		name, new, kind, stage, message string
		breaking                        bool
	}{
		{"stage added", base + "  - {id: refers, name: Refers a friend, phase: activation, outcome: success}\n", StageAdded, "refers", `stage "refers" added (a success outcome)`, false},
		{"stage removed", strings.Replace(base, "  - id: churns\n    name: Lets the trial expire\n    phase: activation\n    outcome: failure\n    reasons: [{id: price, name: Too expensive, next: starts-trial}]\n", "", 1), StageRemoved, "churns", `stage "churns" removed (a failure outcome)`, true},
		{"stage renamed", strings.Replace(base, "  - id: invites-team\n    name: Invites the team\n", "  - id: invites-colleagues\n    renamed_from: [invites-team]\n    name: Invites the team\n", 1) + "", StageRenamed, "invites-colleagues", `stage "invites-team" renamed to "invites-colleagues"`, false},
		{"name changed", strings.Replace(base, "name: Invites the team", "name: Invites colleagues", 1), StageChanged, "invites-team", "name: Invites the team -> Invites colleagues", false},
		{"utm changed", strings.Replace(base, "campaign: trial-2024-05", "campaign: trial-2024-06", 1), UTMChanged, "starts-trial", "touchpoints[0].utm.campaign: trial-2024-05 -> trial-2024-06", true},
		{"events changed", strings.Replace(base, "events: [team_invited]", "events: [team_member_invited]", 1), EventsChanged, "invites-team", "events: [team_invited] -> [team_member_invited]", true},
		{"entry removed", strings.Replace(base, "    entry: true\n", "", 1), EntryRemoved, "starts-trial", "entry removed: customers can no longer start here (entry: true -> false)", true},
		{"outcome removed", strings.Replace(base, "    outcome: success\n", "    next: [starts-trial]\n", 1), OutcomeChanged, "pays", "outcome removed: success -> (none)", true},
		{"wait shortened", strings.Replace(base, "after: 2d", "after: 1d", 1), TransitionChanged, "starts-trial", `starts-trial -> invites-team (when "invites a colleague"): after 2d -> 1d`, false},
		{"rate changed", strings.Replace(base, "rate: 0.3", "rate: 0.35", 1), TransitionChanged, "starts-trial", `starts-trial -> pays (when "upgrades"): rate 30% -> 35%`, false},
		{"transition added", strings.Replace(base, "    next: [pays]", "    next: [pays, churns]", 1), TransitionAdded, "invites-team", `transition invites-team -> churns added`, false},
		{"transition removed", strings.Replace(base, "      - {to: pays, when: upgrades, rate: 0.3}\n", "", 1), TransitionRemoved, "starts-trial", `transition starts-trial -> pays (when "upgrades") removed`, false},
		{"trigger changed is remove + add", strings.Replace(base, "when: upgrades", "when: upgrades in-app", 1), TransitionAdded, "starts-trial", `transition starts-trial -> pays (when "upgrades in-app") added (rate 30%)`, false},
		{"outcome unreachable", strings.Replace(strings.Replace(base, "      - {to: pays, when: upgrades, rate: 0.3}\n", "", 1), "    next: [pays]", "    next: [churns]", 1), OutcomeUnreachable, "pays", `success outcome "pays" was reachable from an entry and no longer is`, true},
		{"stage unreachable", strings.Replace(base, "      - {to: invites-team, when: invites a colleague, after: 2d, rate: 0.4}\n", "", 1), StageUnreachable, "invites-team", `stage "invites-team" was reachable from an entry and no longer is`, false},
		{"touchpoint removed with utm", strings.Replace(base, "      - {channel: email, action: Send the welcome e-mail, utm: {source: email, medium: esp, campaign: trial-2024-05}}\n", "", 1), UTMChanged, "starts-trial", "touchpoint removed: email: Send the welcome e-mail (its UTM-tagged links stop)", true},
		{"reason removed", strings.Replace(base, "    reasons: [{id: price, name: Too expensive, next: starts-trial}]\n", "", 1), StageChanged, "churns", `reason "price" removed (it led to "starts-trial")`, false},
		{"phase added", strings.Replace(base, "  - {id: activation, name: Activation}\n", "  - {id: activation, name: Activation}\n  - {id: expansion, name: Expansion}\n", 1), PhaseAdded, "", `phase "expansion" added`, false},
		{"persona removed", strings.Replace(base, "personas: [{id: founder, name: Founder}]\n", "", 1), PersonaRemoved, "", `persona "founder" removed`, false},
		{"journey title", strings.Replace(base, "title: Free trial", "title: Free 14-day trial", 1), JourneyChanged, "", "title: Free trial -> Free 14-day trial", false},
		{"metric added", strings.Replace(base, "owner: growth\n", "owner: growth\nmetrics: [{name: Trial conversion, target: \"20%\"}]\n", 1), MetricAdded, "", `metrics: metric "Trial conversion" added`, false},
		{"entry added", strings.Replace(base, "    name: Pays\n", "    name: Pays\n    entry: true\n", 1), EntryAdded, "pays", "entry: false -> true", false},
		{"outcome changed", strings.Replace(base, "    outcome: success\n", "    outcome: exit\n", 1), OutcomeChanged, "pays", "outcome: success -> exit", true},
		{"outcome added", strings.Replace(base, "    events: [team_invited]\n    next: [pays]\n", "    events: [team_invited]\n    outcome: exit\n", 1), OutcomeAdded, "invites-team", "outcome: (none) -> exit", false},
		{"utm added", strings.Replace(base, "{channel: sms, action: Send the login link}", "{channel: sms, action: Send the login link, utm: {source: sms}}", 1), UTMChanged, "starts-trial", "touchpoints[1].utm.source: (none) -> sms", true},
		{"touchpoint removed without utm", strings.Replace(base, "      - {channel: sms, action: Send the login link}\n", "", 1), StageChanged, "starts-trial", "touchpoint removed: sms: Send the login link", false},
		{"touchpoint action changed", strings.Replace(base, "{channel: sms, action: Send the login link}", "{channel: sms, action: Send the magic link}", 1), StageChanged, "starts-trial", "touchpoints[1] added: sms: Send the magic link", false},
		{"emotion changed", strings.Replace(base, "    name: Pays\n", "    name: Pays\n    emotion: 1\n", 1), StageChanged, "pays", "emotion: (none) -> 1", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := compare(t, base, c.new)
			if len(r.Journeys) != 1 {
				t.Fatalf("no change found")
			}
			for _, ch := range r.Journeys[0].Changes {
				if _, ok := KindByID(ch.Kind); !ok {
					t.Errorf("kind %s is not in Kinds", ch.Kind)
				}
			}
			for _, ch := range r.Journeys[0].Changes {
				if ch.Kind == c.kind && ch.Stage == c.stage && ch.Message == c.message {
					if ch.Breaking != c.breaking {
						t.Errorf("breaking = %v, want %v", ch.Breaking, c.breaking)
					}
					return
				}
			}
			t.Errorf("want %s %s %q, got:\n%s", c.kind, c.stage, c.message, dump(r))
		})
	}
}

func dump(r *Result) string {
	var b strings.Builder
	WriteText(&b, r, TextOptions{})
	return b.String()
}

func TestJourneyAddedRemovedMoved(t *testing.T) {
	a := parse(t, base)
	other := parse(t, strings.Replace(base, "journey: trial", "journey: other", 1))
	moved := parse(t, base)
	r := Compare(Version{Journeys: []*journey.Journey{a, other}, Paths: map[*journey.Journey]string{a: "a/trial.journey.yaml", other: "other.journey.yaml"}},
		Version{Journeys: []*journey.Journey{moved}, Paths: map[*journey.Journey]string{moved: "b/trial.journey.yaml"}})
	got := dump(r)
	for _, want := range []string{"journey-removed", `journey "other" removed`, "journey-moved", "moved from a/trial.journey.yaml to b/trial.journey.yaml"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	r = Compare(Version{}, Version{Journeys: []*journey.Journey{a}})
	if r.Summary.Changes != 1 || r.Journeys[0].Changes[0].Kind != JourneyAdded || r.Journeys[0].Status != "added" {
		t.Errorf("added: %s", dump(r))
	}
}

// loadVersion loads one side of a golden case; both sides name the
// journey's file alike (same), so it is not reported as moved.
func loadVersion(t testing.TB, path, same string) Version {
	t.Helper()
	sets, err := load.Load(load.Options{Paths: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	v := Version{Paths: map[*journey.Journey]string{}, Findings: lint.Run(sets, lint.Options{}).Findings}
	for _, s := range sets {
		for _, f := range s.Files {
			if f.Journey != nil {
				v.Journeys = append(v.Journeys, f.Journey)
				v.Paths[f.Journey] = same
			}
		}
	}
	return v
}

// goldenOutputs are the four outputs of a diff: text, JSON, Markdown and
// the visual diff (SVG), checked to be well-formed and stable.
func goldenOutputs(t *testing.T, r *Result) map[string][]byte {
	t.Helper()
	var text, js, md bytes.Buffer
	WriteText(&text, r, TextOptions{})
	WriteJSON(&js, r)
	WriteMarkdown(&md, r)
	svg, err := SVG(r)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := SVG(r)
	if !bytes.Equal(svg, again) {
		t.Error("the visual diff differs between two runs")
	}
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("visual diff is not well-formed: %v", err)
		}
	}
	return map[string][]byte{".txt": text.Bytes(), ".json": js.Bytes(), ".md": md.Bytes(), ".svg": svg}
}

// Golden cases: testdata/NAME/{old,new}.journey.yaml against
// testdata/NAME.{txt,json,md,svg}.
//   - edtech: a lost reason removed, a UTM campaign changed, a wait
//     shortened, a consultation step added.
//   - rename: one stage renamed with renamed_from and nothing else: one
//     breaking stage-renamed change, drawn once, every edge unchanged.
func TestGoldenChanges(t *testing.T) {
	for _, name := range []string{"edtech", "rename"} {
		t.Run(name, func(t *testing.T) {
			same := name + ".journey.yaml"
			r := Compare(loadVersion(t, filepath.Join("testdata", name, "old.journey.yaml"), same),
				loadVersion(t, filepath.Join("testdata", name, "new.journey.yaml"), same))
			for ext, got := range goldenOutputs(t, r) {
				golden.Check(t, filepath.Join("testdata", name+ext), got)
			}
		})
	}
}

// A change of thousands of stages still gives a comment under GitHub's cap.
func TestMarkdownCap(t *testing.T) {
	old := synthetic(5000, "a")
	new := synthetic(5000, "b")
	r := Compare(Version{Journeys: []*journey.Journey{parse(t, old)}}, Version{Journeys: []*journey.Journey{parse(t, new)}})
	var md bytes.Buffer
	WriteMarkdown(&md, r)
	if n := len([]rune(md.String())); n > MaxMarkdown {
		t.Fatalf("%d characters, over the cap", n)
	}
	if !strings.Contains(md.String(), "left out") && !strings.Contains(md.String(), "Cut:") {
		t.Error("no note of what was left out")
	}
	if r.Summary.Changes < 5000 {
		t.Errorf("only %d changes", r.Summary.Changes)
	}
}

func synthetic(n int, variant string) string {
	var b strings.Builder
	b.WriteString("journey: big\ntitle: Big\nowner: growth\nphases: [{id: p, name: P}]\nstages:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - id: s%d\n    name: Stage %d %s\n    phase: p\n", i, i, variant)
		if i == 0 {
			b.WriteString("    entry: true\n")
		}
		if i == n-1 {
			b.WriteString("    outcome: success\n")
		} else {
			fmt.Fprintf(&b, "    next: [s%d]\n", i+1)
		}
	}
	return b.String()
}

// syntheticChanged changes one stage in a hundred.
func syntheticChanged(n int) (string, string) {
	old := synthetic(n, "x")
	var b strings.Builder
	for i, line := range strings.Split(old, "\n") {
		_ = i
		b.WriteString(line)
		b.WriteString("\n")
	}
	new := old
	for i := 0; i < n; i += 100 {
		new = strings.Replace(new, fmt.Sprintf("name: Stage %d x\n", i), fmt.Sprintf("name: Stage %d changed\n", i), 1)
	}
	return old, new
}

func benchCompare(b *testing.B, n int) {
	o, nw := syntheticChanged(n)
	oj, nj := parse(b, o), parse(b, nw)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := Compare(Version{Journeys: []*journey.Journey{oj}}, Version{Journeys: []*journey.Journey{nj}})
		if r.Summary.Changes != n/100 {
			b.Fatalf("%d changes", r.Summary.Changes)
		}
	}
}

func BenchmarkCompare1k(b *testing.B)  { benchCompare(b, 1000) }
func BenchmarkCompare10k(b *testing.B) { benchCompare(b, 10000) }

// Compare grows linearly with the size of a journey. Measured by
// allocations (count and bytes), which do not depend on how busy the
// machine is, where a wall-clock ratio did.
func TestCompareScalesLinearly(t *testing.T) {
	cost := func(n int) (allocs float64, bytes uint64) {
		o, nw := syntheticChanged(n)
		oj, nj := parse(t, o), parse(t, nw)
		run := func() { Compare(Version{Journeys: []*journey.Journey{oj}}, Version{Journeys: []*journey.Journey{nj}}) }
		allocs = testing.AllocsPerRun(3, run)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		run()
		runtime.ReadMemStats(&after)
		return allocs, after.TotalAlloc - before.TotalAlloc
	}
	a1, b1 := cost(1000)
	a2, b2 := cost(10000)
	t.Logf("1,000 stages: %.0f allocations, %d bytes; 10,000 stages: %.0f allocations, %d bytes", a1, b1, a2, b2)
	if a2 > 20*a1 || b2 > 20*b1 {
		t.Errorf("10 times the stages cost %.1f times the allocations and %.1f times the bytes (want linear: <= 20)", a2/a1, float64(b2)/float64(b1))
	}
}

// The success probability implied by the rates, before and after; breaking
// only past --max-conversion-drop.
func TestConversionImpact(t *testing.T) {
	new := strings.Replace(base, "{to: pays, when: upgrades, rate: 0.3}", "{to: pays, when: upgrades, rate: 0.2}", 1)
	for _, c := range []struct {
		maxDrop  float64
		breaking bool
	}{{-1, false}, {0.05, true}, {0.1, false}, {0.2, false}} {
		r := CompareWith(Version{Journeys: []*journey.Journey{parse(t, base)}}, Version{Journeys: []*journey.Journey{parse(t, new)}}, Options{MaxConversionDrop: c.maxDrop})
		found := false
		for _, ch := range r.Journeys[0].Changes {
			if ch.Kind == ConversionChanged {
				found = true
				if !strings.HasPrefix(ch.Message, "success probability 70.00% -> 60.00%") || ch.Breaking != c.breaking {
					t.Errorf("max drop %v: %+v", c.maxDrop, ch)
				}
			}
		}
		if !found {
			t.Errorf("max drop %v: no conversion change in\n%s", c.maxDrop, dump(r))
		}
	}
}

// A visual diff past the flow layout bound is refused before Graphviz
// starts (Graphviz would take minutes), as the flow view is.
func TestSVGRefusesPastTheLayoutBound(t *testing.T) {
	big := &journey.Journey{ID: journey.Text{Value: "big"}}
	for i := 0; i < render.MaxLayoutElements; i++ {
		s := &journey.Stage{ID: journey.Text{Value: fmt.Sprintf("s%d", i)}}
		s.Next = []*journey.Transition{{To: journey.Text{Value: fmt.Sprintf("s%d", i+1)}}}
		big.Stages = append(big.Stages, s)
	}
	res := Compare(Version{}, Version{Journeys: []*journey.Journey{big}})
	_, err := SVG(res)
	var tooLarge *render.TooLargeError
	if !errors.As(err, &tooLarge) {
		t.Fatalf("SVG of %d stages: %v, want a *render.TooLargeError", len(big.Stages), err)
	}
	// Both versions are counted, each stage and edge once (the union that
	// is drawn); the last stage's transition leads nowhere and is not drawn.
	small := &journey.Journey{ID: journey.Text{Value: "big"}, Stages: big.Stages[:10]}
	for _, c := range [][2]*journey.Journey{{small, big}, {big, small}} {
		_, err := SVG(Compare(Version{Journeys: []*journey.Journey{c[0]}}, Version{Journeys: []*journey.Journey{c[1]}}))
		if !errors.As(err, &tooLarge) || tooLarge.Stages != render.MaxLayoutElements || tooLarge.Edges != render.MaxLayoutElements-1 {
			t.Errorf("%d stages to %d: %v, want %d stages and %d edges (both versions, once)", len(c[0].Stages), len(c[1].Stages), err, render.MaxLayoutElements, render.MaxLayoutElements-1)
		}
	}
}
