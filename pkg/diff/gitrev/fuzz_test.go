package gitrev

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// gitIn runs git in dir with stdin and returns its trimmed output, or ok
// false when git refuses.
func gitIn(dir string, stdin []byte, args ...string) (string, bool) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err == nil
}

// FuzzFiles builds a tree whose file names and contents are fuzzed (tabs,
// newlines, quotes, non-UTF-8, names like options) straight with git's
// plumbing, and reads it back with Files: the parsers of `git ls-tree -z`
// and `git cat-file --batch` output (inside Files, not separate functions)
// must give back exactly the files, skip the symbolic link, and keep to
// the path asked for.
//
//	go test ./pkg/diff/gitrev -run '^$' -fuzz '^FuzzFiles$' -fuzztime 5m -parallel 1
func FuzzFiles(f *testing.F) {
	requireGit(f)
	dir := newRepo(f)
	repo, err := Open(dir)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("a.journey.yaml", "b.journey.yaml", []byte("journey: a\n"), []byte("journey: b\n"))
	f.Add("tab\there", "new\nline", []byte(""), []byte("\x00\xff"))
	f.Add("-rf", "\"quoted\"", []byte("x"), []byte("missing\n"))
	f.Add("é ü", "\xff\xfe", []byte("blob 3\n"), []byte("1 blob 2\n"))
	f.Fuzz(func(t *testing.T, name1, name2 string, content1, content2 []byte) {
		if len(name1) > 200 || len(name2) > 200 || name1 == "sub" || name1 == "link" {
			return
		}
		blob := func(c []byte) string {
			id, ok := gitIn(dir, c, "hash-object", "-w", "--stdin")
			if !ok {
				t.Fatalf("hash-object failed")
			}
			return id
		}
		id1, id2 := blob(content1), blob(content2)
		sub, ok := gitIn(dir, []byte("100644 blob "+id2+"\t"+name2+"\x00"), "mktree", "-z")
		if !ok {
			return // git refuses the name (empty, a slash, a NUL ...)
		}
		root, ok := gitIn(dir, []byte("100644 blob "+id1+"\t"+name1+"\x00"+
			"040000 tree "+sub+"\tsub\x00"+
			"120000 blob "+id1+"\tlink\x00"), "mktree", "-z")
		if !ok {
			return
		}
		files, err := repo.Files(root, nil, nil)
		if err != nil {
			// mktree takes names git cannot list back (an empty one): an
			// error is right when git ls-tree fails too.
			if _, ok := gitIn(dir, nil, "ls-tree", "-r", "-z", root); ok {
				t.Fatalf("Files: %v", err)
			}
			return
		}
		want := map[string][]byte{name1: content1, "sub/" + name2: content2}
		if len(files) != len(want) {
			t.Fatalf("got %d files %q, want %q", len(files), keys(files), keys(want))
		}
		for p, c := range want {
			if got, ok := files[p]; !ok || !bytes.Equal(got, c) {
				t.Fatalf("%q: got %q (present %v), want %q", p, got, ok, c)
			}
		}
		only, err := repo.Files(root, []string{"sub"}, nil)
		if err != nil {
			t.Fatalf("Files under sub: %v", err)
		}
		if len(only) != 1 || !bytes.Equal(only["sub/"+name2], content2) {
			t.Fatalf("under sub: got %q", keys(only))
		}
	})
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
