// Package golden compares test output with golden files: `go test -update`
// rewrites them, and a difference is reported with the first line that
// differs. Every package's golden tests use it; it is imported by tests
// only.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files with the output of the tests")

// Update reports whether the tests run with -update: golden files, and
// the docs generated from code, are to be rewritten rather than compared.
func Update() bool { return *update }

// Check compares got with the golden file at path, or writes got there
// (creating its directory) with -update.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (if the change is meant, go test -update rewrites it):\n%s", path, FirstDifference(want, got))
	}
}

// FirstDifference shows the first line where got differs from want, with
// the line before it, as "want" and "got" excerpts.
func FirstDifference(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	i := 0
	for i < len(wl) && i < len(gl) && wl[i] == gl[i] {
		i++
	}
	excerpt := func(lines []string) string {
		var b strings.Builder
		for n := max(i-1, 0); n <= i+1 && n < len(lines); n++ {
			fmt.Fprintf(&b, "  %4d | %s\n", n+1, cut(lines[n]))
		}
		if i >= len(lines) {
			fmt.Fprintf(&b, "  %4s | (ends here)\n", "")
		}
		return b.String()
	}
	return fmt.Sprintf("first difference at line %d\n--- want\n%s--- got\n%s", i+1, excerpt(wl), excerpt(gl))
}

func cut(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
