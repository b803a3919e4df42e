package load

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// minimal is a valid journey whose id is id.
func minimal(id string) string {
	return "journey: " + id + "\ntitle: T\nowner: marketing\nphases: [{id: p, name: P}]\n" +
		"stages:\n  - {id: a, name: A, phase: p, entry: true, next: [b]}\n  - {id: b, name: B, phase: p, outcome: success}\n"
}

const secret = "AWS_SECRET_ACCESS_KEY=FAKE-SECRET-1234567890"

// tree builds files under a fresh directory: "path": content, a content
// "->target" makes a symbolic link, "fifo" a named pipe, "dir" a directory.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case strings.HasPrefix(content, "->"):
			target := strings.TrimPrefix(content, "->")
			target = strings.ReplaceAll(target, "$DIR", dir)
			err = os.Symlink(target, p)
		case content == "fifo":
			err = syscall.Mkfifo(p, 0o644)
		case content == "dir":
			err = os.MkdirAll(p, 0o755)
		default:
			err = os.WriteFile(p, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadWithin runs Load, failing the test instead of hanging when it does
// not return within a generous minute.
func loadWithin(t *testing.T, o Options) ([]*Set, error) {
	t.Helper()
	type result struct {
		sets []*Set
		err  error
	}
	done := make(chan result, 1)
	go func() {
		sets, err := Load(o)
		done <- result{sets, err}
	}()
	select {
	case r := <-done:
		return r.sets, r.err
	case <-time.After(60 * time.Second):
		t.Fatal("Load did not return within 60 s: it blocks")
		return nil, nil
	}
}

// report lists every file loaded and its findings as "path: message"
// lines, and fails the test if the secret's text appears anywhere.
func report(t *testing.T, sets []*Set) []string {
	t.Helper()
	var out []string
	for _, s := range sets {
		files := s.Files
		if s.Config != nil {
			files = append([]*File{s.Config}, files...)
		}
		for _, f := range files {
			if strings.Contains(string(f.Source), "FAKE") {
				t.Errorf("%s: the source holds the target's text", f.Path)
			}
			if len(f.Diagnostics) == 0 {
				out = append(out, f.Path+": ok")
			}
			for _, d := range f.Diagnostics {
				if strings.Contains(d.Message, "FAKE") {
					t.Errorf("%s: a message quotes the target: %s", f.Path, d.Message)
				}
				out = append(out, fmt.Sprintf("%s: %s", f.Path, d.Message))
			}
		}
	}
	return out
}

func TestDirectoryWalkReadsOnlyWhatItShould(t *testing.T) {
	outside := tree(t, map[string]string{"secret.env": secret, "x.journey.yaml": minimal("x")})
	tests := []struct {
		name  string
		files map[string]string
		dir   string   // directory to load from ("" = root), no paths
		paths []string // paths given, relative to dir
		want  []string // findings; ok = loaded without finding
	}{
		{
			name:  "FIFO in a directory (repro 04)",
			files: map[string]string{"d/b.journey.yaml": minimal("b"), "d/fifo.journey.yaml": "fifo"},
			paths: []string{"d"},
			want:  []string{"d/b.journey.yaml: ok", "d/fifo.journey.yaml: is a named pipe (FIFO), not a regular file: skipped"},
		},
		{
			name:  "symbolic link to /dev/zero in a directory (repro 14)",
			files: map[string]string{"d/zero.journey.yaml": "->/dev/zero"},
			paths: []string{"d"},
			want:  []string{"d/zero.journey.yaml: is a character device, not a regular file: skipped"},
		},
		{
			name:  "symbolic link out of the git repository (repro 09)",
			files: map[string]string{".git/HEAD": "ref: refs/heads/main\n", "b.journey.yaml": minimal("b"), "env.journey.yaml": "->" + outside + "/secret.env"},
			want: []string{"b.journey.yaml: ok",
				"env.journey.yaml: is a symbolic link to a file outside the git repository: not read (copy the file in, or name it from where it is)"},
		},
		{
			name:  "symbolic link out of the workspace, inside the repository",
			files: map[string]string{".git/HEAD": "x", ".env": secret, "ws/.journey.yaml": "", "ws/env.journey.yaml": "->../.env", "ws/b.journey.yaml": minimal("b")},
			dir:   "ws",
			want:  []string{".journey.yaml: ok", "b.journey.yaml: ok", "env.journey.yaml: is a symbolic link to a file outside the workspace: not read (copy the file in, or name it from where it is)"},
		},
		{
			name:  "symbolic link out of the directory named, no workspace or repository",
			files: map[string]string{"d/env.journey.yaml": "->" + outside + "/secret.env"},
			paths: []string{"d"},
			want:  []string{"d/env.journey.yaml: is a symbolic link to a file outside the directory d: not read (copy the file in, or name it from where it is)"},
		},
		{
			name:  "relative symbolic link through a directory link out of the workspace",
			files: map[string]string{".journey.yaml": "", "out": "->" + outside, "a.journey.yaml": "->out/x.journey.yaml"},
			want:  []string{".journey.yaml: ok", "a.journey.yaml: is a symbolic link to a file outside the workspace: not read (copy the file in, or name it from where it is)"},
		},
		{
			name:  "symbolic link inside the workspace is read",
			files: map[string]string{".journey.yaml": "", "real/a.journey.yaml": minimal("a"), "b.journey.yaml": "->real/a.journey.yaml"},
			want:  []string{".journey.yaml: ok", "b.journey.yaml: ok", "real/a.journey.yaml: ok"},
		},
		{
			name:  "a named symbolic link out of its workspace is not read either",
			files: map[string]string{".journey.yaml": "", "env.journey.yaml": "->" + outside + "/secret.env"},
			paths: []string{"env.journey.yaml"},
			want:  []string{".journey.yaml: ok", "env.journey.yaml: is a symbolic link to a file outside the workspace: not read (copy the file in, or name it from where it is)"},
		},
		{
			name:  "a named symbolic link outside any workspace or repository is read",
			files: map[string]string{"x.journey.yaml": "->" + outside + "/x.journey.yaml"},
			paths: []string{"x.journey.yaml"},
			want:  []string{"x.journey.yaml: ok"},
		},
		{
			name:  "a link loop between directories does not make the walk loop",
			files: map[string]string{"d/a.journey.yaml": minimal("a"), "d/loop": "->$DIR/d", "d/sub/up": "->..", "d/self.journey.yaml": "->self.journey.yaml"},
			paths: []string{"d"},
			want:  []string{"d/a.journey.yaml: ok", "d/self.journey.yaml: cannot be read: too many levels of symbolic links"},
		},
		{
			name:  "vendor and node_modules are skipped below the directory, not when named",
			files: map[string]string{"vendor/a.journey.yaml": minimal("a"), "x/node_modules/b.journey.yaml": minimal("b"), "c.journey.yaml": minimal("c")},
			paths: []string{".", "vendor"},
			want:  []string{"c.journey.yaml: ok", "vendor/a.journey.yaml: ok"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files)
			sets, err := loadWithin(t, Options{Dir: filepath.Join(root, tt.dir), Paths: tt.paths})
			if err != nil {
				t.Fatal(err)
			}
			got := report(t, sets)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// A file the user names that cannot be read is a usage error that says
// why, not a finding; it never blocks.
func TestNamedFileThatCannotBeRead(t *testing.T) {
	root := tree(t, map[string]string{"fifo.journey.yaml": "fifo", "zero.journey.yaml": "->/dev/zero"})
	for name, want := range map[string]string{
		"fifo.journey.yaml": "fifo.journey.yaml: is a named pipe (FIFO), not a regular file: only regular files are read",
		"zero.journey.yaml": "zero.journey.yaml: is a character device, not a regular file: only regular files are read",
	} {
		_, err := loadWithin(t, Options{Dir: root, Paths: []string{name}})
		var pe *PathError
		if !errors.As(err, &pe) || err.Error() != want {
			t.Errorf("%s: error %v, want a PathError %q", name, err, want)
		}
	}
}

func TestConfigThatCannotBeRead(t *testing.T) {
	big := strings.Repeat("# padding\n", MaxConfigSize/10+1)
	tests := []struct {
		name   string
		files  map[string]string
		config string // --config
		paths  []string
		err    string // the usage error, or "" for none
		want   []string
	}{
		{name: "--config /dev/zero", config: "/dev/zero", err: "/dev/zero: is a character device, not a regular file: only regular files are read"},
		{name: "--config FIFO", files: map[string]string{"c.yaml": "fifo"}, config: "c.yaml", err: "c.yaml: is a named pipe (FIFO), not a regular file: only regular files are read"},
		{name: "--config too large", files: map[string]string{"c.yaml": big}, config: "c.yaml", err: "c.yaml: is 1048580 bytes, more than the 1048576 bytes allowed"},
		{
			name:  ".journey.yaml links to /dev/zero (repro 03)",
			files: map[string]string{".journey.yaml": "->/dev/zero", "b.journey.yaml": minimal("b")},
			err:   ".journey.yaml: is a character device, not a regular file: only regular files are read",
		},
		{
			name:  ".journey.yaml is a FIFO",
			files: map[string]string{".journey.yaml": "fifo", "b.journey.yaml": minimal("b")},
			err:   ".journey.yaml: is a named pipe (FIFO), not a regular file: only regular files are read",
		},
		{
			name:  ".journey.yaml too large",
			files: map[string]string{".journey.yaml": big, "b.journey.yaml": minimal("b")},
			err:   ".journey.yaml: is 1048580 bytes, more than the 1048576 bytes allowed",
		},
		{
			name:  ".journey.yaml links out of the git repository",
			files: map[string]string{".git": "gitdir: elsewhere\n", ".journey.yaml": "->/etc/hostname", "b.journey.yaml": minimal("b")},
			err:   ".journey.yaml: is a symbolic link to a file outside the git repository: the workspace configuration is not read (copy it into the repository)",
		},
		{
			name:  "the configuration of a named file's workspace is a FIFO",
			files: map[string]string{"ws/.journey.yaml": "fifo", "ws/b.journey.yaml": minimal("b")},
			paths: []string{"ws/b.journey.yaml"},
			err:   "ws/.journey.yaml: is a named pipe (FIFO), not a regular file: only regular files are read",
		},
		{
			name:  ".journey.yaml links inside the repository",
			files: map[string]string{".git": "gitdir: elsewhere\n", "conf/shared.yaml": "teams: [marketing]\n", ".journey.yaml": "->conf/shared.yaml", "b.journey.yaml": minimal("b")},
			want:  []string{".journey.yaml: ok", "b.journey.yaml: ok"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files)
			sets, err := loadWithin(t, Options{Dir: root, ConfigFile: tt.config, Paths: tt.paths})
			if tt.err != "" {
				var pe *PathError
				if !errors.As(err, &pe) || err.Error() != tt.err {
					t.Fatalf("error %v, want a PathError %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := report(t, sets)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestFileSizeMessagesSayTheRealSize(t *testing.T) {
	for size, want := range map[int64]string{
		MaxFileSize + 1:  "the file is 67108865 bytes, more than the 67108864 bytes a journey file may have: split it into several journeys",
		100 << 20:        "the file is 100 MiB, more than the 64 MiB a journey file may have: split it into several journeys",
		(3 << 30) + 1000: "the file is 3 GiB, more than the 64 MiB a journey file may have: split it into several journeys",
	} {
		root := tree(t, map[string]string{"d/.keep": ""})
		f, err := os.Create(filepath.Join(root, "d", "big.journey.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil { // sparse: costs no disk
			t.Fatal(err)
		}
		f.Close()
		sets, err := loadWithin(t, Options{Dir: root, Paths: []string{"d"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := report(t, sets); len(got) != 1 || got[0] != "d/big.journey.yaml: "+want {
			t.Errorf("size %d: %q, want %q", size, got, want)
		}
	}
	sets, err := loadWithin(t, Options{Dir: t.TempDir(), Paths: []string{"-"}, Stdin: strings.NewReader(strings.Repeat("#", MaxFileSize+10))})
	if err != nil {
		t.Fatal(err)
	}
	if got := report(t, sets); len(got) != 1 || got[0] != "<stdin>: the file is more than the 64 MiB a journey file may have: split it into several journeys" {
		t.Errorf("stdin: %q", got)
	}
	if got := findings(ParseJourney("x", make([]byte, MaxFileSize+1))); len(got) != 1 || got[0].message != "the file is more than the 64 MiB a journey file may have: split it into several journeys" {
		t.Errorf("ParseJourney: %+v", got)
	}
}

func TestEncodingAndNumberMessages(t *testing.T) {
	utf16 := func(s string, bigEndian, bom bool) string {
		var b []byte
		if bom {
			if bigEndian {
				b = append(b, 0xfe, 0xff)
			} else {
				b = append(b, 0xff, 0xfe)
			}
		}
		for _, c := range []byte(s) {
			if bigEndian {
				b = append(b, 0, c)
			} else {
				b = append(b, c, 0)
			}
		}
		return string(b)
	}
	src := minimal("a")
	tests := []struct{ name, src, at, msg string }{
		{"UTF-16 LE with BOM", utf16(src, false, true), "1:1-1:1", "the file is UTF-16 text: UTF-16 is not supported, save the file as UTF-8"},
		{"UTF-16 BE with BOM", utf16(src, true, true), "1:1-1:1", "the file is UTF-16 text: UTF-16 is not supported, save the file as UTF-8"},
		{"UTF-16 LE without BOM", utf16(src, false, false), "1:1-1:1", "the file is UTF-16 text: UTF-16 is not supported, save the file as UTF-8"},
		{"UTF-16 BE without BOM", utf16(src, true, false), "1:1-1:1", "the file is UTF-16 text: UTF-16 is not supported, save the file as UTF-8"},
		{"binary is still binary", "journey: a\x00\x01", "1:11-1:12", "the file contains a NUL byte: it is binary, not YAML text"},
		{".inf", strings.Replace(src, "entry: true,", "entry: true, emotion: .inf,", 1), "6:54-6:58",
			"stages[0].emotion: expected a whole number or a mapping (key: value lines), got .inf, which is not a finite number (infinite, not a number, or too large)"},
		{"1e400", strings.Replace(src, "next: [b]", "next: [{to: b, rate: 1e400}]", 1), "6:66-6:71",
			"stages[0].next[0].rate: expected a number, got 1e400, which is not a finite number (infinite, not a number, or too large)"},
		{"-.Inf", strings.Replace(src, "next: [b]", "next: [{to: b, rate: -.Inf}]", 1), "6:66-6:71",
			"stages[0].next[0].rate: expected a number, got -.Inf, which is not a finite number (infinite, not a number, or too large)"},
		{"quoted 1e400 is text", strings.Replace(src, "next: [b]", "next: [{to: b, rate: \"1e400\"}]", 1), "6:66-6:73",
			`stages[0].next[0].rate: expected a number, got the text "1e400"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findings(ParseJourney("t.journey.yaml", []byte(tt.src)))
			if len(got) != 1 || got[0].at != tt.at || got[0].message != tt.msg {
				t.Errorf("got %+v\nwant %s %q", got, tt.at, tt.msg)
			}
		})
	}
}

// The repro's 25-deep path and 12 `**`: matching takes (segments+1) x
// (depth+1) steps at most, where backtracking took more than 120 s.
func TestMatchGlobIsPolynomial(t *testing.T) {
	name := strings.Split(strings.Repeat("d/", 25)+"x.journey.yaml", "/")
	for _, k := range []int{1, 7, 12, 40} {
		pattern := strings.Repeat("**/", k) + "nomatch.journey.yaml"
		steps := 0
		if compileGlob(pattern).match(name, &steps) {
			t.Fatalf("k=%d: matched", k)
		}
		if limit := 2 * (len(name) + 1); steps > limit {
			t.Errorf("k=%d: %d steps, want at most %d (runs of ** count once)", k, steps, limit)
		}
		// Separated by other segments, ** are not merged: still bounded
		// by the product.
		pattern = strings.Repeat("**/d/", k) + "nomatch.journey.yaml"
		steps = 0
		compileGlob(pattern).match(name, &steps)
		if limit := (2*k + 2) * (len(name) + 1); steps > limit {
			t.Errorf("k=%d separated: %d steps, want at most %d", k, steps, limit)
		}
	}
}

// matchBacktracking is the old exponential matcher: the reference the new
// one must agree with.
func matchBacktracking(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchBacktracking(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, err := filepath.Match(pat[0], name[0]); err != nil || !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

func TestMatchGlobAgreesWithBacktracking(t *testing.T) {
	segs := []string{"**", "*", "a", "b", "*.journey.yaml", "a*", "[ab]", "**"}
	names := []string{"a", "b", "ab", "x.journey.yaml", "c"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		pat := make([]string, 1+r.Intn(6))
		for j := range pat {
			pat[j] = segs[r.Intn(len(segs))]
		}
		name := make([]string, 1+r.Intn(6))
		for j := range name {
			name[j] = names[r.Intn(len(names))]
		}
		p, n := strings.Join(pat, "/"), strings.Join(name, "/")
		if got, want := MatchGlob(p, n), matchBacktracking(pat, name); got != want {
			t.Fatalf("MatchGlob(%q, %q) = %v, want %v", p, n, got, want)
		}
	}
}

// Repro 12: as a user who cannot read a subdirectory, lint says so at the
// directory instead of passing in silence. Root reads everything, so the
// test runs itself again as nobody.
func TestUnreadableDirectoryIsAFinding(t *testing.T) {
	if dir := os.Getenv("JOURNEY_TEST_UNREADABLE"); dir != "" {
		sets, err := loadWithin(t, Options{Dir: dir, Paths: []string{"d"}})
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(report(t, sets), "\n")
		want := "d/locked: this directory cannot be read (permission denied): the journey files in it are not checked\n" +
			"d/ok.journey.yaml: ok\n" +
			"d/secret.journey.yaml: cannot be read: permission denied"
		if got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
		return
	}
	root := tree(t, map[string]string{"d/ok.journey.yaml": minimal("a"), "d/locked/bad.journey.yaml": "broken: [", "d/secret.journey.yaml": minimal("s")})
	if err := os.Chmod(filepath.Join(root, "d", "locked"), 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "d", "secret.journey.yaml"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "d", "locked"), 0o755) })
	cmd := exec.Command(os.Args[0], "-test.run=^TestUnreadableDirectoryIsAFinding$", "-test.v")
	cmd.Env = append(os.Environ(), "JOURNEY_TEST_UNREADABLE="+root)
	if os.Geteuid() == 0 {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("running as root without setpriv: cannot test as another user")
		}
		// nobody must reach the directory and the test binary: open the
		// directories the test made, then check the rest.
		for p := root; strings.HasPrefix(p, os.TempDir()+string(filepath.Separator)); p = filepath.Dir(p) {
			os.Chmod(p, 0o755)
		}
		for p := root; p != "/"; p = filepath.Dir(p) {
			if info, err := os.Stat(p); err == nil && info.Mode().Perm()&0o005 != 0o005 {
				t.Skipf("%s is not open to other users", p)
			}
		}
		bin := filepath.Join(root, "load.test")
		data, err := os.ReadFile(os.Args[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", bin, "-test.run=^TestUnreadableDirectoryIsAFinding$", "-test.v")
		cmd.Env = append(os.Environ(), "JOURNEY_TEST_UNREADABLE="+root, "HOME=/", "GOCACHE=/nonexistent", "GOFLAGS=")
	}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Errorf("as another user: %v\n%s", err, out)
	}
}
