package lsp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/journeykit/journey/internal/safeio"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
)

// document is a file open in the editor: its text is the client's, not
// the disk's.
type document struct {
	uri     string
	version int32
	src     []byte
}

type diskEntry struct {
	src     []byte
	problem string // why it cannot be read
	// stamp is the file's size and modification time when read: a file
	// changed on disk is read again even when the client does not watch
	// files for us.
	stamp string
}

func stampOf(abs string) string {
	info, err := os.Stat(abs)
	if err != nil {
		return "missing"
	}
	return fmt.Sprintf("%d/%d", info.Size(), info.ModTime().UnixNano())
}

type parsed struct {
	src  []byte
	file *load.File
	gen  uint64 // which parse: part of the file's lint key
}

// group is one workspace as discovered on disk: its configuration (abs,
// or "") and its journey files.
type group struct {
	config string
	files  []load.Found
}

// state is everything the server knows; only the main loop touches it.
// Every answer is computed from the open documents and the disk alone (a
// snapshot), never from the order the events came in.
type state struct {
	root         string
	opts         InitializationOptions
	logf         func(string, ...any)
	watchDynamic bool

	docs     map[string]*document // by absolute path
	disk     map[string]diskEntry
	parsed   map[string]*parsed
	lastGood map[string]*journey.Journey

	groups     []*group
	discovered bool
	snap       *snapshot

	gen       uint64
	linted    map[string]lintEntry // by absolute path: open files' findings
	published map[string][]byte    // by absolute path: the last diagnostics sent
	force     map[string]bool      // documents whose diagnostics must be sent
	closed    map[string]string    // closed documents to clear, abs -> uri
	// dirty is set by every change, cleared once diagnostics went out.
	dirty bool
}

func newState() *state {
	return &state{
		docs:      map[string]*document{},
		disk:      map[string]diskEntry{},
		parsed:    map[string]*parsed{},
		lastGood:  map[string]*journey.Journey{},
		published: map[string][]byte{},
		linted:    map[string]lintEntry{},
		force:     map[string]bool{},
		closed:    map[string]string{},
		logf:      func(string, ...any) {},
	}
}

func (st *state) init(root string, o InitializationOptions, logf func(string, ...any)) {
	if root != "" {
		if abs, err := filepath.Abs(root); err == nil {
			root = abs
		}
	}
	st.root, st.opts, st.logf = root, o, logf
}

func (st *state) renamedFrom() bool { return st.opts.RenamedFrom == nil || *st.opts.RenamedFrom }

// uriToPath turns a file URI into an absolute path.
func uriToPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return filepath.Clean(uri)
	}
	p := u.Path
	if runtime.GOOS == "windows" {
		p = strings.TrimPrefix(p, "/")
	}
	return filepath.Clean(filepath.FromSlash(p))
}

// pathToURI turns an absolute path into a file URI.
func pathToURI(p string) string {
	p = filepath.ToSlash(p)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

func (st *state) uriOf(abs string) string {
	if d := st.docs[abs]; d != nil {
		return d.uri
	}
	return pathToURI(abs)
}

func (st *state) invalidate() { st.snap, st.dirty = nil, true }

func (st *state) open(uri string, version int32, src []byte) {
	abs := uriToPath(uri)
	if !load.IsJourneyFile(abs) && !load.IsConfigFile(abs) {
		// Editors that start servers by language (YAML) send every YAML
		// file: only journey files and configurations are ours.
		return
	}
	st.docs[abs] = &document{uri: uri, version: version, src: src}
	delete(st.closed, abs)
	st.force[abs] = true
	if load.IsConfigFile(abs) {
		st.discovered = false
	}
	st.invalidate()
}

func (st *state) change(uri string, version int32, changes []TextDocumentContentChangeEvent) {
	abs := uriToPath(uri)
	d := st.docs[abs]
	if d == nil {
		return
	}
	for _, c := range changes {
		d.src = applyChange(d.src, c.Range, c.Text)
	}
	d.version = version
	st.force[abs] = true
	st.invalidate()
}

func (st *state) save(uri string, txt *string) {
	abs := uriToPath(uri)
	delete(st.disk, abs)
	if d := st.docs[abs]; d != nil && txt != nil {
		d.src = []byte(*txt)
	}
	if load.IsConfigFile(abs) {
		st.discovered = false
	}
	st.force[abs] = true
	st.invalidate()
}

func (st *state) close(uri string) {
	abs := uriToPath(uri)
	if d := st.docs[abs]; d != nil {
		st.closed[abs] = d.uri
	}
	delete(st.docs, abs)
	delete(st.disk, abs)
	delete(st.published, abs)
	delete(st.force, abs)
	st.invalidate()
}

// watched takes files created, changed or deleted on disk: they are read
// again, and the workspace is searched again.
func (st *state) watched(changes []FileEvent) {
	for _, c := range changes {
		delete(st.disk, uriToPath(c.URI))
	}
	st.discovered = false
	st.invalidate()
}

// content is a file's text: the editor's when it is open, else the disk's.
func (st *state) content(abs string) ([]byte, string) {
	max := int64(load.MaxFileSize)
	if load.IsConfigFile(abs) {
		max = load.MaxConfigSize
	}
	if d := st.docs[abs]; d != nil {
		if int64(len(d.src)) > max {
			return nil, readProblem(&safeio.TooLargeError{Size: int64(len(d.src)), Max: max}, max)
		}
		return d.src, ""
	}
	e, ok := st.disk[abs]
	stamp := stampOf(abs)
	if !ok || e.stamp != stamp {
		e = diskEntry{stamp: stamp}
		src, err := safeio.ReadFile(abs, max)
		if err != nil {
			e.problem = readProblem(err, max)
		} else {
			e.src = src
		}
		st.disk[abs] = e
	}
	return e.src, e.problem
}

// readProblem says why a journey file is not read, in the words of
// journey lint.
func readProblem(err error, max int64) string {
	var nr *safeio.NotRegularError
	var big *safeio.TooLargeError
	switch {
	case errors.As(err, &nr):
		return fmt.Sprintf("is %s, not a regular file: skipped", nr.Kind)
	case errors.As(err, &big):
		size, limit := safeio.Bytes(big.Size), safeio.Bytes(max)
		if size == limit {
			size, limit = fmt.Sprintf("%d bytes", big.Size), fmt.Sprintf("%d bytes", max)
		}
		return fmt.Sprintf("the file is %s, more than the %s a journey file may have: split it into several journeys", size, limit)
	case errors.Is(err, fs.ErrNotExist):
		return "cannot be read: it no longer exists (or is a symbolic link to nothing)"
	case errors.Is(err, fs.ErrPermission):
		return "cannot be read: permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return "cannot be read: " + err.Error()
}

// discover finds the workspaces below the root, grouping journey files by
// their nearest configuration as journey lint does.
func (st *state) discover() {
	st.discovered = true
	st.groups = nil
	byConfig := map[string]*group{}
	nearest := map[string]string{}
	nearestOf := func(dir string) string {
		if c, ok := nearest[dir]; ok {
			return c
		}
		c, err := load.NearestConfig(dir)
		if err != nil {
			st.logf("%v", err)
		}
		nearest[dir] = c
		return c
	}
	seen := map[string]bool{}
	var add func(found []load.Found)
	groupOf := func(cfg string) *group {
		g := byConfig[cfg]
		if g == nil {
			g = &group{config: cfg}
			byConfig[cfg] = g
			st.groups = append(st.groups, g)
			if cfg != "" {
				found, err := load.Find(load.Options{Dir: filepath.Dir(cfg)})
				if err != nil {
					st.logf("%v", err)
				}
				add(found)
			}
		}
		return g
	}
	add = func(found []load.Found) {
		for _, f := range found {
			if f.Stdin || f.Path == "" || f.Config || seen[f.Path] {
				continue
			}
			seen[f.Path] = true
			g := groupOf(nearestOf(filepath.Dir(f.Path)))
			g.files = append(g.files, f)
		}
	}
	if st.root != "" {
		found, err := load.Find(load.Options{Dir: st.root})
		if err != nil {
			st.logf("%v", err)
		}
		for _, f := range found {
			if f.Config {
				groupOf(f.Path)
			}
		}
		add(found)
	}
	// Open documents the search did not find still get findings, in the
	// workspace of their nearest configuration.
	for _, abs := range slices.Sorted(maps.Keys(st.docs)) {
		if seen[abs] {
			continue
		}
		if load.IsConfigFile(abs) {
			groupOf(abs)
			continue
		}
		seen[abs] = true
		g := groupOf(nearestOf(filepath.Dir(abs)))
		g.files = append(g.files, load.Found{Display: st.display(abs), Path: abs})
	}
	sort.Slice(st.groups, func(i, j int) bool { return st.groups[i].config < st.groups[j].config })
}

func (st *state) display(abs string) string {
	if st.root != "" {
		if rel, err := filepath.Rel(st.root, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return abs
}

// snapshot is one analysis of the workspace as it is now.
type snapshot struct {
	sets      []*wset
	files     map[string]*sfile // by absolute path
	byDisplay map[string]*sfile
}

// wset is one workspace of the snapshot.
type wset struct {
	config   *sfile
	files    []*sfile // journey files, by display name
	ws       *journey.Workspace
	findings map[string][]diag.Diagnostic // by absolute path, open files only
	idx      *index
}

// sfile is one file of the snapshot.
type sfile struct {
	abs, display, uri string
	set               *wset
	src               []byte
	file              *load.File
	// nav is the journey navigation uses: the file's, or the last one
	// decoded while the file has a syntax error.
	nav *journey.Journey
	txt *text
	// gen identifies the parse of the file (0: not parsed).
	gen uint64
}

func (f *sfile) text() *text {
	if f.txt == nil {
		f.txt = newText(f.src)
	}
	return f.txt
}

func (st *state) parse(abs, display string, src []byte, config bool) *load.File {
	if p := st.parsed[abs]; p != nil && p.file.Path == display && bytes.Equal(p.src, src) {
		return p.file
	}
	var f *load.File
	if config {
		f = load.ParseConfig(display, src)
	} else {
		f = load.ParseJourney(display, src)
	}
	st.gen++
	st.parsed[abs] = &parsed{src: src, file: f, gen: st.gen}
	return f
}

func hasSyntaxError(f *load.File) bool {
	for _, d := range f.Diagnostics {
		if d.Rule == "syntax" {
			return true
		}
	}
	return false
}

// snapshot returns the analysis of the current state, computing it when
// something changed.
func (st *state) snapshot() *snapshot {
	if st.snap != nil {
		return st.snap
	}
	if !st.discovered {
		st.discover()
	} else {
		// A document opened since the last search joins its workspace.
		known := map[string]bool{}
		for _, g := range st.groups {
			known[g.config] = true
			for _, f := range g.files {
				known[f.Path] = true
			}
		}
		for abs := range st.docs {
			if !known[abs] {
				st.discover()
				break
			}
		}
	}
	sn := &snapshot{files: map[string]*sfile{}, byDisplay: map[string]*sfile{}}
	live := map[string]bool{}
	for _, g := range st.groups {
		set := &wset{ws: &journey.Workspace{}, findings: map[string][]diag.Diagnostic{}}
		ls := &load.Set{Requested: map[*load.File]bool{}, Workspace: set.ws, Root: st.root}
		if g.config != "" {
			src, problem := st.content(g.config)
			f := &sfile{abs: g.config, display: st.display(g.config), uri: st.uriOf(g.config), set: set, src: src}
			if problem == "" {
				f.file = st.parse(g.config, f.display, src, true)
				f.gen = st.parsed[g.config].gen
				live[g.config] = true
				ls.Config = f.file
				set.ws.Config = f.file.Config
			} else {
				st.logf("%s: %s", f.display, problem)
			}
			set.config = f
			sn.files[f.abs], sn.byDisplay[f.display] = f, f
		}
		found := append([]load.Found(nil), g.files...)
		sort.Slice(found, func(i, j int) bool { return st.display(found[i].Path) < st.display(found[j].Path) })
		for _, fd := range found {
			f := &sfile{abs: fd.Path, display: st.display(fd.Path), uri: st.uriOf(fd.Path), set: set}
			problem := fd.Problem
			if problem == "" {
				f.src, problem = st.content(fd.Path)
			}
			if problem != "" {
				f.file = &load.File{Path: f.display, Diagnostics: []diag.Diagnostic{{
					File: f.display, Severity: diag.Error, Rule: "syntax", Message: problem,
				}}}
			} else {
				f.file = st.parse(fd.Path, f.display, f.src, false)
				f.gen = st.parsed[fd.Path].gen
				live[fd.Path] = true
			}
			f.nav = f.file.Journey
			if f.nav != nil && !hasSyntaxError(f.file) {
				st.lastGood[f.abs] = f.nav
			} else if g := st.lastGood[f.abs]; g != nil {
				f.nav = g
			}
			if f.file.Journey != nil {
				set.ws.Journeys = append(set.ws.Journeys, f.file.Journey)
			}
			ls.Files = append(ls.Files, f.file)
			set.files = append(set.files, f)
			sn.files[f.abs], sn.byDisplay[f.display] = f, f
		}
		// Only the open files whose findings may have changed are checked
		// again (see lintKeys); the configuration's findings always are.
		keys := lintKeys(set)
		for _, f := range set.files {
			if st.docs[f.abs] == nil {
				continue
			}
			live[lintPrefix+f.abs] = true
			if e, ok := st.linted[f.abs]; !ok || e.key != keys[f.abs] {
				ls.Requested[f.file] = true
			}
		}
		res := lint.Run([]*load.Set{ls}, lint.Options{})
		fresh := map[string][]diag.Diagnostic{}
		for _, d := range res.Findings {
			if f := sn.byDisplay[d.File]; f != nil {
				fresh[f.abs] = append(fresh[f.abs], d)
			}
		}
		for _, f := range set.files {
			if st.docs[f.abs] == nil {
				continue
			}
			if ls.Requested[f.file] {
				st.linted[f.abs] = lintEntry{key: keys[f.abs], findings: fresh[f.abs]}
			}
			set.findings[f.abs] = st.linted[f.abs].findings
		}
		if set.config != nil {
			set.findings[set.config.abs] = fresh[set.config.abs]
		}
		sn.sets = append(sn.sets, set)
	}
	for abs := range st.linted {
		if !live[lintPrefix+abs] {
			delete(st.linted, abs)
		}
	}
	// Forget the parses of files no longer in any workspace.
	for abs := range st.parsed {
		if !live[abs] {
			delete(st.parsed, abs)
		}
	}
	for abs := range st.lastGood {
		if sn.files[abs] == nil {
			delete(st.lastGood, abs)
		}
	}
	st.snap = sn
	return sn
}

// file returns the snapshot's file of a document URI, or nil.
func (st *state) file(uri string) *sfile {
	return st.snapshot().files[uriToPath(uri)]
}

// diagnostics lists what to publish: the findings of every open document
// whose findings changed or that changed itself, and empty lists for the
// documents closed.
func (st *state) diagnostics() []PublishDiagnosticsParams {
	if !st.dirty {
		return nil
	}
	st.dirty = false
	var out []PublishDiagnosticsParams
	for _, abs := range slices.Sorted(maps.Keys(st.closed)) {
		out = append(out, PublishDiagnosticsParams{URI: st.closed[abs], Diagnostics: []Diagnostic{}})
	}
	st.closed = map[string]string{}
	if len(st.docs) == 0 {
		return out
	}
	sn := st.snapshot()
	for _, abs := range slices.Sorted(maps.Keys(st.docs)) {
		d := st.docs[abs]
		f := sn.files[abs]
		ds := []Diagnostic{}
		if f != nil {
			for _, fd := range f.set.findings[abs] {
				ds = append(ds, st.toLSPDiagnostic(sn, f, fd))
			}
		}
		data, _ := json.Marshal(ds)
		if !st.force[abs] && bytes.Equal(data, st.published[abs]) {
			continue
		}
		st.published[abs] = data
		delete(st.force, abs)
		v := d.version
		out = append(out, PublishDiagnosticsParams{URI: d.uri, Version: &v, Diagnostics: ds})
	}
	return out
}

func lspSeverity(s diag.Severity) int {
	switch s {
	case diag.Error:
		return SeverityError
	case diag.Warning:
		return SeverityWarning
	}
	return SeverityInformation
}

// toLSPDiagnostic converts a finding of file f: the same range, the
// suggestion as a second line, related places as related information.
func (st *state) toLSPDiagnostic(sn *snapshot, f *sfile, d diag.Diagnostic) Diagnostic {
	msg := d.Message
	if d.Suggestion != nil {
		msg += "\n" + d.Suggestion.Help()
	}
	out := Diagnostic{
		Range:    f.text().rangeToLSP(d.Range),
		Severity: lspSeverity(d.Severity),
		Code:     d.Rule,
		Source:   "journey",
		Message:  msg,
	}
	if d.Rule != "" {
		out.CodeDescription = &CodeDescription{Href: diag.DocsURL + "#" + d.Rule}
	}
	for _, r := range d.Related {
		rf := sn.byDisplay[r.File]
		if rf == nil {
			continue
		}
		out.RelatedInformation = append(out.RelatedInformation, DiagnosticRelatedInformation{
			Location: Location{URI: rf.uri, Range: rf.text().rangeToLSP(r.Range)},
			Message:  r.Message,
		})
	}
	return out
}
