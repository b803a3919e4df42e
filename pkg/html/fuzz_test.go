package html

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/journeykit/journey/internal/escape"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

// FuzzPageStrings: whatever a journey's strings hold, the page has its
// two script elements and no other, its data is valid JSON without a raw
// <, > or &, and every string reads back as written (cleaned).
//
//	go test ./pkg/html -run '^$' -fuzz '^FuzzPageStrings$' -fuzztime 1m -parallel 1
func FuzzPageStrings(f *testing.F) {
	for _, s := range []string{"</script><script>alert(1)</script>", "\u2028\u2029", "<!--", "]]>", "\u202e", "javascript:alert(1)", "\x00\xff", "&lt;"} {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, title, name, other string) {
		j := &journey.Journey{ID: journey.Text{Value: "j"}, Title: title, File: other,
			Personas: []*journey.Persona{{ID: journey.Text{Value: other}, Name: name}},
			Stages: []*journey.Stage{{ID: journey.Text{Value: name}, Name: name, Doing: other, Pains: []string{title},
				Touchpoints: []*journey.Touchpoint{{Template: other, UTM: &journey.UTM{Values: map[string]journey.Text{"source": {Value: name}}}}},
				Next:        []*journey.Transition{{To: journey.Text{Value: other}, When: title}}}}}
		out := Write(Input{Journey: j, View: "flow", Flow: []byte(`<svg viewBox="0 0 1 1"></svg>`), Canvas: []byte(`<svg viewBox="0 0 1 1"></svg>`),
			Options: Options{Title: title, Findings: []diag.Diagnostic{{Stage: name, Message: other, Severity: diag.Warning}},
				Changes: []Change{{Kind: other, Stage: name, Text: title}}, Overlay: &Overlay{Summary: title, Stages: map[string]StageFigure{name: {Text: other}}}}})
		if n, m := bytes.Count(out, []byte("<script")), bytes.Count(out, []byte("</script")); n != 2 || m != 2 {
			t.Fatalf("%d <script and %d </script", n, m)
		}
		m := dataRE.FindSubmatch(out)
		if m == nil || bytes.ContainsAny(m[1], "<>&") {
			t.Fatal("the data is missing or holds a raw <, > or &")
		}
		var d data
		if err := json.Unmarshal(m[1], &d); err != nil {
			t.Fatal(err)
		}
		if d.Journey.Title != escape.Clean(title) || d.Stages[0].Name != escape.Clean(name) && name != "" || d.Stages[0].Doing != escape.Clean(other) {
			t.Fatalf("strings changed: %q %q %q", d.Journey.Title, d.Stages[0].Name, d.Stages[0].Doing)
		}
	})
}
