package diff

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// renameBase renames stage pays to upgrades (renamed_from), with every
// transition into it following the new id.
func renameBase(extra ...string) string {
	s := strings.Replace(base, "  - id: pays\n", "  - id: upgrades\n    renamed_from: [pays]\n", 1)
	s = strings.Replace(s, "{to: pays,", "{to: upgrades,", 1)
	s = strings.Replace(s, "next: [pays]", "next: [upgrades]", 1)
	for i := 0; i+1 < len(extra); i += 2 {
		s = strings.Replace(s, extra[i], extra[i+1], 1)
	}
	return s
}

var mermaidBlock = regexp.MustCompile("(?s)```mermaid\n(.*?)```")

// Issue 13: a stage renamed with renamed_from was one stage-renamed change
// in text and JSON, but the visual diff drew every edge of the renamed
// stage as added, the Markdown comment's Mermaid graph showed the stage
// twice (its old edges as removed), and the rename counted twice as
// breaking (stage-renamed and a stage-changed of its events).
// testdata/rename renames invites-team, which has edges in and out, to
// invites-colleagues, and changes the name of its neighbour pays.
func TestRenameIsOneChange(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join("testdata", "rename", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	r := compare(t, read("old.journey.yaml"), read("new.journey.yaml"))
	if r.Summary.Changes != 2 || r.Summary.Breaking != 1 {
		t.Errorf("%d changes, %d breaking; want 2 (the rename, a name) and 1 (the rename):\n%s", r.Summary.Changes, r.Summary.Breaking, dump(r))
	}
	if c := r.Journeys[0].Changes[0]; c.Kind != StageRenamed || c.Stage != "invites-colleagues" || !c.Breaking ||
		!strings.Contains(c.Message, `its default analytics event changes from "invites-team" to "invites-colleagues"`) {
		t.Errorf("the change: %+v", c)
	}

	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	blocks := mermaidBlock.FindAllStringSubmatch(md.String(), -1)
	if len(blocks) != 1 {
		t.Fatalf("%d Mermaid graphs, want 1:\n%s", len(blocks), md.String())
	}
	graph := blocks[0][1]
	if n := len(regexp.MustCompile(`(?m)^ +s\d+\["~ Invites the team\b`).FindAllString(graph, -1)); n != 1 {
		t.Errorf("the renamed stage is drawn %d times in the Mermaid graph, want once:\n%s", n, graph)
	}
	if !strings.Contains(graph, "renamed from invites-team") {
		t.Errorf("the Mermaid graph does not show the old id:\n%s", graph)
	}
	if strings.Contains(graph, `|"removed"|`) || strings.Contains(graph, "-.->") {
		t.Errorf("the Mermaid graph shows an edge of the renamed stage as removed:\n%s", graph)
	}

	dot := string(DOT(r))
	nodes, changedEdges := 0, 0
	for _, line := range strings.Split(dot, "\n") {
		if strings.Contains(line, " -> ") {
			if strings.Contains(line, addedLine) || strings.Contains(line, removedLine) || strings.Contains(line, changedLine) {
				changedEdges++
			}
		} else if strings.Contains(line, "[label=<") && strings.Contains(line, "Invites the team") {
			nodes++
			if !strings.Contains(line, "invites-team → invites-colleagues") {
				t.Errorf("the renamed stage does not show its old id: %s", line)
			}
		}
	}
	if nodes != 1 || changedEdges != 0 {
		t.Errorf("visual diff: the renamed stage drawn %d times (want 1), %d edges drawn as added, removed or changed (want 0):\n%s", nodes, changedEdges, dot)
	}
}

// The events a rename changes are part of the rename: not breaking when the
// stage keeps its event names, breaking once (with the events in the
// message) when they change.
func TestRenameEvents(t *testing.T) {
	cases := []struct {
		name     string
		new      string
		breaking bool
		message  string
	}{
		{"events kept by naming them", renameBase("    outcome: success\n", "    outcome: success\n    events: [pays]\n"), false,
			`stage "pays" renamed to "upgrades"`},
		{"named events changed too", renameBase("    outcome: success\n", "    outcome: success\n    events: [plan_paid]\n"), true,
			`stage "pays" renamed to "upgrades": its analytics events change from [pays] to [plan_paid]`},
		{"stage with events renamed", strings.Replace(strings.Replace(base, "  - id: invites-team\n", "  - id: invites-colleagues\n    renamed_from: [invites-team]\n", 1),
			"{to: invites-team,", "{to: invites-colleagues,", 1), false, `stage "invites-team" renamed to "invites-colleagues"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := compare(t, base, c.new)
			if r.Summary.Changes != 1 {
				t.Fatalf("%d changes, want 1:\n%s", r.Summary.Changes, dump(r))
			}
			ch := r.Journeys[0].Changes[0]
			if ch.Kind != StageRenamed || ch.Breaking != c.breaking || ch.Message != c.message {
				t.Errorf("got %s breaking=%v %q, want %s breaking=%v %q", ch.Kind, ch.Breaking, ch.Message, StageRenamed, c.breaking, c.message)
			}
		})
	}
}
