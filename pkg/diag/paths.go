package diag

import (
	"os"
	"path/filepath"
	"strings"
)

// Paths relates the file names of findings, as the user typed them, to a
// root directory: the repository root, else the workspace root. Findings
// are matched (baselines, SARIF fingerprints) and located (SARIF, GitHub
// annotations) by their path under it, so neither how a path was spelt nor
// where lint was started from matters.
type Paths struct {
	root string // absolute, cleaned; "" for none
	cwd  string // what relative file names are relative to
}

// NewPaths relates file names to root, an absolute directory ("" for none).
// Relative file names are taken relative to the current directory.
func NewPaths(root string) Paths {
	p := Paths{}
	if root != "" {
		p.root = filepath.Clean(root)
		p.cwd, _ = os.Getwd()
	}
	return p
}

// Under returns file relative to the root, with forward slashes, and
// whether file is under the root at all. Names that are not paths
// ("<stdin>") never are.
func (p Paths) Under(file string) (string, bool) {
	if p.root == "" || file == "" || strings.HasPrefix(file, "<") {
		return "", false
	}
	abs := file
	if !filepath.IsAbs(abs) {
		if p.cwd == "" {
			return "", false
		}
		abs = filepath.Join(p.cwd, file)
	}
	rel, err := filepath.Rel(p.root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// Key is the path a finding in file is matched by: its path under the root
// when it has one, else the path as given, cleaned ("./a" and "a" agree).
func (p Paths) Key(file string) string {
	if rel, ok := p.Under(file); ok {
		return rel
	}
	if strings.HasPrefix(file, "<") {
		return file
	}
	return filepath.ToSlash(filepath.Clean(file))
}
