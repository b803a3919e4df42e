package starter

import (
	"bytes"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
)

const (
	journeySchemaLine = "# yaml-language-server: $schema=https://raw.githubusercontent.com/journeykit/journey/main/schema/journey.schema.json"
	configSchemaLine  = "# yaml-language-server: $schema=https://raw.githubusercontent.com/journeykit/journey/main/schema/config.schema.json"
)

func TestStarterCatalog(t *testing.T) {
	if _, ok := Lookup(Default); !ok {
		t.Errorf("default template %q does not exist", Default)
	}
	want := []string{"b2b-saas-trial", "ecommerce", "lead-nurture", "edtech-enrollment", "retention"}
	for _, name := range want {
		if _, ok := Lookup(name); !ok {
			t.Errorf("template %q is missing", name)
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error(`Lookup("nope") found a template`)
	}
	id := regexp.MustCompile(`^[a-z0-9]+([_-][a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, tm := range Templates() {
		if seen[tm.Name] {
			t.Errorf("template %q listed twice", tm.Name)
		}
		seen[tm.Name] = true
		if !id.MatchString(tm.Name) {
			t.Errorf("template name %q is not a journey id", tm.Name)
		}
		if tm.Description == "" || strings.Contains(tm.Description, "\n") || len(tm.Description) > 120 {
			t.Errorf("template %q: the description must be one line of at most 120 characters: %q", tm.Name, tm.Description)
		}
	}
	if !slices.Equal(Names(), func() []string {
		var n []string
		for _, tm := range Templates() {
			n = append(n, tm.Name)
		}
		return n
	}()) {
		t.Error("Names and Templates disagree")
	}

	// Every embedded directory is a listed template, and holds exactly
	// its two files.
	dirs, err := fs.ReadDir(files, "templates")
	if err != nil {
		t.Fatal(err)
	}
	var embedded []string
	for _, d := range dirs {
		embedded = append(embedded, d.Name())
		if !seen[d.Name()] {
			t.Errorf("templates/%s is embedded but not listed in templates", d.Name())
			continue
		}
		entries, err := fs.ReadDir(files, path.Join("templates", d.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		tm, _ := Lookup(d.Name())
		wantFiles := []string{load.ConfigName, tm.JourneyFile()}
		slices.Sort(names)
		slices.Sort(wantFiles)
		if !slices.Equal(names, wantFiles) {
			t.Errorf("templates/%s holds %v, want %v", d.Name(), names, wantFiles)
		}
	}
	for name := range seen {
		if !slices.Contains(embedded, name) {
			t.Errorf("template %q has no templates/%s directory", name, name)
		}
	}
}

func TestStarterFiles(t *testing.T) {
	for _, tm := range Templates() {
		fs, err := tm.Files()
		if err != nil {
			t.Fatalf("%s: %v", tm.Name, err)
		}
		if len(fs) != 2 || fs[0].Name != load.ConfigName || fs[1].Name != tm.Name+".journey.yaml" {
			t.Fatalf("%s: files %v", tm.Name, fs)
		}
		if first := firstLine(fs[0].Data); first != configSchemaLine {
			t.Errorf("%s: %s starts with %q, want %q", tm.Name, load.ConfigName, first, configSchemaLine)
		}
		if first := firstLine(fs[1].Data); first != journeySchemaLine {
			t.Errorf("%s: %s starts with %q, want %q", tm.Name, fs[1].Name, first, journeySchemaLine)
		}
		for _, f := range fs {
			if bytes.Contains(f.Data, []byte("\t")) || bytes.Contains(f.Data, []byte("\r")) {
				t.Errorf("%s/%s: tabs or carriage returns", tm.Name, f.Name)
			}
			if !bytes.HasSuffix(f.Data, []byte("\n")) {
				t.Errorf("%s/%s: no final newline", tm.Name, f.Name)
			}
		}
	}
	if _, err := (Template{Name: "nope"}).Files(); err == nil {
		t.Error("Files of an unknown template: no error")
	}
}

// workspace parses a template as one in-memory workspace.
func workspace(t *testing.T, tm Template, edit func(name string, data []byte) []byte) *load.Set {
	t.Helper()
	fs, err := tm.Files()
	if err != nil {
		t.Fatal(err)
	}
	cfg, jf := fs[0].Data, fs[1].Data
	if edit != nil {
		cfg, jf = edit(fs[0].Name, cfg), edit(fs[1].Name, jf)
	}
	return load.FromMemory(map[string][]byte{fs[1].Name: jf}, load.ConfigName, cfg)
}

// Every template lints with no finding at all, under its own workspace
// configuration.
func TestStarterTemplatesLintClean(t *testing.T) {
	for _, tm := range Templates() {
		t.Run(tm.Name, func(t *testing.T) {
			set := workspace(t, tm, nil)
			if set.Config == nil || set.Config.Config == nil {
				t.Fatal("the configuration did not load")
			}
			for _, d := range set.Config.Diagnostics {
				t.Errorf("%s: %d:%d: %s [%s]", load.ConfigName, d.Range.Start.Line, d.Range.Start.Column, d.Message, d.Rule)
			}
			res := lint.Run([]*load.Set{set}, lint.Options{})
			for _, d := range res.Findings {
				t.Errorf("%s:%d:%d: %s: %s [%s]", d.File, d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Message, d.Rule)
			}
			if res.Files != 1 {
				t.Errorf("linted %d files, want 1", res.Files)
			}
		})
	}
}

// The clean result above means something: the same lint run sees the
// workspace's teams and UTM convention.
func TestStarterLintSeesTheConfig(t *testing.T) {
	tm, _ := Lookup(Default)
	set := workspace(t, tm, func(name string, data []byte) []byte {
		if name == load.ConfigName {
			return data
		}
		data = regexp.MustCompile(`(?m)^owner: [a-z-]+`).ReplaceAll(data, []byte("owner: no-such-team"))
		return regexp.MustCompile(`utm: \{source: [a-z-]+,`).ReplaceAll(data, []byte("utm: {source: Newsletter,"))
	})
	res := lint.Run([]*load.Set{set}, lint.Options{})
	rules := map[string]int{}
	for _, d := range res.Findings {
		rules[d.Rule]++
	}
	if rules["unknown-reference"] == 0 || rules["utm-convention"] == 0 {
		t.Errorf("a bad owner and bad UTM sources were not reported: %v", rules)
	}
}

// Each template has what the brief of a starter asks for: a compact but
// complete journey that shows the format's main features, with comments
// that explain them.
func TestStarterTemplateShape(t *testing.T) {
	for _, tm := range Templates() {
		t.Run(tm.Name, func(t *testing.T) {
			set := workspace(t, tm, nil)
			cfg := set.Config.Config
			if len(cfg.Teams) == 0 {
				t.Error("the configuration lists no teams")
			}
			if len(cfg.UTM.Required) == 0 || len(cfg.UTM.Values)+len(cfg.UTM.Patterns) == 0 {
				t.Error("the configuration has no UTM convention (required keys and values or patterns)")
			}
			if len(set.Files) != 1 || set.Files[0].Journey == nil {
				t.Fatal("the journey did not load")
			}
			j := set.Files[0].Journey
			if j.ID.Value != tm.Name {
				t.Errorf("journey id %q, want %q (the template's name)", j.ID.Value, tm.Name)
			}
			if n := len(j.Stages); n < 8 || n > 14 {
				t.Errorf("%d stages, want 8 to 14", n)
			}
			if len(j.Phases) < 3 {
				t.Errorf("%d phases, want 3 or more", len(j.Phases))
			}
			for _, p := range j.Phases {
				if p.Owner.Value == "" {
					t.Errorf("phase %q has no owner", p.ID.Value)
				}
			}
			var entries, withEmotion, utms, waits, rated int
			outcomes := map[string]int{}
			for _, s := range j.Stages {
				if s.Entry {
					entries++
				}
				if s.Outcome != "" {
					outcomes[s.Outcome]++
				}
				if s.Emotion.Set || len(s.Emotion.PerPersona) > 0 {
					withEmotion++
				}
				for _, tp := range s.Touchpoints {
					if tp.UTM != nil {
						utms++
					}
				}
				var sum float64
				for _, tr := range s.Next {
					if tr.After.Value != "" {
						waits++
					}
					if tr.Rate != nil {
						rated++
						sum += *tr.Rate
					}
				}
				if sum > 1+1e-9 {
					t.Errorf("stage %q: rates add up to %g", s.ID.Value, sum)
				}
				if s.Outcome == journey.OutcomeFailure {
					if len(s.Reasons) < 2 {
						t.Errorf("failure stage %q has %d reasons, want 2 or more", s.ID.Value, len(s.Reasons))
					}
					for _, r := range s.Reasons {
						if r.Next.Value == "" {
							t.Errorf("reason %q of %q has no follow-up", r.ID.Value, s.ID.Value)
						}
					}
				}
			}
			if entries == 0 || outcomes[journey.OutcomeSuccess] == 0 || outcomes[journey.OutcomeFailure] == 0 {
				t.Errorf("want an entry, a success and a failure: %d entries, outcomes %v", entries, outcomes)
			}
			if withEmotion < len(j.Stages)/2 {
				t.Errorf("only %d of %d stages give an emotion", withEmotion, len(j.Stages))
			}
			if utms < 4 || waits < 5 || rated < 8 {
				t.Errorf("too few features shown: %d touchpoints with utm, %d waits, %d rates", utms, waits, rated)
			}

			// The comments teach the keys a newcomer meets first.
			fs, _ := tm.Files()
			comments := strings.ToLower(commentText(fs[1].Data))
			for _, word := range []string{"phases", "stages", "entry", "outcome", "next", "when", "after", "rate", "reason", "emotion", "utm", "owner", "journey lint"} {
				if !strings.Contains(comments, word) {
					t.Errorf("no comment of the journey explains %q", word)
				}
			}
			cfgComments := strings.ToLower(commentText(fs[0].Data))
			for _, word := range []string{"teams", "utm", "rules"} {
				if !strings.Contains(cfgComments, word) {
					t.Errorf("no comment of %s explains %q", load.ConfigName, word)
				}
			}
		})
	}
}

func TestStarterSuggest(t *testing.T) {
	cases := map[string]string{
		"ecomerce":         "ecommerce",
		"e-commerce":       "ecommerce",
		"retension":        "retention",
		"lead-nuture":      "lead-nurture",
		"saas":             "b2b-saas-trial",
		"edtech":           "edtech-enrollment",
		"nurture":          "lead-nurture",
		"b2b-saas-trial":   "", // an exact name needs no suggestion
		"zzz":              "",
		"e":                "", // too short to guess
		"trial-to-renewal": "",
	}
	for in, want := range cases {
		if got := Suggest(in); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func firstLine(data []byte) string {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return string(line)
}

// commentText returns the text of a YAML file's comments: whole comment
// lines, and " # " comments at the end of lines.
func commentText(data []byte) string {
	var b strings.Builder
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "#"):
			b.WriteString(trimmed + "\n")
		case strings.Contains(line, " # "):
			_, c, _ := strings.Cut(line, " # ")
			b.WriteString(c + "\n")
		}
	}
	return b.String()
}
