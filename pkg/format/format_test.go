package format

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	goldenfile "github.com/journeykit/journey/internal/golden"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// inputs lists the journey and configuration files under dir.
func inputs(t testing.TB, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (load.IsJourneyFile(p) || IsConfig(p)) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no input files under %s", dir)
	}
	return files
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	goldenfile.Check(t, path, got)
}

// Every example of the repository formats without error, and the result
// is canonical, stable, means the same and keeps every comment.
func TestExamples(t *testing.T) {
	for _, path := range inputs(t, filepath.Join("..", "..", "examples")) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src := readFile(t, path)
			out, err := Format(path, src)
			if err != nil {
				t.Fatal(err)
			}
			checkFormatted(t, path, src, out)
		})
	}
}

func TestGolden(t *testing.T) {
	for _, path := range inputs(t, filepath.Join("testdata", "golden")) {
		name, _ := filepath.Rel(filepath.Join("testdata", "golden"), path)
		t.Run(name, func(t *testing.T) {
			src := readFile(t, path)
			out, err := Format(path, src)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, path+".golden", out)
			checkFormatted(t, path, src, out)
		})
	}
}

// Files that cannot be formatted give an error with a position, and no
// output.
func TestErrors(t *testing.T) {
	for _, path := range inputs(t, filepath.Join("testdata", "errors")) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			out, err := Format(filepath.Base(path), readFile(t, path))
			if err == nil {
				t.Fatalf("no error; output:\n%s", out)
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %T, want *Error: %v", err, err)
			}
			if fe.Line < 1 || fe.Column < 1 {
				t.Errorf("error without a position: %v", err)
			}
			if out != nil {
				t.Errorf("output with an error: %q", out)
			}
			text := fe.Rule + ": " + err.Error() + "\n"
			for _, r := range fe.Related {
				text += fmt.Sprintf("  related %s:%d:%d: %s\n", r.File, r.Range.Start.Line, r.Range.Start.Column, r.Message)
			}
			golden(t, path+".golden", []byte(text))
		})
	}
}

// checkFormatted checks the properties every formatted file has.
func checkFormatted(t *testing.T, path string, src, out []byte) {
	t.Helper()
	again, err := Format(path, out)
	if err != nil {
		t.Fatalf("formatting the output: %v\n%s", err, out)
	}
	if !bytes.Equal(again, out) {
		t.Errorf("not idempotent:\n%s", Diff("once", "twice", out, again))
	}
	if a, b := countComments(src), countComments(out); a != b {
		t.Errorf("%d comments before, %d after:\n%s", a, b, out)
	}
	if a, b := model(t, path, src), model(t, path, out); a != b {
		t.Errorf("the model changed:\nbefore: %s\nafter:  %s", a, b)
	}
	if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
		t.Errorf("no final line break")
	}
	if bytes.HasPrefix(out, bom) {
		t.Errorf("the byte order mark is kept")
	}
	if bytes.Contains(out, []byte("journey-fmt-")) {
		t.Errorf("a placeholder leaked into the output:\n%s", out)
	}
}

// countComments counts the # that start a comment, the simple way: at the
// start of a line or after a blank. (Quoted text that contains " #" is
// counted too, the same before and after.)
var commentStart = regexp.MustCompile(`(?m)(^|[ \t])#`)

func countComments(text []byte) int {
	text = bytes.TrimPrefix(text, bom)
	return len(commentStart.FindAll(text, -1))
}

// model is the loaded journey (or configuration) of src as JSON, without
// positions, or the loader's findings when there is none.
func model(t testing.TB, path string, src []byte) string {
	t.Helper()
	var v any
	if IsConfig(path) {
		f := load.ParseConfig(path, src)
		v = f.Config
	} else {
		f := load.ParseJourney(path, src)
		if f.Journey == nil {
			var rules []string
			for _, d := range f.Diagnostics {
				rules = append(rules, d.Rule+": "+regexp.MustCompile(`line \d+`).ReplaceAllString(d.Message, "line N"))
			}
			return "no journey: " + strings.Join(rules, "; ")
		}
		v = f.Journey
	}
	zeroPositions(reflect.ValueOf(v))
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

var (
	metaType  = reflect.TypeOf(journey.Meta{})
	rangeType = reflect.TypeOf(journey.Range{})
)

// zeroPositions clears every position (and the list of keys as written,
// whose order fmt changes) in a model value.
func zeroPositions(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			zeroPositions(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == metaType || v.Type() == rangeType {
			if v.CanSet() {
				v.Set(reflect.Zero(v.Type()))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			zeroPositions(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			zeroPositions(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			zeroPositions(e)
			v.SetMapIndex(k, e)
		}
	}
}

// A file past MaxNodes is refused at the first node past the limit; one
// with far more separators than that before it is parsed (a 51 MB file of
// a million stages needed over 11 GB).
func TestTooManyNodes(t *testing.T) {
	var b strings.Builder
	b.WriteString("journey: big\nstages:\n")
	for i := 0; i < MaxNodes/3; i++ {
		fmt.Fprintf(&b, "  - id: s%d\n", i)
	}
	flow := "journey: big\ntags: [" + strings.Repeat("a,", 3*MaxNodes) + "a]\n"
	for name, tc := range map[string]struct {
		src       string
		line, col int
	}{
		"block": {b.String(), 2 + MaxNodes/3 - 1, 5}, // nodes: doc, map, 2 keys+values, list, then 3 per item
		"flow":  {flow, 1, 1},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Format("x.journey.yaml", []byte(tc.src))
			var fe *Error
			if !errors.As(err, &fe) || !strings.Contains(fe.Msg, "more than 100,000 YAML nodes") {
				t.Fatalf("error %v", err)
			}
			if fe.Line != tc.line || fe.Column != tc.col {
				t.Errorf("at %d:%d, want %d:%d", fe.Line, fe.Column, tc.line, tc.col)
			}
		})
	}
}
