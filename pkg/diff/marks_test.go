package diff

import (
	"slices"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/render"
)

// transitionsOf lists a union stage's transitions as "to|journey|class|note".
func transitionsOf(u marked, id string) []string {
	var out []string
	for _, s := range u.j.Stages {
		if s.ID.Value != id {
			continue
		}
		for _, t := range s.Next {
			m := u.marks.Transitions[t]
			out = append(out, t.To.Value+"|"+t.Journey.Value+"|"+m.Class+"|"+m.Note)
		}
	}
	return out
}

// The union drawn by the visual diff and the comment's graph: a renamed
// stage once under its new id, the old transitions read through the
// rename (the one into the renamed stage kept, unchanged or changed; the
// one that is gone, removed), a new hand-off added, and the versions left
// as they were.
func TestUnionThroughRenames(t *testing.T) {
	nw := renameBase(
		"{to: upgrades, when: upgrades, rate: 0.3}", "{to: upgrades, when: upgrades, rate: 0.2}",
		"    next: [upgrades]\n", "    next: [{journey: onboarding, to: welcome}]\n")
	r := compare(t, base, nw)
	d := r.Journeys[0]
	u := union(d)

	var ids []string
	for _, s := range u.j.Stages {
		ids = append(ids, s.ID.Value)
	}
	if want := []string{"starts-trial", "invites-team", "upgrades", "churns"}; !slices.Equal(ids, want) {
		t.Errorf("stages %v, want %v", ids, want)
	}
	if m := u.marks.Stages["upgrades"]; m.Class != markChanged || m.RenamedFrom != "pays" {
		t.Errorf("the renamed stage's mark: %+v", m)
	}
	if _, ok := u.marks.Stages["pays"]; ok {
		t.Error("the renamed stage is marked under its old id too")
	}
	if got, want := transitionsOf(u, "starts-trial"), []string{"invites-team|||", "upgrades||changed|rate 30% → 20%"}; !slices.Equal(got, want) {
		t.Errorf("starts-trial: %q, want %q", got, want)
	}
	if got, want := transitionsOf(u, "invites-team"), []string{"welcome|onboarding|added|", "upgrades||removed|"}; !slices.Equal(got, want) {
		t.Errorf("invites-team: %q, want %q", got, want)
	}
	// The old version still leads to pays: union copied what it mapped.
	if to := d.Old.Stage("invites-team").Next[0].To.Value; to != "pays" {
		t.Errorf("the old version was changed: invites-team leads to %q", to)
	}

	g := changeGraph(d)
	for _, want := range []string{"renamed from pays", `s1 -.->|"−"| s2`, "linkStyle", ":::changed", `>"hand-off: onboarding / welcome"]:::handoff`} {
		if !strings.Contains(g, want) {
			t.Errorf("the Mermaid graph lacks %q:\n%s", want, g)
		}
	}
	if strings.Contains(g, `"Pays"]`) || strings.Count(g, "Pays") != 1 {
		t.Errorf("the renamed stage is not drawn exactly once:\n%s", g)
	}
}

// A removed stage is drawn, marked removed, with its transitions (removed)
// and without the follow-ups of its failure reasons (they are gone with
// it); a phase only the old version has comes back where it was.
func TestUnionRemovedStageAndPhase(t *testing.T) {
	old := strings.Replace(base, "  - {id: activation, name: Activation}\n", "  - {id: nurture, name: Nurture}\n  - {id: activation, name: Activation}\n", 1)
	old = strings.Replace(old, "    phase: activation\n    outcome: failure\n", "    phase: nurture\n    outcome: failure\n", 1)
	nw := base[:strings.Index(base, "  - id: churns\n")]
	r := compare(t, old, nw)
	d := r.Journeys[0]
	u := union(d)

	var phases []string
	for _, p := range u.j.Phases {
		phases = append(phases, p.ID.Value)
	}
	if want := []string{"signup", "nurture", "activation"}; !slices.Equal(phases, want) {
		t.Errorf("phases %v, want %v", phases, want)
	}
	churns := u.j.Stage("churns")
	if churns == nil || u.marks.Stages["churns"].Class != markRemoved {
		t.Fatalf("the removed stage: %+v, mark %+v", churns, u.marks.Stages["churns"])
	}
	if len(churns.Reasons) != 1 || churns.Reasons[0].Next.Value != "" || churns.Reasons[0].Name != "Too expensive" {
		t.Errorf("the removed stage's reasons: %+v", churns.Reasons)
	}
	if d.Old.Stage("churns").Reasons[0].Next.Value != "starts-trial" {
		t.Error("the old version's reason was changed")
	}
	dot := string(DOT(r))
	if strings.Contains(dot, `style=dotted`) {
		t.Errorf("the removed stage's follow-up is drawn:\n%s", dot)
	}
	if !strings.Contains(dot, "− Lets the trial expire") || !strings.Contains(dot, `class="removed"`) || !strings.Contains(dot, "<b>Nurture</b>") {
		t.Errorf("the removed stage or its phase is not drawn as removed:\n%s", dot)
	}
}

// Added and removed journeys are drawn whole, every stage and transition
// marked; a pure move draws the journey unmarked and no comment graph.
func TestUnionWholeJourneys(t *testing.T) {
	j := parse(t, base)
	for _, c := range []struct {
		old, new []*journey.Journey
		class    string
	}{{nil, []*journey.Journey{j}, markAdded}, {[]*journey.Journey{j}, nil, markRemoved}} {
		d := Compare(Version{Journeys: c.old}, Version{Journeys: c.new}).Journeys[0]
		u := union(d)
		if u.j != j {
			t.Errorf("%s: the union of a whole journey is not the journey", c.class)
		}
		for _, s := range j.Stages {
			if u.marks.Stages[s.ID.Value].Class != c.class {
				t.Errorf("%s: stage %s marked %+v", c.class, s.ID.Value, u.marks.Stages[s.ID.Value])
			}
			for _, tr := range s.Next {
				if u.marks.Transitions[tr].Class != c.class {
					t.Errorf("%s: a transition of %s is marked %+v", c.class, s.ID.Value, u.marks.Transitions[tr])
				}
			}
		}
	}
	moved := Compare(Version{Journeys: []*journey.Journey{j}, Paths: map[*journey.Journey]string{j: "a.journey.yaml"}},
		Version{Journeys: []*journey.Journey{j}, Paths: map[*journey.Journey]string{j: "b.journey.yaml"}}).Journeys[0]
	if u := union(moved); len(u.marks.Stages)+len(u.marks.Transitions) != 0 || changeGraph(moved) != "" {
		t.Errorf("a pure move is marked: %+v", u.marks)
	}
	if dot := string(render.SheetDOT(sheet(&Result{Journeys: []*JourneyDiff{moved}}))); strings.Contains(dot, "class=") {
		t.Errorf("a pure move draws marks:\n%s", dot)
	}
}
