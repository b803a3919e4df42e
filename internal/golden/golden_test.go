package golden

import (
	"strings"
	"testing"
)

func TestFirstDifference(t *testing.T) {
	got := FirstDifference([]byte("a\nb\nc\nd\n"), []byte("a\nb\nX\nd\n"))
	for _, want := range []string{"first difference at line 3", "     3 | c", "     3 | X", "     2 | b"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if got := FirstDifference([]byte("a\n"), []byte("a\nmore\n")); !strings.Contains(got, "line 2") || !strings.Contains(got, "more") {
		t.Errorf("longer output:\n%s", got)
	}
}
