package render

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// TestWazeroHasTheMemmoveFix guards a crash that only some machines show:
// wazero before v1.9.0 (go-graphviz v0.2.9 asks for v1.8.1) lets its
// compiled code call Go's runtime.memmove without reserving DX. Since Go
// 1.24, memmove uses DX on its REP MOVSQ path, taken on Intel CPUs with
// ERMS and FSRM for copies of 2 KiB and more, so every layout crashed there
// with "unexpected fault address" (wazero PR #2378). go.mod requires a
// newer wazero; this test fails if a dependency change brings the old one
// back. On such a CPU GODEBUG=cpu.erms=off hides the bug, which is how it
// was confirmed.
func TestWazeroHasTheMemmoveFix(t *testing.T) {
	// A test binary carries no module list, so ask the go command which
	// wazero the module's build list selects.
	out, err := exec.Command("go", "list", "-m", "-f", "{{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}", "github.com/tetratelabs/wazero").Output()
	if err != nil {
		t.Skipf("go list -m: %v", err)
	}
	version := strings.TrimSpace(string(out))
	major, minor, ok := majorMinor(version)
	if !ok {
		t.Fatalf("cannot read wazero's version %q", version)
	}
	if major < 1 || (major == 1 && minor < 9) {
		t.Fatalf("wazero %s is selected: versions before v1.9.0 crash with Go >= 1.24 on Intel CPUs with ERMS+FSRM; require github.com/tetratelabs/wazero v1.9.0 or newer in go.mod", version)
	}
}

func majorMinor(v string) (int, int, bool) {
	parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return major, minor, err1 == nil && err2 == nil
}
