// Package gitrev reads journey files as they are at a git revision, without a
// checkout, for `journey diff --base REF`.
//
// Everything goes through the git command-line tool, with a fixed, small
// number of processes whatever the number of files: Open runs one, Resolve
// one (two with a merge base), and Files two: one `git ls-tree` to list the
// files and one `git cat-file --batch` to read all of them. In a partial
// clone (--filter=blob:none) Files runs up to three more, to fetch the
// missing blobs in one batch instead of git fetching each on its own.
package gitrev

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing/fstest"
)

// ErrNotRepository is returned by Open when the directory is not inside a git
// work tree.
var ErrNotRepository = errors.New("not inside a git repository (journey diff --base needs one; to compare two files use journey diff OLD NEW)")

// ErrGitNotInstalled is returned (wrapped) when the git program cannot be found.
var ErrGitNotInstalled = errors.New("git is not installed or not on PATH (journey diff --base needs the git command)")

// maxBlobSize is the largest single file Files reads. A variable so tests can
// lower it.
var maxBlobSize int64 = 64 << 20

// Repo is a git work tree found from a directory.
type Repo struct {
	Root string // absolute path of the work tree's top level

	procs atomic.Int64

	shallowOnce sync.Once
	shallow     bool

	commonDir   string // the repository's (common) git directory, "" if unknown
	partialOnce sync.Once
	partial     bool
}

// Open finds the repository containing dir (git rev-parse --show-toplevel).
// Outside a repository it returns ErrNotRepository; when git is not installed
// an error wrapping ErrGitNotInstalled.
//
// Root is spelled like dir where the two differ only by symbolic links (git
// itself reports the fully resolved path), so that filepath.Rel(r.Root, p)
// works for paths p built from dir.
func Open(dir string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrGitNotInstalled, err)
	}
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		abs = filepath.Dir(abs)
	}
	r := &Repo{}
	out, err := r.runIn(abs, "rev-parse", "--show-toplevel", "--git-common-dir")
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) && strings.Contains(ge.stderr, "not a git repository") {
			return nil, ErrNotRepository
		}
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(out), "\r\n"), "\n")
	if len(lines) != 2 || lines[0] == "" {
		// Older git prints no top level inside the .git directory.
		return nil, fmt.Errorf("%s is not inside a git work tree (it may be a .git directory or a bare repository)", abs)
	}
	top := strings.TrimRight(lines[0], "\r")
	r.Root = logicalRoot(abs, filepath.FromSlash(top))
	if common := filepath.FromSlash(strings.TrimRight(lines[1], "\r")); common != "" {
		if !filepath.IsAbs(common) {
			common = filepath.Join(abs, common)
		}
		r.commonDir = common
	}
	return r, nil
}

// logicalRoot returns top spelled with the leading part of dir when dir is
// inside top once symbolic links are resolved (e.g. /var/x vs /private/var/x
// on macOS), else top.
func logicalRoot(dir, top string) string {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return top
	}
	rel, err := filepath.Rel(top, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return top
	}
	cand := dir
	if rel != "." {
		for range strings.Split(rel, string(filepath.Separator)) {
			cand = filepath.Dir(cand)
		}
	}
	if cand == top {
		return top
	}
	a, err1 := os.Stat(cand)
	b, err2 := os.Stat(top)
	if err1 == nil && err2 == nil && os.SameFile(a, b) {
		return cand
	}
	return top
}

// ProcessCount reports how many git processes this Repo has started,
// including the one Open ran.
func (r *Repo) ProcessCount() int { return int(r.procs.Load()) }

// Resolve turns ref into a commit id. With mergeBase, it returns the merge base
// of ref and HEAD instead (what a pull request based on ref changes).
func (r *Repo) Resolve(ref string, mergeBase bool) (string, error) {
	if err := checkRev(ref); err != nil {
		return "", err
	}
	// Old git (< 2.43) ignores --end-of-options in rev-parse --verify; newer
	// git takes it as the end of options. Either way a ref starting with "-"
	// has been rejected above.
	out, err := r.run("rev-parse", "--verify", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return "", r.unknownRevision(ref, err)
	}
	commit := strings.TrimSpace(string(out))
	if !isObjectID(commit) {
		return "", fmt.Errorf("git rev-parse %q: unexpected output %q", ref, commit)
	}
	if !mergeBase {
		return commit, nil
	}
	// commit is a hexadecimal id, so it cannot be taken as an option.
	out, err = r.run("merge-base", commit, "HEAD")
	base := strings.TrimSpace(string(out))
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) && ge.code == 1 && strings.TrimSpace(ge.stderr) == "" {
			// Exit status 1 without a message: no common ancestor.
			if r.isShallow() {
				return "", fmt.Errorf("no merge base of %q and HEAD in this shallow clone: fetch more history first, e.g. %s, or use fetch-depth: 0 in actions/checkout", ref, r.fetchHint(ref))
			}
			return "", fmt.Errorf("no merge base of %q and HEAD: they have no common history", ref)
		}
		return "", fmt.Errorf("merge base of %q and HEAD: %w", ref, err)
	}
	if i := strings.IndexByte(base, '\n'); i >= 0 {
		base = base[:i]
	}
	if !isObjectID(base) {
		return "", fmt.Errorf("git merge-base %q HEAD: unexpected output %q", ref, base)
	}
	return base, nil
}

func checkRev(ref string) error {
	switch {
	case ref == "":
		return errors.New("empty revision")
	case strings.HasPrefix(ref, "-"):
		return fmt.Errorf("invalid revision %q: a revision cannot start with '-'", ref)
	case strings.ContainsAny(ref, "\x00\n"):
		return fmt.Errorf("invalid revision %q", ref)
	}
	return nil
}

func (r *Repo) unknownRevision(ref string, err error) error {
	var ge *gitError
	if !errors.As(err, &ge) || ge.code != 128 {
		return fmt.Errorf("resolving revision %q: %w", ref, err)
	}
	if r.isShallow() {
		return fmt.Errorf("revision %q is not in this shallow clone: fetch it first, e.g. %s, or use fetch-depth: 0 in actions/checkout", ref, r.fetchHint(ref))
	}
	msg := fmt.Sprintf("unknown revision %q: not a commit in this repository", ref)
	if line := firstLine(ge.stderr); line != "" && line != "fatal: Needed a single revision" {
		msg += " (git: " + line + ")"
	}
	return errors.New(msg)
}

// isShallow reports whether the repository is a shallow clone. It is only
// asked when something is missing, and at most once.
func (r *Repo) isShallow() bool {
	r.shallowOnce.Do(func() {
		out, err := r.run("rev-parse", "--is-shallow-repository")
		r.shallow = err == nil && strings.TrimSpace(string(out)) == "true"
	})
	return r.shallow
}

// fetchHint suggests a git fetch command that brings ref into a shallow clone.
func (r *Repo) fetchHint(ref string) string {
	var remotes []string
	if out, err := r.run("remote"); err == nil {
		remotes = strings.Fields(string(out))
	}
	name := strings.TrimPrefix(ref, "refs/remotes/")
	for _, rem := range remotes {
		if rest, ok := strings.CutPrefix(name, rem+"/"); ok && isPlainRefName(rest) {
			return "git fetch --deepen=100 " + rem + " " + rest
		}
	}
	if isPlainRefName(ref) && !isHex(ref) && len(remotes) > 0 {
		rem := remotes[0]
		for _, x := range remotes {
			if x == "origin" {
				rem = x
			}
		}
		return fmt.Sprintf("git fetch --deepen=100 %s %s (then use %s/%s)", rem, ref, rem, ref)
	}
	return "git fetch --deepen=100 (or git fetch --unshallow)"
}

func isPlainRefName(s string) bool {
	return s != "" && s != "HEAD" && !strings.ContainsAny(s, "~^:@{}?*[\\ \t") && !strings.Contains(s, "..")
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

func isObjectID(s string) bool { return (len(s) == 40 || len(s) == 64) && isHex(s) }

// Files returns the content at commit of every regular file under paths
// (relative to r.Root; "" or "." meaning the whole repository) whose
// repository-relative slash path satisfies keep (nil keeps all). Symbolic
// links and submodules are skipped. The result is keyed by slash path.
//
// It runs two git processes: `git ls-tree` to list and `git cat-file --batch`
// to read every blob (up to five in a partial clone). A single file over
// 64 MiB is an error.
func (r *Repo) Files(commit string, paths []string, keep func(path string) bool) (map[string][]byte, error) {
	if err := checkRev(commit); err != nil {
		return nil, err
	}
	specs, err := pathspecs(paths)
	if err != nil {
		return nil, err
	}
	args := []string{"--literal-pathspecs", "-c", "core.quotepath=off",
		"ls-tree", "-r", "-z", "--full-tree", commit, "--"}
	args = append(args, specs...)
	out, err := r.run(args...)
	if err != nil {
		return nil, fmt.Errorf("listing files at %s: %w", commit, err)
	}

	type entry struct{ path, id string }
	var entries []entry
	for len(out) > 0 {
		var rec []byte
		if i := bytes.IndexByte(out, 0); i >= 0 {
			rec, out = out[:i], out[i+1:]
		} else {
			rec, out = out, nil
		}
		if len(rec) == 0 {
			continue
		}
		tab := bytes.IndexByte(rec, '\t')
		if tab < 0 {
			return nil, fmt.Errorf("git ls-tree: unexpected output %q", rec)
		}
		meta := strings.Fields(string(rec[:tab]))
		p := string(rec[tab+1:])
		if len(meta) != 3 {
			return nil, fmt.Errorf("git ls-tree: unexpected output %q", rec)
		}
		mode, typ, id := meta[0], meta[1], meta[2]
		if typ != "blob" || mode == "120000" || mode == "160000" {
			continue
		}
		if !underAny(p, specs) || (keep != nil && !keep(p)) {
			continue
		}
		entries = append(entries, entry{p, id})
	}

	files := make(map[string][]byte, len(entries))
	if len(entries) == 0 {
		return files, nil
	}
	ids := make([]string, 0, len(entries))
	names := make(map[string]string, len(entries)) // id -> first path, for errors
	for _, e := range entries {
		if _, ok := names[e.id]; !ok {
			names[e.id] = e.path
			ids = append(ids, e.id)
		}
	}
	if r.isPartialClone() {
		r.prefetch(commit, specs, ids)
	}
	blobs, err := r.catBlobs(ids, names)
	if err != nil {
		return nil, fmt.Errorf("reading files at %s: %w", short(commit), err)
	}
	used := make(map[string]bool, len(ids))
	for _, e := range entries {
		b := blobs[e.id]
		if used[e.id] {
			b = bytes.Clone(b) // identical files do not share memory
		}
		used[e.id] = true
		files[e.path] = b
	}
	return files, nil
}

// isPartialClone reports whether the repository is a partial clone (git clone
// --filter=blob:none), whose packs from the promisor remote are marked by
// .promisor files. It needs no git process.
func (r *Repo) isPartialClone() bool {
	r.partialOnce.Do(func() {
		if r.commonDir == "" {
			return
		}
		m, _ := filepath.Glob(filepath.Join(r.commonDir, "objects", "pack", "*.promisor"))
		r.partial = len(m) > 0
	})
	return r.partial
}

// prefetch fetches, in one go, those of the blobs ids that a partial clone
// lacks. Without it, git cat-file would fetch each missing blob on its own,
// with a fetch (and several processes) per file. It does its best: on any
// failure cat-file still fetches what is missing, one at a time.
func (r *Repo) prefetch(commit string, specs, ids []string) {
	// rev-list --missing=print lists missing objects without fetching them.
	// Given the tree rather than the commit, so that the pathspecs limit the
	// objects listed and not which commits are shown.
	args := append([]string{"--literal-pathspecs", "rev-list", "--objects", "--missing=print", commit + "^{tree}", "--"}, specs...)
	out, err := r.run(args...)
	if err != nil {
		return
	}
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	var missing bytes.Buffer
	for _, line := range strings.Split(string(out), "\n") {
		if id, ok := strings.CutPrefix(line, "?"); ok && want[strings.TrimSpace(id)] {
			missing.WriteString(strings.TrimSpace(id))
			missing.WriteByte('\n')
			want[strings.TrimSpace(id)] = false
		}
	}
	if missing.Len() == 0 {
		return
	}
	out, err = r.run("config", "--get-regexp", `^remote\..*\.promisor$`)
	if err != nil {
		return
	}
	remote := ""
	for _, line := range strings.Split(string(out), "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), " ")
		if name, ok := strings.CutPrefix(k, "remote."); ok && strings.EqualFold(v, "true") {
			remote = strings.TrimSuffix(name, ".promisor")
			break
		}
	}
	if remote == "" || strings.HasPrefix(remote, "-") {
		return
	}
	// The same fetch git itself runs for missing objects, for all at once.
	r.runStdin(missing.Bytes(), "-c", "fetch.negotiationAlgorithm=noop", "-c", "maintenance.auto=false",
		"fetch", remote, "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin")
}

// pathspecs turns the caller's paths into ls-tree arguments: none for the
// whole repository, otherwise cleaned, deduplicated slash paths.
func pathspecs(paths []string) ([]string, error) {
	var specs []string
	seen := map[string]bool{}
	for _, p := range paths {
		p = filepath.ToSlash(p)
		if p == "" || p == "." || p == "./" {
			return nil, nil
		}
		if strings.HasPrefix(p, "/") || filepath.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
			return nil, fmt.Errorf("path %q is not relative to the repository root", p)
		}
		p = strings.TrimPrefix(p, "./")
		p = strings.TrimRight(p, "/")
		if !seen[p] {
			seen[p] = true
			specs = append(specs, p)
		}
	}
	sort.Strings(specs)
	return specs, nil
}

func underAny(p string, specs []string) bool {
	if len(specs) == 0 {
		return true
	}
	for _, s := range specs {
		if p == s || strings.HasPrefix(p, s+"/") {
			return true
		}
	}
	return false
}

// catBlobs reads the blobs ids with one `git cat-file --batch`.
func (r *Repo) catBlobs(ids []string, names map[string]string) (map[string][]byte, error) {
	cmd, stderr := r.command(r.Root, "cat-file", "--batch")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := r.start(cmd); err != nil {
		return nil, err
	}
	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(stdin, 32<<10)
		for _, id := range ids {
			w.WriteString(id)
			w.WriteByte('\n')
		}
		err := w.Flush()
		if cerr := stdin.Close(); err == nil {
			err = cerr
		}
		werr <- err
	}()

	blobs := make(map[string][]byte, len(ids))
	rerr := func() error {
		br := bufio.NewReaderSize(stdout, 64<<10)
		for _, id := range ids {
			header, err := br.ReadString('\n')
			if err != nil {
				return fmt.Errorf("git cat-file: %v", err)
			}
			f := strings.Fields(header)
			if len(f) == 2 && f[1] == "missing" {
				return fmt.Errorf("%s: object %s is missing from the repository", names[id], id)
			}
			if len(f) != 3 || f[0] != id {
				return fmt.Errorf("git cat-file: unexpected header %q for %s", strings.TrimSpace(header), names[id])
			}
			if f[1] != "blob" {
				return fmt.Errorf("%s: object %s is a %s, not a file", names[id], id, f[1])
			}
			n, err := strconv.ParseInt(f[2], 10, 64)
			if err != nil || n < 0 {
				return fmt.Errorf("git cat-file: bad size in %q", strings.TrimSpace(header))
			}
			if n > maxBlobSize {
				// Checked here rather than with ls-tree -l, which would
				// look at every blob (and fetch each in a partial clone).
				return fmt.Errorf("%s is %d bytes, over the %s limit for one file", names[id], n, sizeString(maxBlobSize))
			}
			b := make([]byte, n+1) // content and the trailing newline
			if _, err := io.ReadFull(br, b); err != nil {
				return fmt.Errorf("git cat-file: reading %s: %v", names[id], err)
			}
			if b[n] != '\n' {
				return fmt.Errorf("git cat-file: malformed output after %s", names[id])
			}
			blobs[id] = b[:n:n]
		}
		return nil
	}()
	if rerr != nil {
		cmd.Process.Kill()
	}
	<-werr
	werr2 := cmd.Wait()
	if rerr != nil {
		if line := firstLine(stderr.String()); line != "" {
			return nil, fmt.Errorf("%v (git: %s)", rerr, line)
		}
		return nil, rerr
	}
	if werr2 != nil {
		return nil, newGitError([]string{"cat-file"}, werr2, stderr.String())
	}
	return blobs, nil
}

func short(commit string) string {
	if isObjectID(commit) {
		return commit[:12]
	}
	return commit
}

func sizeString(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// command prepares git with args in dir, with a sanitised environment and
// stderr captured.
func (r *Repo) command(dir string, args ...string) (*exec.Cmd, *capBuffer) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv(os.Environ())
	stderr := &capBuffer{max: 16 << 10}
	cmd.Stderr = stderr
	return cmd, stderr
}

func (r *Repo) start(cmd *exec.Cmd) error {
	r.procs.Add(1)
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("%w: %v", ErrGitNotInstalled, err)
		}
		return fmt.Errorf("running git: %w", err)
	}
	return nil
}

// run runs git in r.Root and returns its standard output.
func (r *Repo) run(args ...string) ([]byte, error) {
	return r.runIn(r.Root, args...)
}

func (r *Repo) runStdin(stdin []byte, args ...string) ([]byte, error) {
	return r.runInStdin(r.Root, stdin, args...)
}

func (r *Repo) runIn(dir string, args ...string) ([]byte, error) {
	return r.runInStdin(dir, nil, args...)
}

func (r *Repo) runInStdin(dir string, stdin []byte, args ...string) ([]byte, error) {
	cmd, stderr := r.command(dir, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := r.start(cmd); err != nil {
		return nil, err
	}
	if err := cmd.Wait(); err != nil {
		return stdout.Bytes(), newGitError(args, err, stderr.String())
	}
	return stdout.Bytes(), nil
}

// gitEnv is env without variables that would point git at another
// repository than the one found from the working directory (as when journey
// runs from a git hook), and with prompts off and messages in English.
func gitEnv(env []string) []string {
	drop := []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_TERMINAL_PROMPT", "LC_ALL"}
	out := make([]string, 0, len(env)+2)
next:
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		for _, d := range drop {
			if strings.EqualFold(k, d) {
				continue next
			}
		}
		out = append(out, kv)
	}
	return append(out, "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
}

// gitError is a git process that failed.
type gitError struct {
	sub    string // subcommand
	code   int    // exit code, -1 if unknown
	stderr string
	err    error
}

func newGitError(args []string, err error, stderr string) *gitError {
	sub := ""
	for _, a := range args {
		if strings.HasPrefix(a, "-") || strings.Contains(a, "=") {
			continue
		}
		sub = a
		break
	}
	code := -1
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	}
	return &gitError{sub: sub, code: code, stderr: stderr, err: err}
}

func (e *gitError) Error() string {
	msg := "git " + e.sub + " failed"
	if line := firstLine(e.stderr); line != "" {
		return msg + ": " + line
	}
	return msg + ": " + e.err.Error()
}

func (e *gitError) Unwrap() error { return e.err }

// firstLine is the most telling line of git's stderr: the first fatal: or
// error: line, else the first non-empty one, trimmed.
func firstLine(s string) string {
	first := ""
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "fatal:") || strings.HasPrefix(line, "error:") {
			return line
		}
		if first == "" {
			first = line
		}
	}
	return first
}

// capBuffer keeps the first max bytes written to it.
type capBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (c *capBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.buf.Len(); room > 0 {
		if len(p) > room {
			c.buf.Write(p[:room])
		} else {
			c.buf.Write(p)
		}
	}
	return len(p), nil
}

func (c *capBuffer) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// Snapshot returns the YAML files (*.yaml, *.yml) of the repository at
// commit as a read-only file system rooted at the repository root, so that
// a revision is searched for journeys and workspace configurations by the
// same code as the working tree (load.Options.FS). Directories are those
// that hold a YAML file; symbolic links and submodules are left out, as
// in Files.
func (r *Repo) Snapshot(commit string) (fs.FS, error) {
	files, err := r.Files(commit, nil, func(p string) bool {
		return strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")
	})
	if err != nil {
		return nil, err
	}
	// fstest.MapFS is the standard library's in-memory fs.FS; it imports
	// no testing machinery, only io/fs.
	snap := make(fstest.MapFS, len(files))
	for p, data := range files {
		if fs.ValidPath(p) {
			snap[p] = &fstest.MapFile{Data: data, Mode: 0o444}
		}
	}
	return snap, nil
}
