package diff

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/schema"
)

// Every kind is described once, with a doc line.
func TestKindsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Kinds {
		if seen[k.ID] {
			t.Errorf("kind %s listed twice", k.ID)
		}
		seen[k.ID] = true
		if strings.TrimSpace(k.Doc) == "" || strings.Contains(k.Doc, "|") {
			t.Errorf("kind %s: doc %q (want one table cell)", k.ID, k.Doc)
		}
		if k.When != "" && !k.Breaking {
			t.Errorf("kind %s: a condition on a kind that is never breaking", k.ID)
		}
	}
}

// docs/cli.md's table of change kinds is KindTable, so the documentation
// cannot drift from the code.
func TestKindsDoc(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "\n"+KindTable()+"\n") {
		t.Errorf("docs/cli.md's table of diff kinds differs from diff.Kinds; replace it with:\n\n%s", KindTable())
	}
}

// The config schema's diff.breaking accepts exactly the kinds.
func TestKindsInConfigSchema(t *testing.T) {
	var s struct {
		Properties struct {
			Diff struct {
				Properties struct {
					Breaking struct {
						PropertyNames struct {
							Enum []string `json:"enum"`
						} `json:"propertyNames"`
					} `json:"breaking"`
				} `json:"properties"`
			} `json:"diff"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(schema.Config, &s); err != nil {
		t.Fatal(err)
	}
	if got := s.Properties.Diff.Properties.Breaking.PropertyNames.Enum; !slices.Equal(got, KindIDs()) {
		t.Errorf("config.schema.json diff.breaking enum:\n%q\nwant diff.KindIDs():\n%q", got, KindIDs())
	}
}

const overrideConfig = `teams: [growth]
diff:
  breaking:
    stage-renamed: false
    transition-removed: true
    stage-remove: true
`

// diff.breaking in .journey.yaml overrides a kind's default; a kind that
// does not exist is a warning at its key with the closest kind, and the
// schema refuses it too (lint reports it).
func TestBreakingOverrides(t *testing.T) {
	f := load.ParseConfig(".journey.yaml", []byte(overrideConfig))
	if f.Config == nil || len(f.Config.DiffBreaking) != 3 {
		t.Fatalf("config: %+v, %v", f.Config, f.Diagnostics)
	}
	schemaErrors := 0
	for _, d := range f.Diagnostics {
		schemaErrors++
		if !strings.Contains(d.Message, "stage-remove") || d.Range.Start.Line != 6 {
			t.Errorf("unexpected finding: %s at %v", d.Message, d.Range.Start)
		}
	}
	if schemaErrors != 1 {
		t.Errorf("%d schema findings, want 1 (the unknown kind): %v", schemaErrors, f.Diagnostics)
	}

	b, warns := BreakingFromConfig(f.Config)
	if len(b) != 2 || b[StageRenamed] || !b[TransitionRemoved] {
		t.Errorf("overrides: %v", b)
	}
	if len(warns) != 1 || warns[0].File != ".journey.yaml" || warns[0].Range.Start != (journey.Pos{Line: 6, Column: 5}) ||
		warns[0].Suggestion == nil || warns[0].Suggestion.Text != StageRemoved {
		t.Errorf("warnings: %+v", warns)
	}

	// The rename (breaking by default) is not; the transition removal
	// (not by default) is, and the summary counts them so.
	new := strings.Replace(renameBase(), "      - {to: upgrades, when: upgrades, rate: 0.3}\n", "", 1)
	old, nw := Version{Journeys: []*journey.Journey{parse(t, base)}}, Version{Journeys: []*journey.Journey{parse(t, new)}}
	def := Compare(old, nw)
	got := CompareWith(old, nw, Options{MaxConversionDrop: -1, Breaking: b})
	flags := func(r *Result) map[string]bool {
		m := map[string]bool{}
		for _, c := range r.Journeys[0].Changes {
			m[c.Kind] = c.Breaking
		}
		return m
	}
	if f := flags(def); !f[StageRenamed] || f[TransitionRemoved] {
		t.Errorf("defaults: %v\n%s", f, dump(def))
	}
	if f := flags(got); f[StageRenamed] || !f[TransitionRemoved] {
		t.Errorf("overridden: %v\n%s", f, dump(got))
	}
	if got.Summary.Breaking != got.Journeys[0].Breaking() {
		t.Errorf("summary: %d breaking, the journey has %d", got.Summary.Breaking, got.Journeys[0].Breaking())
	}
}
