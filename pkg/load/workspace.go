package load

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/journeykit/journey/internal/parallel"
	"github.com/journeykit/journey/internal/safeio"
	"github.com/journeykit/journey/pkg/journey"
)

// ConfigName is the workspace configuration file's name. ".journey.yml"
// (ConfigNameYML) is the same file under the other extension; both in one
// directory is an error (see ConfigIn).
const ConfigName = ".journey.yaml"

// ConfigNameYML is the other spelling of ConfigName.
const ConfigNameYML = ".journey.yml"

// IsConfigFile reports whether a file name is a workspace configuration's.
func IsConfigFile(name string) bool {
	base := filepath.Base(name)
	return base == ConfigName || base == ConfigNameYML
}

// ConfigIn returns the workspace configuration file of directory dir, or ""
// when it has none. Having both .journey.yaml and .journey.yml is an error:
// which one counts would be a guess.
func ConfigIn(dir string) (string, error) {
	return configIn(disk{}, dir)
}

func configIn(fsys fileSystem, dir string) (string, error) {
	found := ""
	for _, name := range []string{ConfigName, ConfigNameYML} {
		p := filepath.Join(dir, name)
		if _, err := fsys.lstat(p); err == nil {
			if found != "" {
				return "", &PathError{Path: dir, Err: fmt.Errorf("has both %s and %s: keep one workspace configuration", ConfigName, ConfigNameYML)}
			}
			found = p
		}
	}
	return found, nil
}

// StdinName is how standard input is named in findings.
const StdinName = "<stdin>"

// MaxConfigSize is the largest workspace configuration read. A real one is
// a few kilobytes; past this cap the file is not read and a finding (or,
// for --config, a usage error) says so.
const MaxConfigSize = 1 << 20

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
	// FS, when set, is read in place of the disk below the directory
	// FSRoot (absolute): a git revision of the repository at FSRoot, say.
	// Paths, Dir and the configuration search are the same as on disk,
	// so both are loaded alike. ConfigFile and "-" still read the disk.
	FS     fs.FS
	FSRoot string
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
	// ConfigRequested is set when the configuration was named as a path:
	// it counts as a file checked.
	ConfigRequested bool
	// Workspace is the model of all journeys of Files.
	Workspace *journey.Workspace
	// Root is the directory findings are matched and located by: the git
	// work tree holding the workspace, else the workspace's directory (its
	// configuration's), else the working directory. Absolute.
	Root string
	// UnmatchedGlobs are the configuration's `journeys` globs that match
	// no file: most likely typos. A workspace whose globs match nothing at
	// all is a Set with no Files.
	UnmatchedGlobs []journey.Text
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
	// named is set for a file the user named on the command line: a file
	// that cannot be read is then a usage error, not a finding.
	named bool
	// walkRoot is the directory whose walk found the file ("" if named).
	walkRoot string
	// dirErr is set for a directory of a walk that could not be read: the
	// target stands for the directory and becomes a finding.
	dirErr error
}

// Load reads the journeys named by o, grouped into workspaces by their
// nearest .journey.yaml. Only unreadable paths are errors; everything wrong
// inside a file is a finding.
func Load(o Options) ([]*Set, error) {
	return Stream(o, nil)
}

// Visitor is called by Stream for each journey file as soon as it is read
// and parsed: s is its workspace (Config, Workspace.Config and Root are
// set; Files and Workspace.Journeys are not complete yet), i its index in
// s.Files, requested whether its findings are reported. Calls run on up to
// GOMAXPROCS goroutines at once, in no set order.
//
// The visitor may release what it no longer needs, setting f.Journey or
// f.Source to nil: a caller that checks each file as it comes holds only
// GOMAXPROCS models at a time. Workspace.Journeys lists the journeys
// still held once every file has been visited. File.Reload reads a
// released file again.
type Visitor func(s *Set, i int, f *File, requested bool)

// Stream is Load calling visit (when not nil) for each file as soon as it
// is parsed; see Visitor.
func Stream(o Options, visit Visitor) ([]*Set, error) {
	l, err := newLoader(o)
	if err != nil {
		return nil, err
	}
	targets, err := l.targets(o.Paths)
	if err != nil {
		return nil, err
	}
	return l.sets(targets, o.Stdin, visit)
}

// newLoader prepares the search of o: the working directory, the file
// system, the configuration forced by o.ConfigFile.
func newLoader(o Options) (*loader, error) {
	dir := o.Dir
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return nil, err
		}
	}
	dir, _ = filepath.Abs(dir)
	l := &loader{fs: disk{}, dir: dir, configs: map[string]*File{}, gitRoots: map[string]string{}, unmatched: map[string][]journey.Text{}}
	if o.FS != nil {
		l.fs = mounted{fsys: o.FS, root: filepath.Clean(o.FSRoot)}
	}
	if o.ConfigFile != "" {
		abs := l.abs(o.ConfigFile)
		data, err := safeio.ReadFile(abs, MaxConfigSize)
		if err != nil {
			return nil, &PathError{Path: o.ConfigFile, Err: err}
		}
		l.forced = ParseConfig(o.ConfigFile, data)
		l.forcedRoot = filepath.Dir(abs)
	}
	return l, nil
}

// targets lists the files named by paths (none: the workspace of the
// working directory), and notes the configurations named or met.
func (l *loader) targets(paths []string) ([]target, error) {
	dir := l.dir
	var targets []target
	if len(paths) == 0 {
		cfgPath, cfg := l.configFor(dir)
		if l.err != nil {
			return nil, l.err
		}
		if cfg != nil {
			files, err := l.globbed(cfgPath, cfg)
			if err != nil {
				return nil, err
			}
			targets = files
			if len(files) == 0 {
				l.empty = cfgPath // reported as a workspace with no file
			}
		} else {
			files, err := l.walk(".", dir)
			if err != nil {
				return nil, err
			}
			targets = files
		}
	}
	for _, p := range paths {
		if p == "-" {
			targets = append(targets, target{display: StdinName, abs: filepath.Join(dir, StdinName), stdin: true})
			continue
		}
		abs := l.abs(p)
		info, err := l.fs.stat(abs)
		if err != nil {
			return nil, &PathError{Path: p, Err: err}
		}
		if !info.IsDir() && IsConfigFile(abs) {
			// A workspace configuration named as a path is checked as a
			// configuration, against its own schema, not as a journey.
			l.requestConfig(abs, true)
			continue
		}
		if !info.IsDir() {
			targets = append(targets, target{display: p, abs: abs, named: true})
			continue
		}
		files, err := l.walk(p, abs)
		if err != nil {
			return nil, err
		}
		targets = append(targets, files...)
	}
	return targets, nil
}

type loader struct {
	fs         fileSystem
	dir        string
	forced     *File
	forcedRoot string
	// configs caches the configuration found for a directory (nil: none),
	// configPaths its path.
	configs     map[string]*File
	configPaths map[string]string
	// requestedConfigs are the configurations named as paths, by path:
	// they are checked and reported like the journey files named.
	requestedConfigs map[string]*File
	namedConfigs     map[string]bool
	// gitRoots caches the git work tree found for a directory ("": none).
	gitRoots map[string]string
	// resolvedDirs caches resolved.
	resolvedDirs map[string]string
	// unmatched records, by configuration path, the globs that matched
	// no file.
	unmatched map[string][]journey.Text
	// empty is the configuration of a workspace loaded with no path whose
	// globs matched no file.
	empty string
	// err is the first configuration that could not be read.
	err error
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
			return l.configPaths[cur], f
		}
		p, err := configIn(l.fs, cur)
		if err != nil {
			l.fail(err)
			l.configs[cur] = nil
			return "", nil
		}
		if p != "" {
			f := l.readConfig(p, cur)
			l.configs[cur] = f
			if l.configPaths == nil {
				l.configPaths = map[string]string{}
			}
			l.configPaths[cur] = p
			if f == nil {
				return "", nil
			}
			return p, f
		}
		if parent := filepath.Dir(cur); parent == cur {
			break
		}
	}
	l.configs[d] = nil
	return "", nil
}

// readConfig reads the configuration file p found in directory dir. One
// that cannot be read, or is a symbolic link out of its git repository, is
// an error (a usage error, as for --config): every command would otherwise
// go on with settings that are not the workspace's.
func (l *loader) readConfig(p, dir string) *File {
	display := l.display(p)
	if info, err := l.fs.lstat(p); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		if root := l.gitRoot(dir); root != "" && l.escapes(p, l.resolved(root)) {
			l.fail(&PathError{Path: display, Err: errors.New("is a symbolic link to a file outside the git repository: the workspace configuration is not read (copy it into the repository)")})
			return nil
		}
	}
	data, err := l.fs.readFile(p, MaxConfigSize)
	if err != nil {
		l.fail(&PathError{Path: display, Err: err})
		return nil
	}
	return ParseConfig(display, data)
}

// fail keeps the first error met while finding configurations.
func (l *loader) fail(err error) {
	if l.err == nil {
		l.err = err
	}
}

// readProblem says in words why a file could not be read.
func readProblem(err error, what string, max int64) string {
	var nr *safeio.NotRegularError
	var big *safeio.TooLargeError
	switch {
	case errors.As(err, &nr):
		return fmt.Sprintf("is %s, not a regular file", nr.Kind)
	case errors.As(err, &big):
		if big.Size >= 0 {
			size, limit := safeio.Bytes(big.Size), safeio.Bytes(max)
			if size == limit {
				size, limit = fmt.Sprintf("%d bytes", big.Size), fmt.Sprintf("%d bytes", max)
			}
			return fmt.Sprintf("the file is %s, more than the %s a %s may have", size, limit, what)
		}
		return fmt.Sprintf("the file is more than the %s a %s may have", safeio.Bytes(max), what)
	case errors.Is(err, fs.ErrNotExist):
		return "cannot be read: it no longer exists (or is a symbolic link to nothing)"
	}
	return "cannot be read: " + errText(err)
}

// errText is an I/O error without the path and operation Go puts in it.
func errText(err error) string {
	if errors.Is(err, fs.ErrPermission) {
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err.Error()
}

var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// SkipDir reports whether a directory of this name is left out when a
// directory is searched for journey files (unless it is the directory the
// user named): .git, node_modules and vendor. Every discovery of journey
// files, on disk or in a git revision, uses it.
func SkipDir(name string) bool { return skipDirs[name] }

// IsJourneyFile reports whether a file name is a journey file's.
func IsJourneyFile(name string) bool {
	name = filepath.Base(name)
	if IsConfigFile(name) {
		return false
	}
	return strings.HasSuffix(name, ".journey.yaml") || strings.HasSuffix(name, ".journey.yml")
}

// walk lists the journey files under directory abs, shown under display.
func (l *loader) walk(display, abs string) ([]target, error) {
	var out []target
	name := func(p string) string {
		rel, _ := filepath.Rel(abs, p)
		if display == "." {
			return rel
		}
		return filepath.Join(display, rel)
	}
	// WalkDir does not follow symbolic links to directories: a link loop
	// cannot make it run forever.
	err := l.fs.walkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == abs {
				return &PathError{Path: display, Err: err}
			}
			// An unreadable subdirectory is a finding, not fatal, and
			// never silent: its files are not checked.
			out = append(out, target{display: name(p), abs: p, walkRoot: abs, dirErr: err})
			return nil
		}
		if d.IsDir() {
			if p != abs && SkipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if IsJourneyFile(d.Name()) {
			out = append(out, target{display: name(p), abs: p, walkRoot: abs})
		}
		if IsConfigFile(d.Name()) {
			l.requestConfig(p, false)
		}
		return nil
	})
	return out, err
}

// requestConfig makes the configuration at abs reported, even in a
// workspace with no journey file: named (given as a path) counts it as a
// file checked.
func (l *loader) requestConfig(abs string, named bool) {
	cfgPath, cfg := l.configFor(filepath.Dir(abs))
	if cfg == nil {
		return
	}
	if l.requestedConfigs == nil {
		l.requestedConfigs = map[string]*File{}
		l.namedConfigs = map[string]bool{}
	}
	l.requestedConfigs[cfgPath] = cfg
	if named {
		l.namedConfigs[cfgPath] = true
	}
}

// globbed lists the journey files a configuration's `journeys` globs name.
func (l *loader) globbed(cfgPath string, cfg *File) ([]target, error) {
	root := filepath.Dir(cfgPath)
	globs := []string{"**/*.journey.yaml", "**/*.journey.yml"}
	configured := cfg.Config != nil && len(cfg.Config.Journeys) > 0
	if configured {
		globs = globs[:0]
		for _, g := range cfg.Config.Journeys {
			globs = append(globs, filepath.ToSlash(g.Value))
		}
	}
	matchers := compileGlobs(globs)
	matched := make([]bool, len(matchers))
	var out []target
	err := l.fs.walkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p != root {
				out = append(out, target{display: l.display(p), abs: p, walkRoot: root, dirErr: err})
			}
			return nil
		}
		if d.IsDir() {
			if p != root && SkipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if !IsJourneyFile(rel) && !strings.HasSuffix(rel, ".yaml") && !strings.HasSuffix(rel, ".yml") {
			return nil
		}
		if IsConfigFile(rel) {
			return nil
		}
		names := strings.Split(rel, "/")
		hit := false
		for i, g := range matchers {
			if (!hit || !matched[i]) && g.match(names, nil) {
				if !hit {
					out = append(out, target{display: l.display(p), abs: p, walkRoot: root})
				}
				hit, matched[i] = true, true
			}
		}
		return nil
	})
	if configured {
		var none []journey.Text
		for i, ok := range matched {
			if !ok && i < len(cfg.Config.Journeys) {
				none = append(none, cfg.Config.Journeys[i])
			}
		}
		l.unmatched[cfgPath] = none
	}
	return out, err
}

// MatchGlob matches a slash-separated path against a glob where `**`
// stands for zero or more directories and other segments follow
// path.Match. It takes time proportional to the number of pattern
// segments times the number of path segments, however many `**` there are.
func MatchGlob(pattern, name string) bool {
	return compileGlob(pattern).match(strings.Split(name, "/"), nil)
}

// glob is a pattern split into segments, runs of `**` made one.
type glob []string

func compileGlob(pattern string) glob {
	var g glob
	for _, seg := range strings.Split(pattern, "/") {
		if seg == "**" && len(g) > 0 && g[len(g)-1] == "**" {
			continue
		}
		g = append(g, seg)
	}
	return g
}

// compileGlobs compiles patterns, each distinct one once.
func compileGlobs(patterns []string) []glob {
	seen := map[string]bool{}
	var out []glob
	for _, p := range patterns {
		if !seen[p] {
			seen[p] = true
			out = append(out, compileGlob(p))
		}
	}
	return out
}

// match runs the pattern over the path segments as a set of states: after
// each pattern segment, reach[j] tells whether it can end just before
// name[j]. steps, when not nil, counts the segment comparisons made.
func (g glob) match(name []string, steps *int) bool {
	reach := make([]bool, len(name)+1)
	next := make([]bool, len(name)+1)
	reach[0] = true
	for _, seg := range g {
		any := false
		if seg == "**" {
			// Zero or more directories: every position at or after a
			// reachable one.
			on := false
			for j := range reach {
				if steps != nil {
					*steps++
				}
				on = on || reach[j]
				next[j] = on
				any = any || on
			}
		} else {
			next[0] = false
			for j := 0; j < len(name); j++ {
				next[j+1] = false
				if !reach[j] {
					continue
				}
				if steps != nil {
					*steps++
				}
				if ok, err := filepath.Match(seg, name[j]); err == nil && ok {
					next[j+1] = true
					any = true
				}
			}
		}
		if !any {
			return false
		}
		reach, next = next, reach
	}
	return reach[len(name)]
}

// sets groups the targets by workspace, adds each workspace's other files
// as context, and loads everything in parallel.
func (l *loader) sets(targets []target, stdin io.Reader, visit Visitor) ([]*Set, error) {
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
	for _, cfgPath := range slices.Sorted(maps.Keys(l.requestedConfigs)) {
		if byConfig[cfgPath] == nil {
			g := &group{cfgPath: cfgPath, cfg: l.requestedConfigs[cfgPath]}
			byConfig[cfgPath] = g
			groups = append(groups, g)
		}
	}
	if l.empty != "" && byConfig[l.empty] == nil {
		_, cfg := l.configFor(filepath.Dir(l.empty))
		g := &group{cfgPath: l.empty, cfg: cfg}
		byConfig[l.empty] = g
		groups = append(groups, g)
	}
	if l.err != nil {
		return nil, l.err
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
	bounds := make([]bound, len(all))
	for i, t := range all {
		if !t.stdin {
			bounds[i] = l.boundOf(t, owner[i].cfgPath)
		}
	}
	var out []*Set
	setOf := map[*group]*Set{}
	setFor := func(g *group) *Set {
		s := setOf[g]
		if s == nil {
			s = &Set{Config: g.cfg, Requested: map[*File]bool{}, Workspace: &journey.Workspace{}, Root: l.dir}
			if g.cfg != nil {
				s.Workspace.Config = g.cfg.Config
				s.ConfigRequested = l.namedConfigs[g.cfgPath]
				s.UnmatchedGlobs = l.unmatched[g.cfgPath]
				s.Root = filepath.Dir(g.cfgPath)
			}
			from := s.Root
			if len(g.targets) > 0 && !g.targets[0].stdin {
				from = filepath.Dir(g.targets[0].abs)
			}
			if root := l.gitRoot(from); root != "" {
				s.Root = root
			}
			setOf[g] = s
			out = append(out, s)
		}
		return s
	}
	for _, g := range groups {
		if g.cfg != nil && (l.requestedConfigs[g.cfgPath] != nil || g.cfgPath == l.empty) {
			setFor(g) // even with no journey file
		}
	}
	// Every file's set and place in it (path order) are known before any
	// is read, so that a visitor sees each file where it will stay.
	members := map[*Set][]int{}
	setOfFile := make([]*Set, len(all))
	for i := range all {
		s := setFor(owner[i])
		setOfFile[i] = s
		members[s] = append(members[s], i)
	}
	slot := make([]int, len(all))
	for _, s := range out {
		m := members[s]
		sort.SliceStable(m, func(a, b int) bool { return all[m[a]].display < all[m[b]].display })
		for k, i := range m {
			slot[i] = k
		}
		s.Files = make([]*File, len(m))
	}
	if err := l.readAll(all, bounds, stdin, func(i int, f *File) {
		s := setOfFile[i]
		s.Files[slot[i]] = f
		if visit != nil {
			visit(s, slot[i], f, requested[i])
		}
	}); err != nil {
		return nil, err
	}
	for i := range all {
		if requested[i] {
			s := setOfFile[i]
			s.Requested[s.Files[slot[i]]] = true
		}
	}
	for _, s := range out {
		for _, f := range s.Files {
			if f.Journey != nil {
				s.Workspace.Journeys = append(s.Workspace.Journeys, f.Journey)
			}
		}
	}
	return out, nil
}

// bound is the directory a file's symbolic links must stay in: its
// workspace, else its git repository, else the directory searched. A zero
// bound (a file named outside of any of them) allows any target.
type bound struct {
	dir  string // fully resolved
	what string // "the workspace", "the git repository", "the directory d"
}

// boundOf finds the bound of target t, whose configuration is at cfgPath.
func (l *loader) boundOf(t target, cfgPath string) bound {
	if cfgPath != "" && l.forced == nil {
		return bound{l.resolved(filepath.Dir(cfgPath)), "the workspace"}
	}
	if root := l.gitRoot(filepath.Dir(t.abs)); root != "" {
		return bound{l.resolved(root), "the git repository"}
	}
	if t.walkRoot != "" {
		return bound{l.resolved(t.walkRoot), "the directory " + l.display(t.walkRoot)}
	}
	return bound{}
}

func linkOutsideMessage(b bound) string {
	return fmt.Sprintf("is a symbolic link to a file outside %s: not read (copy the file in, or name it from where it is)", b.what)
}

// gitRoot finds the nearest directory at or above d holding .git (a
// directory, or a file in a linked work tree or a submodule); "" if none.
func (l *loader) gitRoot(d string) string {
	var walked []string
	root := ""
	for cur := d; ; cur = filepath.Dir(cur) {
		if r, ok := l.gitRoots[cur]; ok {
			root = r
			break
		}
		walked = append(walked, cur)
		if _, err := l.fs.lstat(filepath.Join(cur, ".git")); err == nil {
			root = cur
			break
		}
		if filepath.Dir(cur) == cur {
			break
		}
	}
	for _, w := range walked {
		l.gitRoots[w] = root
	}
	return root
}

// resolved is dir with every symbolic link resolved, or dir itself when
// that fails.
// It is called before files are read, never from two goroutines; each
// directory is resolved once (every file of a walk has the same bound).
func (l *loader) resolved(dir string) string {
	if r, ok := l.resolvedDirs[dir]; ok {
		return r
	}
	r := dir
	if real, err := l.fs.evalSymlinks(dir); err == nil {
		r = real
	}
	if l.resolvedDirs == nil {
		l.resolvedDirs = map[string]string{}
	}
	l.resolvedDirs[dir] = r
	return r
}

// escapes reports whether file p, once every symbolic link is resolved,
// lies outside directory dir (already resolved).
func (l *loader) escapes(p, dir string) bool {
	real, err := l.fs.evalSymlinks(p)
	if err != nil {
		return false // reading it reports the problem
	}
	rel, err := filepath.Rel(dir, real)
	return err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel)
}

// readAll reads and parses the files on every core, handing each to done
// (from the goroutine that read it). The first error in target order wins.
func (l *loader) readAll(targets []target, bounds []bound, stdin io.Reader, done func(i int, f *File)) error {
	errs := make([]error, len(targets))
	parallel.Each(parallel.Range(len(targets)), func(i int) string { return "loading " + targets[i].display }, func(i int) {
		f, err := l.readOne(targets[i], bounds[i], stdin)
		if err != nil {
			errs[i] = err
			return
		}
		if !targets[i].stdin {
			t, b := targets[i], bounds[i]
			f.reload = func() (*File, error) { return l.readOne(t, b, nil) }
		}
		done(i, f)
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// readOne reads and parses one target. A file found by searching a
// directory that cannot be read, or should not be, is a finding at that
// file; the same for a file the user named is an error, except a symbolic
// link out of its workspace or repository, which is a finding too.
func (l *loader) readOne(t target, b bound, stdin io.Reader) (*File, error) {
	unread := func(msg string) *File {
		f := &File{Path: t.display}
		f.add("syntax", journey.Range{}, msg)
		return f
	}
	if t.dirErr != nil {
		return unread(fmt.Sprintf("this directory cannot be read (%s): the journey files in it are not checked", errText(t.dirErr))), nil
	}
	var data []byte
	var err error
	if t.stdin {
		if stdin == nil {
			stdin = os.Stdin
		}
		data, err = safeio.ReadAll(stdin, MaxFileSize)
		if err != nil {
			var big *safeio.TooLargeError
			if errors.As(err, &big) {
				return unread(readProblem(err, "journey file", MaxFileSize) + ": split it into several journeys"), nil
			}
			return nil, &PathError{Path: t.display, Err: err}
		}
		return ParseJourney(t.display, data), nil
	}
	// The kind first: a FIFO or a device is never opened, wherever it is.
	info, err := l.fs.stat(t.abs)
	if err == nil && !info.Mode().IsRegular() {
		err = &safeio.NotRegularError{Kind: safeio.KindOf(info.Mode())}
	}
	if err == nil && b.dir != "" && l.escapes(t.abs, b.dir) {
		return unread(linkOutsideMessage(b)), nil
	}
	if err == nil {
		data, err = l.fs.readFile(t.abs, MaxFileSize)
	}
	if err != nil {
		if t.named {
			return nil, &PathError{Path: t.display, Err: err}
		}
		msg := readProblem(err, "journey file", MaxFileSize)
		var nr *safeio.NotRegularError
		var big *safeio.TooLargeError
		switch {
		case errors.As(err, &nr):
			msg += ": skipped"
		case errors.As(err, &big):
			msg += ": split it into several journeys"
		}
		return unread(msg), nil
	}
	return ParseJourney(t.display, data), nil
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
