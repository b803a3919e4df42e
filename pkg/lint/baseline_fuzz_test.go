package lint

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/safeio"
	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/diag"
)

// FuzzReadBaseline reads arbitrary bytes as a baseline file: it never
// panics, an error is a *BaselineError (or the size cap's) whose message
// is safe for a terminal and free of Go's decoder wording, and a baseline
// that reads filters findings without panicking and writes back to a file
// that reads the same.
func FuzzReadBaseline(f *testing.F) {
	var good bytes.Buffer
	_ = NewBaseline([]diag.Diagnostic{{File: "a.journey.yaml", Rule: "dead-end", Message: `stage "x" is a dead end`}}, "").Write(&good)
	f.Add(good.Bytes())
	f.Add([]byte(`{"version":1,"findings":[{"file":"a","rule":"r","message":"m","count":3}]}`))
	f.Add([]byte(`{"version":1,"findings":[{"count":-1}]}`))
	f.Add([]byte(`{"version":1,"findings":[{"count":9223372036854775807},{"count":9223372036854775807}]}`))
	f.Add([]byte(`{"version":1,"bogus":1}`))
	f.Add([]byte(`{"version":"1"}`))
	f.Add([]byte(`{"version":1e400}`))
	f.Add([]byte(`{"version":1}{}`))
	f.Add([]byte("null"))
	f.Add([]byte(""))
	f.Add([]byte("{\"version\":1,\n\"findings\":[{\"file\":\"\x1b]0;T\x07\"}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadBaseline(bytes.NewReader(data))
		if err != nil {
			var be *BaselineError
			var tl *safeio.TooLargeError
			if !errors.As(err, &be) && !errors.As(err, &tl) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			msg := err.Error()
			if !termsafe.IsSafe(msg) {
				t.Fatalf("error message is not terminal-safe: %q", msg)
			}
			for _, internal := range []string{"json:", "Go value", "main.", "lint.", "reflect"} {
				if strings.Contains(msg, internal) {
					t.Fatalf("error message has Go internals (%q): %q", internal, msg)
				}
			}
			return
		}
		var ds []diag.Diagnostic
		for _, e := range b.Findings {
			ds = append(ds, diag.Diagnostic{File: e.File, Rule: e.Rule, Journey: e.Journey, Stage: e.Stage, Message: e.Message})
		}
		if left := b.Filter(ds, ""); len(left) != 0 {
			t.Fatalf("a baseline does not hide its own findings: %d left", len(left))
		}
		var out bytes.Buffer
		if err := NewBaseline(ds, "").Write(&out); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadBaseline(&out); err != nil {
			t.Fatalf("a written baseline does not read back: %v", err)
		}
	})
}
