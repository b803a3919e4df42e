package format

import (
	"bytes"
	"errors"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
)

// TestMutations formats a few hundred damaged variants of the test files
// (tokens, comments and lines added, removed or changed, with a fixed
// seed): Format never panics; it either refuses with an *Error that is not
// an internal one, or gives a stable result with the same model and the
// same comments. The fuzz target does the same at random.
func TestMutations(t *testing.T) {
	var seeds [][]byte
	for _, path := range inputs(t, filepath.Join("testdata", "golden")) {
		seeds = append(seeds, readFile(t, path))
	}
	tokens := []string{"#", " # c", "\n", "[", "]", "{", "}", ",", ":", "- ", "&a ", "*a", "'", "\"", "|", ">",
		"  ", "\t", "!!str ", "? ", "<<: ", "\r\n", "\xef\xbb\xbf", "🚀", "x-k: v\n"}
	r := rand.New(rand.NewSource(7))
	n := 400
	if testing.Short() {
		n = 100
	}
	formatted, refused := 0, 0
	for i := 0; i < n; i++ {
		src := mutate(r, seeds[r.Intn(len(seeds))], tokens)
		out, err := Format("m.journey.yaml", src)
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %T: %v", err, err)
			}
			if strings.Contains(fe.Msg, "internal error") || strings.Contains(fe.Msg, "stably") {
				t.Errorf("%v\ninput: %q", err, src)
			}
			refused++
			continue
		}
		formatted++
		again, err := Format("m.journey.yaml", out)
		if err != nil || !bytes.Equal(again, out) {
			t.Errorf("not idempotent (%v)\ninput: %q", err, src)
			continue
		}
		if a, b := model(t, "m.journey.yaml", src), model(t, "m.journey.yaml", out); a != b {
			t.Errorf("model changed\ninput: %q\nbefore: %s\nafter:  %s", src, a, b)
		}
		text, _ := normalize(src)
		outText, _ := normalize(out)
		in, _ := parse(text)
		got, _ := parse(outText)
		if a, b := len(scanComments(text, in)), len(scanComments(outText, got)); a != b {
			t.Errorf("%d comments before, %d after\ninput: %q", a, b, src)
		}
	}
	t.Logf("%d formatted, %d refused", formatted, refused)
}

func mutate(r *rand.Rand, seed []byte, tokens []string) []byte {
	src := append([]byte(nil), seed...)
	for m := r.Intn(3) + 1; m > 0; m-- {
		lines := bytes.Split(src, []byte("\n"))
		li := r.Intn(len(lines))
		i := r.Intn(len(src) + 1)
		switch r.Intn(7) {
		case 0:
			tok := tokens[r.Intn(len(tokens))]
			src = append(src[:i:i], append([]byte(tok), src[i:]...)...)
		case 1:
			if i < len(src) {
				src = append(src[:i:i], src[min(len(src), i+r.Intn(20)):]...)
			}
		case 2:
			if i < len(src) {
				src[i] = byte(r.Intn(128))
			}
		case 3:
			lines = append(lines[:li+1:li+1], lines[li:]...)
			src = bytes.Join(lines, []byte("\n"))
		case 4:
			lines = append(lines[:li:li], lines[li+1:]...)
			src = bytes.Join(lines, []byte("\n"))
		case 5:
			c := append(bytes.Repeat([]byte(" "), r.Intn(9)), []byte("# note")...)
			lines = append(lines[:li:li], append([][]byte{c}, lines[li:]...)...)
			src = bytes.Join(lines, []byte("\n"))
		case 6:
			lines[li] = append(lines[li][:len(lines[li]):len(lines[li])], []byte(" # tail")...)
			src = bytes.Join(lines, []byte("\n"))
		}
	}
	return src
}
