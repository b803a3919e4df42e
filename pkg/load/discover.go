package load

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
)

// NearestConfig returns the workspace configuration that applies to
// directory dir, as Load finds it: the nearest .journey.yaml (or
// .journey.yml) in dir or above it; "" when there is none. Both names in
// one directory is an error.
func NearestConfig(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	fsys := disk{}
	for cur := abs; ; cur = filepath.Dir(cur) {
		p, err := configIn(fsys, cur)
		if err != nil {
			return "", err
		}
		if p != "" {
			if info, err := fsys.stat(p); err == nil && !info.IsDir() {
				return p, nil
			}
		}
		if filepath.Dir(cur) == cur {
			return "", nil
		}
	}
}

// Found is a file that Load reads for the same options.
type Found struct {
	// Display is the file's name as findings show it; Path is absolute
	// ("" for standard input).
	Display, Path string
	Stdin         bool
	// Config marks a workspace configuration: the one of a workspace
	// loaded with no path, one named as a path, or one found in a
	// directory searched.
	Config bool
	// Problem, when set, says why the file is not to be read: a directory
	// that cannot be read, a symbolic link out of its workspace.
	Problem string
}

// Find lists the files Load would read for o, without reading them:
// journey files and workspace configurations, found by the same search
// (paths, directories and the skip list, the nearest configuration and
// its `journeys` globs). Commands that handle files themselves (fmt) use
// it, so they see exactly what the other commands load.
func Find(o Options) ([]Found, error) {
	l, err := newLoader(o)
	if err != nil {
		return nil, err
	}
	targets, err := l.targets(o.Paths)
	if err != nil {
		return nil, err
	}
	var out []Found
	seen := map[string]bool{}
	if len(o.Paths) == 0 {
		if cfgPath, cfg := l.configFor(l.dir); cfg != nil && l.forced == nil {
			seen[cfgPath] = true
			out = append(out, Found{Display: l.display(cfgPath), Path: cfgPath, Config: true})
		}
	}
	for _, t := range targets {
		if t.stdin {
			out = append(out, Found{Display: t.display, Stdin: true})
			continue
		}
		if seen[t.abs] {
			continue
		}
		seen[t.abs] = true
		f := Found{Display: t.display, Path: t.abs}
		if t.dirErr != nil {
			f.Problem = fmt.Sprintf("this directory cannot be read (%s): the journey files in it are not checked", errText(t.dirErr))
		} else {
			cfgPath, _ := l.configFor(filepath.Dir(t.abs))
			if b := l.boundOf(t, cfgPath); b.dir != "" && l.escapes(t.abs, b.dir) {
				f.Problem = linkOutsideMessage(b)
			}
		}
		out = append(out, f)
	}
	for _, cfgPath := range slices.Sorted(maps.Keys(l.requestedConfigs)) {
		if !seen[cfgPath] {
			seen[cfgPath] = true
			out = append(out, Found{Display: l.display(cfgPath), Path: cfgPath, Config: true})
		}
	}
	if l.err != nil {
		return nil, l.err
	}
	return out, nil
}
