package load

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/journeykit/journey/pkg/journey"
)

// ConfigName is the workspace configuration file's name.
const ConfigName = ".journey.yaml"

// StdinName is how standard input is named in findings.
const StdinName = "<stdin>"

// Options say what to load.
type Options struct {
	// Paths are files, directories or "-" for standard input. None means
	// the workspace of the nearest .journey.yaml, else the directory Dir.
	Paths []string
	// ConfigFile, when set, is used instead of discovering .journey.yaml.
	ConfigFile string
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Dir is the working directory; empty means the process's.
	Dir string
}

// Set is one workspace as loaded: every journey of it, and which files the
// user asked about.
type Set struct {
	// Config is the workspace configuration file, or nil.
	Config *File
	// Files holds every journey file loaded, in path order: the ones asked
	// for, and the rest of the workspace that they may refer to.
	Files []*File
	// Requested tells the files whose findings are reported.
	Requested map[*File]bool
	// Workspace is the model of all journeys of Files.
	Workspace *journey.Workspace
}

// PathError is an input path that cannot be read: a usage error.
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string {
	if errors.Is(e.Err, fs.ErrNotExist) {
		return fmt.Sprintf("%s: no such file or directory", e.Path)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *PathError) Unwrap() error { return e.Err }

// target is a journey file to load: how to show its name, where it is.
type target struct {
	display string
	abs     string
	stdin   bool
}

// Load reads the journeys named by o, grouped into workspaces by their
// nearest .journey.yaml. Only unreadable paths are errors; everything wrong
// inside a file is a finding.
func Load(o Options) ([]*Set, error) {
	dir := o.Dir
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return nil, err
		}
	}
	dir, _ = filepath.Abs(dir)
	l := &loader{dir: dir, configs: map[string]*File{}}
	if o.ConfigFile != "" {
		abs := l.abs(o.ConfigFile)
		data, err := os.ReadFile(abs)
		if err != nil {
			return nil, &PathError{Path: o.ConfigFile, Err: err}
		}
		l.forced = ParseConfig(o.ConfigFile, data)
		l.forcedRoot = filepath.Dir(abs)
	}

	var targets []target
	if len(o.Paths) == 0 {
		cfgPath, cfg := l.configFor(dir)
		if cfg != nil {
			files, err := l.globbed(cfgPath, cfg)
			if err != nil {
				return nil, err
			}
			targets = files
		} else {
			files, err := l.walk(".", dir)
			if err != nil {
				return nil, err
			}
			targets = files
		}
	}
	for _, p := range o.Paths {
		if p == "-" {
			targets = append(targets, target{display: StdinName, abs: filepath.Join(dir, StdinName), stdin: true})
			continue
		}
		abs := l.abs(p)
		info, err := os.Stat(abs)
		if err != nil {
			return nil, &PathError{Path: p, Err: err}
		}
		if !info.IsDir() {
			targets = append(targets, target{display: p, abs: abs})
			continue
		}
		files, err := l.walk(p, abs)
		if err != nil {
			return nil, err
		}
		targets = append(targets, files...)
	}
	return l.sets(targets, o.Stdin)
}

type loader struct {
	dir        string
	forced     *File
	forcedRoot string
	// configs caches the configuration found for a directory (nil: none).
	configs map[string]*File
}

func (l *loader) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(l.dir, p)
}

// display names a file found without the user naming it: relative to the
// working directory when it is below it.
func (l *loader) display(abs string) string {
	if rel, err := filepath.Rel(l.dir, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return abs
}

// configFor finds the configuration that applies to directory d: the forced
// one, else the nearest .journey.yaml in d or above it.
func (l *loader) configFor(d string) (string, *File) {
	if l.forced != nil {
		return filepath.Join(l.forcedRoot, filepath.Base(l.forced.Path)), l.forced
	}
	for cur := d; ; cur = filepath.Dir(cur) {
		if f, ok := l.configs[cur]; ok {
			if f == nil {
				return "", nil
			}
			return filepath.Join(cur, ConfigName), f
		}
		p := filepath.Join(cur, ConfigName)
		if data, err := os.ReadFile(p); err == nil {
			f := ParseConfig(l.display(p), data)
			l.configs[cur] = f
			return p, f
		}
		if parent := filepath.Dir(cur); parent == cur {
			break
		}
	}
	l.configs[d] = nil
	return "", nil
}

var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// IsJourneyFile reports whether a file name is a journey file's.
func IsJourneyFile(name string) bool {
	name = filepath.Base(name)
	if name == ConfigName || name == ".journey.yml" {
		return false
	}
	return strings.HasSuffix(name, ".journey.yaml") || strings.HasSuffix(name, ".journey.yml")
}

// walk lists the journey files under directory abs, shown under display.
func (l *loader) walk(display, abs string) ([]target, error) {
	var out []target
	err := filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == abs {
				return &PathError{Path: display, Err: err}
			}
			return nil // an unreadable subdirectory is skipped, not fatal
		}
		if d.IsDir() {
			if p != abs && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if IsJourneyFile(d.Name()) {
			rel, _ := filepath.Rel(abs, p)
			name := filepath.Join(display, rel)
			if display == "." {
				name = rel
			}
			out = append(out, target{display: name, abs: p})
		}
		return nil
	})
	return out, err
}

// globbed lists the journey files a configuration's `journeys` globs name.
func (l *loader) globbed(cfgPath string, cfg *File) ([]target, error) {
	root := filepath.Dir(cfgPath)
	globs := []string{"**/*.journey.yaml", "**/*.journey.yml"}
	if cfg.Config != nil && len(cfg.Config.Journeys) > 0 {
		globs = globs[:0]
		for _, g := range cfg.Config.Journeys {
			globs = append(globs, filepath.ToSlash(g.Value))
		}
	}
	var out []target
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != root && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if !IsJourneyFile(rel) && !strings.HasSuffix(rel, ".yaml") && !strings.HasSuffix(rel, ".yml") {
			return nil
		}
		if filepath.Base(rel) == ConfigName {
			return nil
		}
		for _, g := range globs {
			if MatchGlob(g, rel) {
				out = append(out, target{display: l.display(p), abs: p})
				break
			}
		}
		return nil
	})
	return out, err
}

// MatchGlob matches a slash-separated path against a glob where `**`
// stands for zero or more directories and other segments follow
// path.Match.
func MatchGlob(pattern, name string) bool {
	return matchSegments(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat[1:], name[i:]) {
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

// sets groups the targets by workspace, adds each workspace's other files
// as context, and loads everything in parallel.
func (l *loader) sets(targets []target, stdin io.Reader) ([]*Set, error) {
	type group struct {
		cfgPath string
		cfg     *File
		targets []target
	}
	var groups []*group
	byConfig := map[string]*group{}
	seen := map[string]bool{}
	for _, t := range targets {
		if seen[t.abs] {
			continue
		}
		seen[t.abs] = true
		cfgPath, cfg := l.configFor(filepath.Dir(t.abs))
		g := byConfig[cfgPath]
		if g == nil {
			g = &group{cfgPath: cfgPath, cfg: cfg}
			byConfig[cfgPath] = g
			groups = append(groups, g)
		}
		g.targets = append(g.targets, t)
	}
	var all []target
	var requested []bool
	var owner []*group
	for _, g := range groups {
		inGroup := map[string]bool{}
		for _, t := range g.targets {
			inGroup[t.abs] = true
			all, requested, owner = append(all, t), append(requested, true), append(owner, g)
		}
		if g.cfg == nil {
			continue
		}
		context, err := l.globbed(g.cfgPath, g.cfg)
		if err != nil {
			return nil, err
		}
		for _, t := range context {
			if !inGroup[t.abs] {
				inGroup[t.abs] = true
				all, requested, owner = append(all, t), append(requested, false), append(owner, g)
			}
		}
	}
	files, err := readAll(all, stdin)
	if err != nil {
		return nil, err
	}
	var out []*Set
	setOf := map[*group]*Set{}
	for i, f := range files {
		g := owner[i]
		s := setOf[g]
		if s == nil {
			s = &Set{Config: g.cfg, Requested: map[*File]bool{}, Workspace: &journey.Workspace{}}
			if g.cfg != nil {
				s.Workspace.Config = g.cfg.Config
			}
			setOf[g] = s
			out = append(out, s)
		}
		s.Files = append(s.Files, f)
		if requested[i] {
			s.Requested[f] = true
		}
	}
	for _, s := range out {
		sort.SliceStable(s.Files, func(i, j int) bool { return s.Files[i].Path < s.Files[j].Path })
		for _, f := range s.Files {
			if f.Journey != nil {
				s.Workspace.Journeys = append(s.Workspace.Journeys, f.Journey)
			}
		}
	}
	return out, nil
}

// readAll reads and parses the files on every core, keeping their order.
func readAll(targets []target, stdin io.Reader) ([]*File, error) {
	files := make([]*File, len(targets))
	errs := make([]error, len(targets))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				files[i], errs[i] = readOne(targets[i], stdin)
			}
		}()
	}
	for i := range targets {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

func readOne(t target, stdin io.Reader) (*File, error) {
	var data []byte
	var err error
	if t.stdin {
		if stdin == nil {
			stdin = os.Stdin
		}
		data, err = io.ReadAll(io.LimitReader(stdin, MaxFileSize+1))
	} else {
		data, err = readLimited(t.abs)
	}
	if err != nil {
		return nil, &PathError{Path: t.display, Err: err}
	}
	return ParseJourney(t.display, data), nil
}

func readLimited(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}

// FromMemory builds one workspace from file contents that are not on disk
// (for example a git revision): every journey file is parsed and requested;
// config, when not nil, is the workspace's .journey.yaml at configPath.
func FromMemory(files map[string][]byte, configPath string, config []byte) *Set {
	s := &Set{Requested: map[*File]bool{}, Workspace: &journey.Workspace{}}
	if config != nil {
		s.Config = ParseConfig(configPath, config)
		s.Workspace.Config = s.Config.Config
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		f := ParseJourney(p, files[p])
		s.Files = append(s.Files, f)
		s.Requested[f] = true
		if f.Journey != nil {
			s.Workspace.Journeys = append(s.Workspace.Journeys, f.Journey)
		}
	}
	return s
}
