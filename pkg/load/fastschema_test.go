package load

import (
	"regexp"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/synth"
	"gopkg.in/yaml.v3"
)

// agree checks that the fast validator and jsonschema/v5 give the same
// verdict on a document.
func agree(t testing.TB, v *validator, src []byte) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		return
	}
	root := doc.Content[0]
	// As parseYAML does: check walks the whole tree (it stops at once
	// without a root) and drops later duplicate keys, nested ones too.
	p := &parsed{src: newSource(src), root: root}
	p.check(root, 1)
	if p.root == nil {
		return // nested too deep: neither validator runs
	}
	fastOK, err := v.fast.valid(root, newExpander(p.nodes+1), 0)
	if err != nil {
		return // alias budget or merge key: the full validator decides alone
	}
	value, err := newExpander(p.nodes+1).value(root, 0)
	if err != nil {
		return
	}
	full, err := v.full()
	if err != nil {
		t.Fatal(err)
	}
	fullOK := full.Validate(value) == nil
	if fastOK != fullOK {
		t.Fatalf("fast validator says valid=%v, jsonschema says valid=%v for:\n%s", fastOK, fullOK, src)
	}
}

func validators(t testing.TB) (*validator, *validator) {
	schemaOnce.Do(compileSchemas)
	if journeySchema == nil || configSchema == nil {
		t.Fatalf("schemas do not compile: %v", errSchemaCompile)
	}
	if journeySchema.fast == nil || configSchema.fast == nil {
		t.Fatal("the fast validator refuses our schemas: a keyword it does not support crept in")
	}
	for _, v := range []*validator{journeySchema, configSchema} {
		if _, err := v.full(); err != nil {
			t.Fatalf("%s does not compile: %v", v.url, err)
		}
	}
	return journeySchema, configSchema
}

// A valid document never compiles the full validator: that is what keeps
// a clean lint's start fast.
func TestValidDocumentSkipsFullCompile(t *testing.T) {
	saved, _ := validators(t)
	v := &validator{url: saved.url, data: saved.data, raw: saved.raw, fast: saved.fast}
	journeySchema = v
	defer func() { journeySchema = saved }()
	if f := ParseJourney("ok.journey.yaml", []byte(formatExample)); len(f.Diagnostics) != 0 {
		t.Fatalf("findings on the format example: %v", f.Diagnostics)
	}
	if v.compiled != nil {
		t.Error("a valid document compiled the full validator")
	}
	if f := ParseJourney("bad.journey.yaml", []byte(strings.Replace(formatExample, "outcome: exit", "outcome: exited", 1))); len(f.Diagnostics) != 1 {
		t.Fatalf("findings on a bad document: %v", f.Diagnostics)
	}
	if v.compiled == nil {
		t.Error("an invalid document did not compile the full validator")
	}
}

// Every mutation of every line of a real journey gets the same verdict
// from both validators.
func TestFastValidatorAgrees(t *testing.T) {
	j, _ := validators(t)
	docs := []string{formatExample, string(synth.Journey("s", 4))}
	keyValue := regexp.MustCompile(`^(\s*-?\s*)([a-z_]+): (.+)$`)
	values := []string{"[1, 2]", "{a: b}", "~", "3.5", "-7", "2", "1.0", "true", "\"\"", "Bad Id", "x-y", "success", "2d", "0", "1", "\"25%\""}
	for _, doc := range docs {
		agree(t, j, []byte(doc))
		lines := strings.Split(doc, "\n")
		for i, line := range lines {
			m := keyValue.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			for _, bad := range values {
				mutated := append([]string(nil), lines...)
				mutated[i] = m[1] + m[2] + ": " + bad
				agree(t, j, []byte(strings.Join(mutated, "\n")))
				mutated[i] = m[1] + "x" + m[2] + ": " + bad
				agree(t, j, []byte(strings.Join(mutated, "\n")))
			}
			mutated := append([]string(nil), lines[:i]...)
			agree(t, j, []byte(strings.Join(append(mutated, lines[i+1:]...), "\n")))
		}
	}
}

func FuzzFastValidatorAgrees(f *testing.F) {
	f.Add([]byte(formatExample))
	f.Add([]byte("journey: a\ntitle: b\nphases: [{id: p, name: P}]\nstages: [{id: s, name: S, phase: p, emotion: {a: 3}}]\n"))
	f.Add([]byte(duplicateFirstWrong))
	f.Fuzz(func(t *testing.T, data []byte) {
		j, c := validators(t)
		agree(t, j, data)
		agree(t, c, data)
	})
}

// duplicateFirstWrong is repro 18: the first of two `name`s has the wrong
// type. The schema must see the value the model keeps: the first.
const duplicateFirstWrong = "journey: a\ntitle: A\nphases:\n  - {id: p, name: 5, name: A}\nstages:\n  - {id: a, name: A, phase: p, entry: true, outcome: success}\n"

func TestDuplicateKeysSchemaSeesTheFirstValue(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // findings, "rule at: message" fragments
		phaseName string   // the name the model keeps
	}{
		{"nested, first value wrong", duplicateFirstWrong, []string{
			`syntax 4:22-4:26: duplicate key "name"`,
			"schema 4:19-4:20: phases[0].name: expected text, got the number 5",
		}, "5"},
		{"nested, second value wrong", strings.Replace(duplicateFirstWrong, "name: 5, name: A", "name: A, name: 5", 1), []string{
			`syntax 4:22-4:26: duplicate key "name"`,
		}, "A"},
		{"top level", "journey: a\ntitle: A\nphases: [{id: p, name: P}]\nstages: [{id: a, name: A, phase: p, entry: true, outcome: success}]\ntitle: [x]\n", []string{
			`syntax 5:1-5:6: duplicate key "title"`,
		}, "P"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ParseJourney("d.journey.yaml", []byte(tt.src))
			var got []string
			for _, d := range findings(f) {
				got = append(got, d.rule+" "+d.at+": "+d.message)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("findings %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("finding %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
			if f.Journey == nil || f.Journey.Phases[0].Name != tt.phaseName {
				t.Errorf("the model does not keep the first value %q", tt.phaseName)
			}
		})
	}
	j, c := validators(t)
	agree(t, j, []byte(duplicateFirstWrong))
	agree(t, c, []byte("teams: [a]\nutm: {required: [source], required: 5}\n"))
}

// The hand-written matchers agree with their regular expressions on every
// string of up to 5 characters over an alphabet with each kind of byte.
func TestPatternMatchers(t *testing.T) {
	alphabet := []byte("az09_-mhdwA .\n\xc3")
	for _, c := range []struct {
		pattern string
		match   func(string) bool
	}{{idPattern, isID}, {durationPattern, isDuration}} {
		re := regexp.MustCompile(c.pattern)
		if matcher(c.pattern, re) == nil {
			t.Fatalf("no matcher for %s", c.pattern)
		}
		var walk func(prefix []byte)
		walk = func(prefix []byte) {
			s := string(prefix)
			if got, want := c.match(s), re.MatchString(s); got != want {
				t.Errorf("%s on %q: %v, the regular expression says %v", c.pattern, s, got, want)
			}
			if len(prefix) == 5 {
				return
			}
			for _, b := range alphabet {
				walk(append(prefix, b))
			}
		}
		walk(nil)
	}
}
