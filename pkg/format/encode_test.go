package format

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/synth"
)

// formatSplit formats src with every top-level sequence of at least min
// items written chunk items at a time (min 1 << 30: never split).
func formatSplit(path string, src []byte, min, chunk int) ([]byte, error) {
	defer func(m, c int) { splitMin, splitChunk = m, c }(splitMin, splitChunk)
	splitMin, splitChunk = min, chunk
	return Format(path, src)
}

// The split encode writes the same bytes as one encode of the whole tree,
// for every golden input, error case, example and starter template, split
// at every item and in pieces of a few.
func TestSplitEncodeIsWholeEncode(t *testing.T) {
	var paths []string
	for _, glob := range []string{"testdata/golden/*.yaml", "testdata/errors/*.yaml", "../../examples/*/*.yaml", "../../examples/.journey.yaml", "../starter/templates/*.yaml"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) < 30 {
		t.Fatalf("only %d inputs found", len(paths))
	}
	type input struct {
		name string
		src  []byte
	}
	var inputs []input
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{p, src})
	}
	inputs = append(inputs, input{"synthetic.journey.yaml", synth.Journey("synthetic", 150)})
	split := 0
	for _, in := range inputs {
		whole, wholeErr := formatSplit(in.name, in.src, 1<<30, 1)
		for _, chunk := range []int{1, 3, 32} {
			got, err := formatSplit(in.name, in.src, 1, chunk)
			if (err == nil) != (wholeErr == nil) || err != nil && err.Error() != wholeErr.Error() {
				t.Errorf("%s, pieces of %d: error %v, whole: %v", in.name, chunk, err, wholeErr)
				continue
			}
			if !bytes.Equal(got, whole) {
				t.Errorf("%s, pieces of %d: the split encode differs:\n%s", in.name, chunk, Diff("whole", "split", whole, got))
			}
		}
		if wholeErr == nil && strings.Contains(string(in.src), "\nstages:\n") {
			split++
		}
	}
	if split < 15 {
		t.Errorf("only %d inputs had stages to split", split)
	}
}

// A file that holds the text of a split mark is written whole, correctly.
func TestSplitEncodeMarkInFile(t *testing.T) {
	src := []byte("journey: a\ntitle: journeyfmtsplit0x\nstages:\n  - id: a\n    name: journeyfmtsplit0x\n  - id: b\n")
	whole, err := formatSplit("a.journey.yaml", src, 1<<30, 1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := formatSplit("a.journey.yaml", src, 1, 1)
	if err != nil || !bytes.Equal(got, whole) {
		t.Fatalf("err %v\n%s", err, Diff("whole", "split", whole, got))
	}
}
