package format

import (
	"math/rand"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// emitterPlain predicts whether yaml.v3 writes a string plain; it must
// agree with the encoder, or formatting would not be stable.
func TestEmitterPlainAgreesWithYAMLv3(t *testing.T) {
	samples := []string{
		"plain", "two words", "a: b", "a:b", "a #b", "a#b", "#a", "- a", "-a", "--- a", "... a",
		"?a", "? a", ":a", "a:", "a,b", "[a", "a]", "{a}", "&a", "*a", "!a", "|a", ">a", "'a", "\"a",
		"%a", "@a", "`a", " a", "a ", "a\tb", "a\nb", "café", "a\u0085b", "a\ufeffb", "", "x y: z",
		"http://example.com/a#b", "C:\\path", "it's", "say \"hi\"", "a\u00a0b", "\u2028",
	}
	r := rand.New(rand.NewSource(2))
	alphabet := []rune("ab :#-,[]{}?'\"\t&*!|>%@`.\\é")
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for j := r.Intn(6) + 1; j > 0; j-- {
			b.WriteRune(alphabet[r.Intn(len(alphabet))])
		}
		samples = append(samples, b.String())
	}
	for _, s := range samples {
		if resolvesToOther(s) {
			continue // the encoder quotes these whatever the analysis says
		}
		for _, flow := range []bool{false, true} {
			for _, key := range []bool{false, true} {
				got := encodesPlain(t, s, flow, key)
				if want := emitterPlain(s, flow, key); got != want {
					t.Errorf("%q (flow %v, key %v): yaml.v3 writes it plain: %v, emitterPlain says %v", s, flow, key, got, want)
				}
			}
		}
	}
}

// resolvesToOther reports whether plain s would not read as a string.
func resolvesToOther(s string) bool {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("k: "+s), &n); err != nil || len(n.Content) == 0 {
		return false
	}
	m := n.Content[0]
	return len(m.Content) == 2 && m.Content[1].Kind == yaml.ScalarNode && m.Content[1].Value == s && m.Content[1].ShortTag() != "!!str"
}

func encodesPlain(t *testing.T, s string, flow, key bool) bool {
	t.Helper()
	scalar := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	other := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "x"}
	m := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{other, scalar}}
	if key {
		m.Content = []*yaml.Node{scalar, other}
	}
	if flow {
		m.Style = yaml.FlowStyle
	}
	out, err := encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{m}})
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	text := string(out)
	if flow {
		text = strings.TrimPrefix(text, "{")
	}
	if !key {
		text = text[strings.Index(text, ": ")+2:]
	}
	return !strings.HasPrefix(text, "'") && !strings.HasPrefix(text, "\"") && !strings.HasPrefix(text, "|") && !strings.HasPrefix(text, "? ")
}

// A quoted string becomes plain only when it reads back the same.
func TestPlainSafe(t *testing.T) {
	for s, want := range map[string]bool{
		"Capture":            true,
		"Send \"Thanks\"":    true,
		"https://x.test/a#b": true,
		"no":                 false,
		"Yes":                false,
		"on":                 false,
		"null":               false,
		"~":                  false,
		"true":               false,
		"1.0":                false,
		"25%":                false,
		"2024-05-01":         false,
		"0x1F":               false,
		".5":                 false,
		"-1":                 false,
		"":                   false,
		" padded":            false,
		"a: b":               false,
		"x #y":               false,
		"#hash":              false,
		"tab\there":          false,
		"two\nlines":         false,
		"=":                  false,
		"<<":                 false,
	} {
		if got := plainSafe(s, false, false); got != want {
			t.Errorf("plainSafe(%q) = %v, want %v", s, got, want)
		}
	}
	if plainSafe("https://x.test", true, false) {
		t.Errorf("a URL is not plain-safe in a flow collection")
	}
}
