package render

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/journey"
)

// The canvas view in Mermaid: goldens of the example journeys.
func TestMermaidJourneyGoldens(t *testing.T) {
	for _, path := range goldenJourneys {
		base := strings.TrimSuffix(filepath.Base(path), ".journey.yaml")
		got, err := Render(mustLoad(t, path), "canvas", "mermaid", Options{})
		if err != nil {
			t.Fatal(err)
		}
		golden(t, base+".journey.mmd", got)
	}
}

type mermaidJourneyDump struct {
	Error    string
	Title    string
	Sections []string
	Tasks    []struct {
		Section, Task string
		Score         int
		People        []string
	}
}

// Mermaid's own parser reads every export as we meant it: a section per
// phase, a task per stage with its name, score and actors, also when the
// names hold everything the grammar reserves.
func TestMermaidJourneyParsesWithMermaid(t *testing.T) {
	node, script := mermaidChecker(t)
	dump, _ := filepath.Abs(filepath.Join("testdata", "journeydump.mjs"))
	dir := t.TempDir()
	journeys := []*journey.Journey{hostileJourney(t)}
	for _, path := range goldenJourneys {
		journeys = append(journeys, mustLoad(t, path))
	}
	var files []string
	for i, j := range journeys {
		p := filepath.Join(dir, strings.Repeat("j", i+1)+".mmd")
		if err := os.WriteFile(p, MermaidJourney(j, Options{}), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	out, err := exec.Command(node, append([]string{dump, filepath.Dir(script)}, files...)...).CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err != nil || len(lines) != len(files) {
		t.Fatalf("journeydump: %v\n%s", err, out)
	}
	for i, line := range lines {
		j := journeys[i]
		var d mermaidJourneyDump
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if d.Error != "" {
			t.Errorf("%s: Mermaid refuses the export: %s", j.ID.Value, d.Error)
			continue
		}
		if len(d.Sections) != len(j.Phases) {
			t.Errorf("%s: Mermaid reads %d sections, want %d: %q", j.ID.Value, len(d.Sections), len(j.Phases), d.Sections)
		}
		if len(d.Tasks) != len(j.Stages) {
			t.Errorf("%s: Mermaid reads %d tasks, want %d", j.ID.Value, len(d.Tasks), len(j.Stages))
			continue
		}
		byID := map[string]string{}
		for _, p := range j.Phases {
			byID[p.ID.Value] = p.Name
		}
		k := 0
		for _, p := range j.Phases {
			for _, s := range j.Stages {
				if s.Phase.Value != p.ID.Value {
					continue
				}
				task := d.Tasks[k]
				k++
				if want := escape.MermaidJourneyTask(s.Name); task.Task != want {
					t.Errorf("%s: task %q, want %q", j.ID.Value, task.Task, want)
				}
				if want := escape.MermaidJourneySection(p.Name); task.Section != want {
					t.Errorf("%s: task %q in section %q, want %q", j.ID.Value, task.Task, task.Section, want)
				}
				want := 3
				if e, ok := s.EmotionFor(""); ok {
					want = e + 3
				}
				if task.Score != want {
					t.Errorf("%s: task %q has score %d, want %d", j.ID.Value, task.Task, task.Score, want)
				}
				if len(j.Personas) > 0 && len(task.People) == 0 {
					t.Errorf("%s: task %q lost its actors", j.ID.Value, task.Task)
				}
			}
		}
	}
}
