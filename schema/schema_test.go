package schema_test

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/schema"
)

func compile(t *testing.T, url string, data []byte) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	if err := c.AddResource(url, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s does not compile: %v", url, err)
	}
	return s
}

func decode(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSchemasDeclareThemselves(t *testing.T) {
	for url, data := range map[string][]byte{schema.JourneyURL: schema.Journey, schema.ConfigURL: schema.Config} {
		m := decode(t, data)
		if m["$id"] != url {
			t.Errorf("$id is %v, want %s", m["$id"], url)
		}
		if m["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("%s: $schema is %v, want draft 2020-12", url, m["$schema"])
		}
	}
}

// Every property of every object has a description, so that editors show
// help on hover; and oneOf is never used (the loader explains anyOf by type).
func TestEveryPropertyIsDescribed(t *testing.T) {
	for name, data := range map[string][]byte{"journey": schema.Journey, "config": schema.Config} {
		count := 0
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch v := v.(type) {
			case map[string]any:
				if _, bad := v["oneOf"]; bad {
					t.Errorf("%s %s: oneOf is not allowed, use anyOf with branches of distinct types", name, path)
				}
				if props, ok := v["properties"].(map[string]any); ok {
					for key, p := range props {
						count++
						d, _ := p.(map[string]any)["description"].(string)
						if strings.TrimSpace(d) == "" {
							t.Errorf("%s %s.%s has no description", name, path, key)
						}
					}
				}
				for k, x := range v {
					walk(path+"/"+k, x)
				}
			case []any:
				for _, x := range v {
					walk(path+"[]", x)
				}
			}
		}
		walk("#", decode(t, data))
		if count < 10 {
			t.Errorf("%s: only %d properties found", name, count)
		}
	}
}

// The rule ids the config accepts are exactly the lint rules.
func TestConfigRuleIDsMatchLint(t *testing.T) {
	m := decode(t, schema.Config)
	rules := m["properties"].(map[string]any)["rules"].(map[string]any)
	var inSchema []string
	for _, x := range rules["propertyNames"].(map[string]any)["enum"].([]any) {
		inSchema = append(inSchema, x.(string))
	}
	var inLint []string
	for _, r := range lint.Rules {
		inLint = append(inLint, r.ID)
	}
	sort.Strings(inSchema)
	sort.Strings(inLint)
	if strings.Join(inSchema, " ") != strings.Join(inLint, " ") {
		t.Errorf("config schema rule ids %v, lint rules %v", inSchema, inLint)
	}
}

func TestJourneySchemaAcceptsAndRejects(t *testing.T) {
	s := compile(t, schema.JourneyURL, schema.Journey)
	valid := `{"journey": "ebook-nurture", "title": "E-book", "owner": "marketing", "x-team-note": [1],
	  "status": "active", "tags": ["b2b"], "links": [{"title": "Dashboard", "url": "https://example.com"}],
	  "personas": [{"id": "owner", "name": "Owner", "goals": ["save time"]}],
	  "channels": [{"id": "newsletter", "kind": "email"}],
	  "phases": [{"id": "capture", "name": "Capture", "owner": "marketing", "goal": "grow the list"}],
	  "metrics": [{"name": "Open rate", "target": "25%"}, {"name": "MRR", "target": 1000, "unit": "USD"}],
	  "stages": [{"id": "downloads-ebook", "name": "Downloads", "phase": "capture", "entry": true,
	    "emotion": {"owner": 2}, "aha": true, "events": ["ebook_downloaded"], "renamed_from": ["download"],
	    "touchpoints": [{"channel": "email", "action": "Send thanks", "utm": {"source": "email", "campaign": "c"}}],
	    "next": ["won", {"to": "won", "when": "clicks", "after": "1w2d", "rate": 0.5}]},
	   {"id": "won", "name": "Won", "phase": "capture", "outcome": "failure", "emotion": -2,
	    "reasons": [{"id": "price", "name": "Too expensive", "next": "downloads-ebook"}]}]}`
	var v any
	if err := json.Unmarshal([]byte(valid), &v); err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("valid journey rejected: %v", err)
	}
	invalid := map[string]string{
		"missing stages":   `{"journey": "a", "title": "A", "phases": [{"id": "p", "name": "P"}]}`,
		"empty phases":     `{"journey": "a", "title": "A", "phases": [], "stages": [{"id": "s", "name": "S", "phase": "p"}]}`,
		"bad id":           `{"journey": "Bad Id", "title": "A", "phases": [{"id": "p", "name": "P"}], "stages": [{"id": "s", "name": "S", "phase": "p"}]}`,
		"unknown key":      `{"journey": "a", "title": "A", "colour": 1, "phases": [{"id": "p", "name": "P"}], "stages": [{"id": "s", "name": "S", "phase": "p"}]}`,
		"emotion too high": `{"journey": "a", "title": "A", "phases": [{"id": "p", "name": "P"}], "stages": [{"id": "s", "name": "S", "phase": "p", "emotion": 3}]}`,
		"bad duration":     `{"journey": "a", "title": "A", "phases": [{"id": "p", "name": "P"}], "stages": [{"id": "s", "name": "S", "phase": "p", "next": [{"to": "s", "after": "2 days"}]}]}`,
		"rate above 1":     `{"journey": "a", "title": "A", "phases": [{"id": "p", "name": "P"}], "stages": [{"id": "s", "name": "S", "phase": "p", "next": [{"to": "s", "rate": 1.5}]}]}`,
		"bad outcome":      `{"journey": "a", "title": "A", "phases": [{"id": "p", "name": "P"}], "stages": [{"id": "s", "name": "S", "phase": "p", "outcome": "won"}]}`,
		"bad kind":         `{"journey": "a", "title": "A", "channels": [{"id": "c", "kind": "fax"}], "phases": [{"id": "p", "name": "P"}], "stages": [{"id": "s", "name": "S", "phase": "p"}]}`,
		"bad target":       `{"journey": "a", "title": "A", "metrics": [{"name": "m", "target": "lots"}], "phases": [{"id": "p", "name": "P"}], "stages": [{"id": "s", "name": "S", "phase": "p"}]}`,
		"utm unknown key":  `{"journey": "a", "title": "A", "phases": [{"id": "p", "name": "P"}], "stages": [{"id": "s", "name": "S", "phase": "p", "touchpoints": [{"channel": "email", "action": "a", "utm": {"src": "x"}}]}]}`,
	}
	for name, doc := range invalid {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Validate(v) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestConfigSchemaAcceptsAndRejects(t *testing.T) {
	s := compile(t, schema.ConfigURL, schema.Config)
	valid := `{"journeys": ["journeys/**/*.journey.yaml"], "teams": ["marketing", "sales"],
	  "personas": [{"id": "p", "name": "P"}], "channels": [{"id": "c", "kind": "sms"}],
	  "utm": {"required": ["source", "medium"], "values": {"medium": ["email"]}, "patterns": {"campaign": "^[a-z-]+$"}},
	  "rules": {"missing-owner": "error", "instant-loop": "off"}}`
	var v any
	if err := json.Unmarshal([]byte(valid), &v); err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("valid config rejected: %v", err)
	}
	for name, doc := range map[string]string{
		"unknown rule":     `{"rules": {"no-such-rule": "error"}}`,
		"bad severity":     `{"rules": {"dead-end": "fatal"}}`,
		"unknown utm key":  `{"utm": {"required": ["src"]}}`,
		"teams not a list": `{"teams": "marketing"}`,
	} {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Validate(v) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
