package load

import (
	"regexp"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/synth"
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
	p := &parsed{src: newSource(src)}
	p.check(root, 1)
	if p.root == nil && len(p.diags) > 0 {
		return
	}
	fastOK, err := v.fast.valid(root, newExpander(p.nodes+1), 0)
	if err != nil {
		return // alias budget or merge key: the full validator decides alone
	}
	value, err := newExpander(p.nodes+1).value(root, 0)
	if err != nil {
		return
	}
	fullOK := v.compiled.Validate(value) == nil
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
	return journeySchema, configSchema
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
	f.Fuzz(func(t *testing.T, data []byte) {
		j, c := validators(t)
		agree(t, j, data)
		agree(t, c, data)
	})
}
