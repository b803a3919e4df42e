package gitrev

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/load"
)

var haveGit bool

func TestMain(m *testing.M) {
	_, err := exec.LookPath("git")
	haveGit = err == nil
	// Keep the user's configuration and any surrounding repository (as when
	// the tests run from a git hook) out of the test repositories.
	os.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	os.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	for _, k := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"} {
		os.Unsetenv(k)
	}
	os.Exit(m.Run())
}

func requireGit(tb testing.TB) {
	tb.Helper()
	if !haveGit {
		tb.Skip("git is not installed; skipping tests that need a real git repository")
	}
}

// git runs git in dir and returns its trimmed output.
func git(tb testing.TB, dir string, args ...string) string {
	tb.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
		"GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// newRepo makes an empty repository on branch main.
func newRepo(tb testing.TB) string {
	tb.Helper()
	requireGit(tb)
	dir := tb.TempDir()
	git(tb, dir, "init", "-q")
	git(tb, dir, "symbolic-ref", "HEAD", "refs/heads/main") // works before git 2.28's init -b
	git(tb, dir, "config", "commit.gpgsign", "false")
	return dir
}

func writeFile(tb testing.TB, root, rel, content string) {
	tb.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func commitAll(tb testing.TB, dir, msg string) string {
	tb.Helper()
	git(tb, dir, "add", "-A")
	git(tb, dir, "commit", "-q", "--allow-empty", "-m", msg)
	return git(tb, dir, "rev-parse", "HEAD")
}

func open(tb testing.TB, dir string) *Repo {
	tb.Helper()
	r, err := Open(dir)
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	return r
}

func isJourney(p string) bool { return strings.HasSuffix(p, ".journey.yaml") }

func checkFiles(t *testing.T, got map[string][]byte, want map[string]string) {
	t.Helper()
	for p, w := range want {
		g, ok := got[p]
		if !ok {
			t.Errorf("missing %q", p)
			continue
		}
		if string(g) != w {
			t.Errorf("%q = %q, want %q", p, g, w)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("unexpected file %q", p)
		}
	}
}

func TestOpenOutsideRepository(t *testing.T) {
	requireGit(t)
	dir := t.TempDir()
	// Do not let git find a repository that happens to enclose the temp dir.
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	_, err := Open(dir)
	if err == nil {
		t.Fatal("Open outside a repository succeeded")
	}
	if !errors.Is(err, ErrNotRepository) {
		t.Errorf("error is not ErrNotRepository: %v", err)
	}
	want := "not inside a git repository (journey diff --base needs one; to compare two files use journey diff OLD NEW)"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

func TestOpenWithoutGit(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Open(t.TempDir())
	if err == nil || !errors.Is(err, ErrGitNotInstalled) || !strings.Contains(err.Error(), "git is not installed") {
		t.Fatalf("Open without git: %v", err)
	}
}

func TestOpenFromSubdirectory(t *testing.T) {
	dir := newRepo(t)
	writeFile(t, dir, "a/b/x.journey.yaml", "x")
	commitAll(t, dir, "one")
	for _, from := range []string{dir, filepath.Join(dir, "a", "b"), filepath.Join(dir, "a", "b", "x.journey.yaml")} {
		r := open(t, from)
		a, err1 := os.Stat(r.Root)
		b, err2 := os.Stat(dir)
		if err1 != nil || err2 != nil || !os.SameFile(a, b) || !filepath.IsAbs(r.Root) {
			t.Errorf("Open(%s).Root = %s, want %s", from, r.Root, dir)
		}
		if r.ProcessCount() != 1 {
			t.Errorf("Open ran %d git processes, want 1", r.ProcessCount())
		}
	}
}

func TestOpenThroughSymlink(t *testing.T) {
	dir := newRepo(t)
	writeFile(t, dir, "sub/x", "x")
	commitAll(t, dir, "one")
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
	r := open(t, filepath.Join(link, "sub"))
	if r.Root != link {
		t.Errorf("Root = %s, want the path as given, %s", r.Root, link)
	}
}

func TestFiles(t *testing.T) {
	dir := newRepo(t)
	unicodeName := "journeys/ünïcödé ジャーニー.journey.yaml"
	old := map[string]string{
		"journeys/a.journey.yaml":             "a v1\n",
		"journeys/with space.journey.yaml":    "space\n",
		unicodeName:                           "unicode\n",
		"journeys/nested/deep/b.journey.yaml": "b\n",
		"journeys/nested/c.journey.yaml":      "",
		"journeys/dup.journey.yaml":           "space\n", // same blob as another file
	}
	for p, c := range old {
		writeFile(t, dir, p, c)
	}
	writeFile(t, dir, "journeys/notes.txt", "not a journey")
	writeFile(t, dir, "journeyside/x.journey.yaml", "prefix of journeys but not under it")
	writeFile(t, dir, "other/o.journey.yaml", "other")
	withNewline := runtime.GOOS != "windows"
	if withNewline {
		writeFile(t, dir, "journeys/new\nline.journey.yaml", "newline\n")
		old["journeys/new\nline.journey.yaml"] = "newline\n"
	}
	if runtime.GOOS != "windows" {
		if err := os.Symlink("a.journey.yaml", filepath.Join(dir, "journeys", "link.journey.yaml")); err != nil {
			t.Fatal(err)
		}
	}
	git(t, dir, "add", "-A")
	// A submodule entry (mode 160000), without a real submodule behind it.
	git(t, dir, "update-index", "--add", "--cacheinfo", "160000,0123456789abcdef0123456789abcdef01234567,journeys/sub.journey.yaml")
	c1 := commitAll(t, dir, "one")

	// Second commit: move b, change a.
	if err := os.MkdirAll(filepath.Join(dir, "journeys", "moved"), 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "mv", "journeys/nested/deep/b.journey.yaml", "journeys/moved/b.journey.yaml")
	writeFile(t, dir, "journeys/moved/b.journey.yaml", "b v2\n")
	writeFile(t, dir, "journeys/a.journey.yaml", "a v2\n")
	c2 := commitAll(t, dir, "two")

	// The work tree loses a file and gains one; neither matters at HEAD.
	if err := os.Remove(filepath.Join(dir, "journeys", "a.journey.yaml")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "journeys/untracked.journey.yaml", "untracked")

	r := open(t, dir)
	head, err := r.Resolve("HEAD", false)
	if err != nil {
		t.Fatal(err)
	}
	if head != c2 {
		t.Fatalf("Resolve(HEAD) = %s, want %s", head, c2)
	}

	before := r.ProcessCount()
	got, err := r.Files(head, []string{"journeys"}, isJourney)
	if err != nil {
		t.Fatal(err)
	}
	if n := r.ProcessCount() - before; n != 2 {
		t.Errorf("Files ran %d git processes, want 2", n)
	}
	want := map[string]string{}
	for p, c := range old {
		want[p] = c
	}
	delete(want, "journeys/nested/deep/b.journey.yaml")
	want["journeys/moved/b.journey.yaml"] = "b v2\n"
	want["journeys/a.journey.yaml"] = "a v2\n" // deleted in the work tree, read from HEAD
	checkFiles(t, got, want)
	if &got["journeys/dup.journey.yaml"][0] == &got["journeys/with space.journey.yaml"][0] {
		t.Error("identical files share memory")
	}

	// At the first commit, b is at its old path with its old content.
	got, err = r.Files(c1, []string{"journeys"}, isJourney)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, got, old)

	// Several paths, one a file, with OS separators and a trailing slash.
	got, err = r.Files(c1, []string{filepath.Join("journeys", "nested") + string(filepath.Separator), "other/o.journey.yaml", unicodeName}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, got, map[string]string{
		"journeys/nested/deep/b.journey.yaml": "b\n",
		"journeys/nested/c.journey.yaml":      "",
		"other/o.journey.yaml":                "other",
		unicodeName:                           "unicode\n",
	})

	// "" and "." mean the whole repository; keep sees slash paths.
	for _, whole := range [][]string{nil, {""}, {"."}, {"journeys", "."}} {
		var seen []string
		got, err = r.Files(c2, whole, func(p string) bool {
			seen = append(seen, p)
			return strings.HasPrefix(p, "other/") || strings.HasPrefix(p, "journeyside/")
		})
		if err != nil {
			t.Fatal(err)
		}
		checkFiles(t, got, map[string]string{
			"other/o.journey.yaml":       "other",
			"journeyside/x.journey.yaml": "prefix of journeys but not under it",
		})
		for _, p := range seen {
			if strings.Contains(p, "\\") || strings.HasPrefix(p, "/") || strings.HasPrefix(p, `"`) {
				t.Errorf("keep called with %q", p)
			}
			if p == "journeys/link.journey.yaml" || p == "journeys/sub.journey.yaml" {
				t.Errorf("keep called with symlink or submodule %q", p)
			}
		}
	}

	// A path that is not there is no error, just nothing.
	got, err = r.Files(c2, []string{"nowhere"}, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("Files(nowhere) = %v, %v", got, err)
	}
	// Bad commits and paths.
	if _, err := r.Files("0123456789abcdef0123456789abcdef01234567", nil, nil); err == nil {
		t.Error("Files at a missing commit succeeded")
	}
	if _, err := r.Files("--output=x", nil, nil); err == nil {
		t.Error("Files at an option succeeded")
	}
	if _, err := r.Files(c2, []string{"../x"}, nil); err == nil {
		t.Error("Files outside the repository succeeded")
	}
}

func TestFilesSizeLimit(t *testing.T) {
	dir := newRepo(t)
	writeFile(t, dir, "big.journey.yaml", strings.Repeat("x", 100))
	writeFile(t, dir, "small.journey.yaml", "x")
	c := commitAll(t, dir, "one")
	r := open(t, dir)
	defer func(old int64) { maxBlobSize = old }(maxBlobSize)
	maxBlobSize = 50
	_, err := r.Files(c, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "big.journey.yaml") {
		t.Errorf("Files with a file over the limit: %v", err)
	}
	got, err := r.Files(c, nil, func(p string) bool { return p != "big.journey.yaml" })
	if err != nil || string(got["small.journey.yaml"]) != "x" {
		t.Errorf("Files skipping the big file: %v, %v", got, err)
	}
}

func TestResolve(t *testing.T) {
	dir := newRepo(t)
	writeFile(t, dir, "f", "1")
	commitAll(t, dir, "c1")
	writeFile(t, dir, "f", "2")
	fork := commitAll(t, dir, "c2")
	git(t, dir, "checkout", "-q", "-b", "feature")
	writeFile(t, dir, "g", "feature")
	feature := commitAll(t, dir, "c3")
	git(t, dir, "checkout", "-q", "main")
	writeFile(t, dir, "f", "3")
	main := commitAll(t, dir, "c4")
	git(t, dir, "checkout", "-q", "feature")

	r := open(t, dir)
	for _, tc := range []struct {
		ref       string
		mergeBase bool
		want      string
	}{
		{"HEAD", false, feature},
		{"feature", false, feature},
		{"main", false, main},
		{"refs/heads/main", false, main},
		{main[:10], false, main},
		{"main~1", false, fork},
		{"HEAD^", false, fork},
		{"main", true, fork},
		{"HEAD", true, feature},
	} {
		before := r.ProcessCount()
		got, err := r.Resolve(tc.ref, tc.mergeBase)
		if err != nil {
			t.Errorf("Resolve(%q, %v): %v", tc.ref, tc.mergeBase, err)
			continue
		}
		if got != tc.want {
			t.Errorf("Resolve(%q, %v) = %s, want %s", tc.ref, tc.mergeBase, got, tc.want)
		}
		n, want := r.ProcessCount()-before, 1
		if tc.mergeBase {
			want = 2
		}
		if n != want {
			t.Errorf("Resolve(%q, %v) ran %d git processes, want %d", tc.ref, tc.mergeBase, n, want)
		}
	}

	if _, err := r.Resolve("no-such-branch", false); err == nil || !strings.Contains(err.Error(), `"no-such-branch"`) {
		t.Errorf("unknown ref: %v", err)
	}
	if _, err := r.Resolve("no-such-branch", true); err == nil || !strings.Contains(err.Error(), `"no-such-branch"`) {
		t.Errorf("unknown ref with merge base: %v", err)
	}
	if _, err := r.Resolve("HEAD:f", false); err == nil {
		t.Error("a blob resolved as a commit")
	}

	out := filepath.Join(t.TempDir(), "x")
	for _, mb := range []bool{false, true} {
		_, err := r.Resolve("--output="+out, mb)
		if err == nil || !strings.Contains(err.Error(), "cannot start with '-'") {
			t.Errorf("Resolve(--output=..., %v): %v", mb, err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("Resolve(--output=...) created %s", out)
		}
	}
	_, err := r.Resolve("-x", false)
	if want := `invalid revision "-x": a revision cannot start with '-'`; err == nil || err.Error() != want {
		t.Errorf("Resolve(-x) = %v, want %s", err, want)
	}
	if _, err := r.Resolve("", false); err == nil {
		t.Error("Resolve of an empty revision succeeded")
	}
}

func TestResolveUnrelatedHistories(t *testing.T) {
	dir := newRepo(t)
	writeFile(t, dir, "f", "1")
	commitAll(t, dir, "c1")
	git(t, dir, "checkout", "-q", "--orphan", "other")
	writeFile(t, dir, "f", "2")
	commitAll(t, dir, "o1")
	r := open(t, dir)
	if _, err := r.Resolve("main", true); err == nil || !strings.Contains(err.Error(), "no merge base") {
		t.Errorf("merge base of unrelated histories: %v", err)
	}
}

func fileURL(p string) string {
	p = filepath.ToSlash(p)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return "file://" + p
}

func TestShallowClone(t *testing.T) {
	src := newRepo(t)
	for i := 1; i <= 3; i++ {
		writeFile(t, src, "f", fmt.Sprint(i))
		commitAll(t, src, fmt.Sprint("c", i))
	}
	git(t, src, "checkout", "-q", "-b", "side", "HEAD~2")
	writeFile(t, src, "s", "side")
	commitAll(t, src, "s1")
	git(t, src, "checkout", "-q", "main")

	clone := filepath.Join(t.TempDir(), "clone")
	git(t, t.TempDir(), "clone", "-q", "--depth", "1", "--no-single-branch", fileURL(src), clone)
	r := open(t, clone)

	if _, err := r.Resolve("HEAD", false); err != nil {
		t.Errorf("Resolve(HEAD) in a shallow clone: %v", err)
	}
	_, err := r.Resolve("HEAD~2", false)
	if err == nil || !strings.Contains(err.Error(), "shallow") || !strings.Contains(err.Error(), "fetch") {
		t.Errorf("Resolve(HEAD~2) in a shallow clone: %v", err)
	}
	_, err = r.Resolve("origin/nope", false)
	if err == nil || !strings.Contains(err.Error(), "shallow") || !strings.Contains(err.Error(), "git fetch --deepen=100 origin nope") {
		t.Errorf("Resolve(origin/nope) in a shallow clone: %v", err)
	}
	// origin/side is there, but not enough history to find where it forked.
	_, err = r.Resolve("origin/side", true)
	if err == nil || !strings.Contains(err.Error(), "shallow") || !strings.Contains(err.Error(), "git fetch --deepen=100 origin side") {
		t.Errorf("merge base of origin/side in a shallow clone: %v", err)
	}
	t.Logf("example: %v", err)
}

// make500 commits 500 small journey files in 20 directories.
func make500(tb testing.TB) (dir string, want map[string]string) {
	dir = newRepo(tb)
	want = map[string]string{}
	for i := 0; i < 500; i++ {
		p := fmt.Sprintf("journeys/team%02d/journey %03d.journey.yaml", i%20, i)
		c := fmt.Sprintf("name: journey %d\nsteps:\n  - id: s%d\n", i, i)
		writeFile(tb, dir, p, c)
		want[p] = c
	}
	writeFile(tb, dir, "journeys/README.md", "not a journey")
	commitAll(tb, dir, "500 journeys")
	return dir, want
}

func TestFiles500ProcessCount(t *testing.T) {
	dir, want := make500(t)
	r := open(t, dir)
	commit, err := r.Resolve("main", false)
	if err != nil {
		t.Fatal(err)
	}
	before := r.ProcessCount()
	got, err := r.Files(commit, []string{"journeys"}, isJourney)
	if err != nil {
		t.Fatal(err)
	}
	if n := r.ProcessCount() - before; n > 4 {
		t.Errorf("Files on 500 files ran %d git processes, want at most 4", n)
	}
	if len(got) != 500 {
		t.Errorf("read %d files, want 500", len(got))
	}
	checkFiles(t, got, want)
	if total := r.ProcessCount(); total > 6 {
		t.Errorf("Open+Resolve+Files ran %d git processes", total)
	}
}

// BenchmarkFiles500 reads 500 journey files at a commit, with the objects
// loose (as just committed) and packed (as after a clone or git gc).
func BenchmarkFiles500(b *testing.B) {
	requireGit(b)
	dir, _ := make500(b)
	b.Run("loose", func(b *testing.B) { benchmarkFiles(b, dir) })
	git(b, dir, "gc", "-q")
	b.Run("packed", func(b *testing.B) { benchmarkFiles(b, dir) })
}

func benchmarkFiles(b *testing.B, dir string) {
	r := open(b, dir)
	commit, err := r.Resolve("HEAD", false)
	if err != nil {
		b.Fatal(err)
	}
	before := r.ProcessCount()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := r.Files(commit, []string{"journeys"}, isJourney)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != 500 {
			b.Fatalf("read %d files, want 500", len(got))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(r.ProcessCount()-before)/float64(b.N), "procs/op")
}

func TestIgnoresGitDirEnvironment(t *testing.T) {
	dir := newRepo(t)
	writeFile(t, dir, "x.journey.yaml", "mine")
	commitAll(t, dir, "one")
	other := newRepo(t)
	writeFile(t, other, "x.journey.yaml", "other")
	commitAll(t, other, "one")
	// As in a git hook run for another repository.
	t.Setenv("GIT_DIR", filepath.Join(other, ".git"))
	t.Setenv("GIT_WORK_TREE", other)
	r := open(t, dir)
	c, err := r.Resolve("HEAD", false)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Files(c, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, got, map[string]string{"x.journey.yaml": "mine"})
}

func TestErrorMessages(t *testing.T) {
	dir := newRepo(t)
	writeFile(t, dir, "x", "x")
	commitAll(t, dir, "one")
	r := open(t, dir)
	for _, tc := range []struct {
		err  func() error
		want string
	}{
		{func() error { _, err := r.Resolve("nope", false); return err }, `unknown revision "nope": not a commit in this repository`},
		{func() error { _, err := r.Resolve("HEAD:x", false); return err }, `unknown revision "HEAD:x"`},
		{func() error { _, err := r.Files("nope", nil, nil); return err }, "listing files at nope: git ls-tree failed: fatal:"},
	} {
		if err := tc.err(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want it to say %q", err, tc.want)
		}
	}
}

// In a partial clone (--filter=blob:none) the blobs are fetched in one batch,
// not by one lazy fetch per file.
func TestPartialClone(t *testing.T) {
	src := newRepo(t)
	git(t, src, "config", "uploadpack.allowFilter", "true")
	git(t, src, "config", "uploadpack.allowAnySHA1InWant", "true")
	want := map[string]string{}
	for i := 0; i < 30; i++ {
		p := fmt.Sprintf("journeys/j%02d.journey.yaml", i)
		want[p] = fmt.Sprint("journey ", i, "\n")
		writeFile(t, src, p, want[p])
	}
	writeFile(t, src, "other.txt", "x")
	commitAll(t, src, "one")
	writeFile(t, src, "other.txt", "y") // HEAD does not touch journeys/
	commitAll(t, src, "two")

	clone := filepath.Join(t.TempDir(), "clone")
	git(t, t.TempDir(), "-c", "gc.auto=0", "clone", "-q", "--filter=blob:none", "--no-checkout", fileURL(src), clone)
	git(t, clone, "config", "gc.auto", "0")
	r := open(t, clone)
	if !r.isPartialClone() {
		t.Skip("git did not make a partial clone")
	}
	trace := filepath.Join(t.TempDir(), "trace2.json")
	t.Setenv("GIT_TRACE2_EVENT", trace)
	commit, err := r.Resolve("HEAD", false)
	if err != nil {
		t.Fatal(err)
	}
	before := r.ProcessCount()
	got, err := r.Files(commit, []string{"journeys"}, isJourney)
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, got, want)
	t.Logf("Files in a partial clone ran %d git processes", r.ProcessCount()-before)
	if n := r.ProcessCount() - before; n > 5 {
		t.Errorf("Files ran %d git processes, want at most 5", n)
	}
	if data, err := os.ReadFile(trace); err == nil {
		fetches := 0
		for _, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, `"event":"cmd_name"`) && strings.Contains(line, `"name":"fetch"`) {
				fetches++
			}
		}
		if fetches != 1 {
			t.Errorf("%d git fetch processes, want 1", fetches)
		}
	}
	// Now everything is here: no fetch at all.
	before = r.ProcessCount()
	if _, err := r.Files(commit, []string{"journeys"}, isJourney); err != nil {
		t.Fatal(err)
	}
	if n := r.ProcessCount() - before; n != 3 {
		t.Errorf("second Files ran %d git processes, want 3 (ls-tree, rev-list, cat-file)", n)
	}
}

// Repro 08: a revision's Snapshot, loaded by load.Load, gives the files
// the working-tree walk finds: nothing under vendor/, node_modules/ or
// .git/ below the paths searched, and no symbolic link (one to a file
// outside the repository included), so an unchanged repository has no
// difference.
func TestFilesSameDiscoveryAsTheWalk(t *testing.T) {
	dir := newRepo(t)
	for _, p := range []string{"a.journey.yaml", "vendor/lib/v.journey.yaml", "x/node_modules/n.journey.yaml", "x/b.journey.yaml", "vendorish/c.journey.yaml"} {
		writeFile(t, dir, p, "journey: "+p+"\n")
	}
	if runtime.GOOS != "windows" {
		if err := os.Symlink("/etc/hostname", filepath.Join(dir, "env.journey.yaml")); err != nil {
			t.Fatal(err)
		}
	}
	git(t, dir, "add", "-f", "-A")
	c := commitAll(t, dir, "base")
	r := open(t, dir)
	tests := []struct {
		specs []string
		want  []string
	}{
		{nil, []string{"a.journey.yaml", "vendorish/c.journey.yaml", "x/b.journey.yaml"}},
		{[]string{"x"}, []string{"x/b.journey.yaml"}},
		{[]string{"vendor"}, []string{"vendor/lib/v.journey.yaml"}},
		{[]string{"x/node_modules"}, []string{"x/node_modules/n.journey.yaml"}},
	}
	snap, err := r.Snapshot(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		paths := tt.specs
		if paths == nil {
			paths = []string{"."}
		}
		for _, side := range []struct {
			name string
			o    load.Options
		}{
			{"work tree", load.Options{Paths: paths, Dir: r.Root}},
			{"revision", load.Options{Paths: paths, Dir: r.Root, FS: snap, FSRoot: r.Root}},
		} {
			sets, err := load.Load(side.o)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range sets {
				for _, f := range s.Files {
					if len(f.Diagnostics) > 0 && strings.Contains(f.Diagnostics[0].Message, "symbolic link") {
						continue // reported on disk, absent from the revision
					}
					got = append(got, filepath.ToSlash(f.Path))
				}
			}
			sort.Strings(got)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("%s, paths %q: files %q, want %q", side.name, tt.specs, got, tt.want)
			}
		}
	}
}
