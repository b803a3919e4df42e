package format

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"change in the middle", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
			"--- a/x\n+++ b/x\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n",
			"--- a/x\n+++ b/x\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n"},
		{"insert at start", "b\n", "a\nb\n", "--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n+a\n b\n"},
		{"from empty", "", "a\n", "--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+a\n"},
		{"to empty", "a\n", "", "--- a/x\n+++ b/x\n@@ -1 +0,0 @@\n-a\n"},
		{"final newline added", "a\nb", "a\nb\n",
			"--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Diff("a/x", "b/x", []byte(tt.a), []byte(tt.b)))
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// Random edits: the diff applies with patch(1) and gives the new text.
func TestDiffAppliesWithPatch(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("no patch command")
	}
	r := rand.New(rand.NewSource(1))
	dir := t.TempDir()
	for i := 0; i < 30; i++ {
		var a []string
		for j := r.Intn(40); j > 0; j-- {
			a = append(a, fmt.Sprint(r.Intn(8)))
		}
		b := append([]string(nil), a...)
		for j := r.Intn(6); j > 0; j-- {
			k := r.Intn(len(b) + 1)
			switch r.Intn(3) {
			case 0:
				b = append(b[:k], append([]string{"new"}, b[k:]...)...)
			case 1:
				if k < len(b) {
					b = append(b[:k], b[k+1:]...)
				}
			case 2:
				if k < len(b) {
					b[k] = "changed"
				}
			}
		}
		old, new := lines(a), lines(b)
		d := Diff("a/f.txt", "b/f.txt", old, new)
		file := filepath.Join(dir, "f.txt")
		if err := os.WriteFile(file, old, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(patch, "-s", "-p1", "-d", dir)
		cmd.Stdin = bytes.NewReader(d)
		if out, err := cmd.CombinedOutput(); err != nil && len(d) > 0 {
			t.Fatalf("patch: %v %s\n%s", err, out, d)
		}
		got, _ := os.ReadFile(file)
		if !bytes.Equal(got, new) {
			t.Fatalf("patched:\n%s\nwant:\n%s\ndiff:\n%s", got, new, d)
		}
	}
}

func lines(ls []string) []byte {
	if len(ls) == 0 {
		return nil
	}
	return []byte(strings.Join(ls, "\n") + "\n")
}
