package format

import (
	"bytes"
	"path/filepath"
	"testing"
)

// FuzzFormat: Format never panics; when it succeeds, its output formats to
// itself, loads to the same model and has the same comments. The seeds are
// the small files of testdata (TestExamples covers the large examples):
//
//	go test ./pkg/format -run '^$' -fuzz FuzzFormat -fuzztime 60s -fuzzminimizetime 5s
func FuzzFormat(f *testing.F) {
	for _, dir := range []string{filepath.Join("testdata", "golden"), filepath.Join("testdata", "errors")} {
		for _, path := range inputs(f, dir) {
			f.Add(readFile(f, path), IsConfig(path))
		}
	}
	f.Add([]byte("journey: a # c\ntags: [x, # y\n  z]\n"), false)
	f.Add([]byte("a: &a {b: 1}\nc: *a\n"), false)
	f.Add([]byte("stages:\n- id: a\n  # c\n\n  # d\n- id: b\n"), false)
	f.Fuzz(func(t *testing.T, src []byte, config bool) {
		path := "fuzz.journey.yaml"
		if config {
			path = filepath.Join("ws", ".journey.yaml")
		}
		out, err := Format(path, src)
		// Written in pieces (encode.go), the file formats to the same bytes.
		if split, splitErr := formatSplit(path, src, 1, 2); (splitErr == nil) != (err == nil) || err == nil && !bytes.Equal(split, out) {
			t.Fatalf("split encode: %v (whole: %v)\n%s", splitErr, err, Diff("whole", "split", out, split))
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		again, err := Format(path, out)
		if err != nil {
			t.Fatalf("formatting the output fails: %v\ninput:\n%q\noutput:\n%q", err, src, out)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("not idempotent:\n%s", Diff("once", "twice", out, again))
		}
		if a, b := model(t, path, src), model(t, path, out); a != b {
			t.Fatalf("the model changed:\ninput:\n%q\noutput:\n%q\nbefore: %s\nafter:  %s", src, out, a, b)
		}
		text, _ := normalize(src)
		outText, _ := normalize(out)
		in, _ := parse(text)
		got, _ := parse(outText)
		if a, b := len(scanComments(text, in)), len(scanComments(outText, got)); a != b {
			t.Fatalf("%d comments before, %d after:\ninput:\n%q\noutput:\n%q", a, b, src, out)
		}
	})
}
