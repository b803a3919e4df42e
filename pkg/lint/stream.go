package lint

import (
	"sync"

	"github.com/journeykit/journey/internal/parallel"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// retainBudget is how many bytes of journey files LoadAndRun keeps as
// whole models, checked once every file is read as Run checks them: a
// workspace this small (the examples are 150 KB) is checked exactly as
// before. Past it each file is checked as soon as it is parsed and only
// what the workspace rules need is kept (see LoadAndRun). Tests lower it.
var retainBudget = 256 << 10

// LoadAndRun is load.Load followed by Run, in bounded memory: the files
// are checked as they are parsed (GOMAXPROCS at a time) and each file's
// model and tree are dropped once it is checked, keeping only what the
// workspace rules need (journey ids, stage ids, hand-offs) and the source
// of the files with findings. The findings are the same as Run's.
//
// A journey's own checks depend on the rest of the workspace only through
// hand-offs: those it makes (is the target an active journey, does it
// have the stage) and those made into it (they count as entries). A file
// that makes a hand-off to another journey, or turns out to receive one
// once every file is read, is therefore read and checked again at the end
// with the whole workspace's ids; every other file's first check stands.
// Workspaces of at most retainBudget bytes are held whole and checked at
// the end, as Run does, which reads nothing twice.
//
// The sets returned hold every file, but without the models and sources
// that were dropped (File.Journey and File.Source nil; Workspace.Journeys
// only the models held).
func LoadAndRun(lo load.Options, o Options) ([]*load.Set, Result, error) {
	st := &stream{sets: map[*load.Set]*streamSet{}}
	sets, err := load.Stream(lo, st.visit)
	if err != nil {
		return nil, Result{}, err
	}
	res := Result{Sources: map[string][]byte{}}
	for _, s := range sets {
		if res.Root == "" {
			res.Root = s.Root
		}
		res.Findings = append(res.Findings, st.finish(s, &res)...)
	}
	if o.Baseline != nil {
		res.Findings = o.Baseline.Filter(res.Findings, res.Root)
	}
	diag.Sort(res.Findings)
	return sets, res, nil
}

type stream struct {
	mu       sync.Mutex
	sets     map[*load.Set]*streamSet
	retained int
}

// streamSet is what is kept of one workspace while its files are read.
type streamSet struct {
	files []streamFile // by index in Set.Files
	ws0   *journey.Workspace
	sev   map[string]diag.Severity
}

// streamFile is what is kept of one file.
type streamFile struct {
	// held: the model and source are kept; checked at the end.
	held bool
	// checked: ds and supp are the file's findings, unless the journey
	// receives a hand-off (then it is checked again at the end).
	checked bool
	// handsOff: the journey hands off to another journey.
	handsOff bool
	// ds are the file's findings, severities and suppressions applied.
	ds   []diag.Diagnostic
	supp suppressions
	// src is the file's source when it has findings or disable comments.
	src []byte
	sum *summary
}

// summary is what the workspace rules need of a journey.
type summary struct {
	file     string
	id       journey.Text
	status   string
	start    journey.Pos
	stages   []string
	handoffs []handoffRef
}

type handoffRef struct {
	stage       int
	journey, to journey.Text
	toOther     bool
}

func summarize(j *journey.Journey) *summary {
	s := &summary{file: j.File, id: j.ID, status: j.Status, start: j.Meta.Range.Start, stages: make([]string, len(j.Stages))}
	for i, st := range j.Stages {
		s.stages[i] = st.ID.Value
		for _, t := range st.Next {
			if t.IsHandoff() {
				s.handoffs = append(s.handoffs, handoffRef{stage: i, journey: t.Journey, to: t.To, toOther: t.Journey.Value != j.ID.Value})
			}
		}
	}
	return s
}

// handsOff reports whether the journey hands off to another journey: its
// checks then look at the rest of the workspace.
func (s *summary) handsOff() bool {
	for _, h := range s.handoffs {
		if h.toOther {
			return true
		}
	}
	return false
}

// stub is a journey with only what the workspace rules and the hand-off
// checks read: id, status, file, start, and the stages with hand-offs
// (every stage, by id, when full: the journey is a hand-off target).
func (s *summary) stub(full bool) *journey.Journey {
	j := &journey.Journey{File: s.file, ID: s.id, Status: s.status}
	j.Meta.Range = journey.Range{Start: s.start, End: s.start}
	at := map[int]*journey.Stage{}
	stage := func(i int) *journey.Stage {
		if st := at[i]; st != nil {
			return st
		}
		st := &journey.Stage{ID: journey.Text{Value: s.stages[i]}}
		at[i] = st
		j.Stages = append(j.Stages, st)
		return st
	}
	if full {
		for i := range s.stages {
			stage(i)
		}
	}
	for _, h := range s.handoffs {
		st := stage(h.stage)
		st.Next = append(st.Next, &journey.Transition{Journey: h.journey, To: h.to})
	}
	return j
}

func (st *stream) set(s *load.Set) *streamSet {
	st.mu.Lock()
	defer st.mu.Unlock()
	ss := st.sets[s]
	if ss == nil {
		ss = &streamSet{files: make([]streamFile, len(s.Files)), ws0: &journey.Workspace{Config: s.Workspace.Config},
			sev: severities(s.Workspace.Config)}
		st.sets[s] = ss
	}
	return ss
}

// hold reserves room for n more bytes of held files.
func (st *stream) hold(n int) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.retained+n > retainBudget {
		return false
	}
	st.retained += n
	return true
}

// visit runs on the loader's goroutines, one call per file.
func (st *stream) visit(s *load.Set, i int, f *load.File, requested bool) {
	ss := st.set(s)
	sf := &ss.files[i]
	if f.Journey != nil {
		sf.sum = summarize(f.Journey)
		sf.handsOff = sf.sum.handsOff()
	}
	if !f.Reloadable() || st.hold(len(f.Source)) {
		sf.held = true
		return
	}
	if requested && !sf.handsOff {
		ss.check(sf, f, ss.ws0, nil)
		sf.checked = true
	}
	f.Journey, f.Source = nil, nil
}

// check runs the per-file checks of f and keeps their findings.
func (ss *streamSet) check(sf *streamFile, f *load.File, ws *journey.Workspace, handedIn map[string]map[string]bool) {
	ds := fileFindings(ws, f, handedIn)
	sf.supp = parseSuppressions(f.Source)
	sf.ds = ds[:0]
	for _, d := range ds {
		if keepFinding(&d, ss.sev, sf.supp) {
			sf.ds = append(sf.ds, d)
		}
	}
	if len(sf.ds) > 0 || sf.supp != nil {
		sf.src = f.Source
	}
}

// finish completes one workspace once every file is read: the workspace
// rules, the files checked again, the unused disable comments.
func (st *stream) finish(s *load.Set, res *Result) []diag.Diagnostic {
	ss := st.set(s)
	// Hand-off targets get every stage in their stubs.
	targets := map[string]bool{}
	for i := range s.Files {
		if sf := &ss.files[i]; sf.sum != nil {
			for _, h := range sf.sum.handoffs {
				if h.toOther {
					targets[h.journey.Value] = true
				}
			}
		}
	}
	ws := &journey.Workspace{Config: s.Workspace.Config}
	for i, f := range s.Files {
		sf := &ss.files[i]
		switch {
		case sf.held && f.Journey != nil:
			ws.Journeys = append(ws.Journeys, f.Journey)
		case !sf.held && sf.sum != nil:
			ws.Journeys = append(ws.Journeys, sf.sum.stub(targets[sf.sum.id.Value]))
		}
	}
	handedIn := handoffTargets(ws)

	var late []int
	for i, f := range s.Files {
		sf := &ss.files[i]
		if !s.Requested[f] {
			continue
		}
		if sf.held || !sf.checked || (sf.sum != nil && len(handedIn[sf.sum.id.Value]) > 0) {
			late = append(late, i)
		}
	}
	parallel.Each(late, func(i int) string { return "checking " + s.Files[i].Path }, func(i int) {
		f, sf := s.Files[i], &ss.files[i]
		if !sf.held {
			nf, err := f.Reload()
			if err != nil {
				id := ""
				if sf.sum != nil {
					id = sf.sum.id.Value
				}
				sf.ds = []diag.Diagnostic{{File: f.Path, Severity: diag.Error, Rule: ruleSyntax.ID, Journey: id,
					Message: "the file cannot be read again to check its hand-offs: " + err.Error()}}
				return
			}
			f = nf
		}
		ss.check(sf, f, ws, handedIn)
		sf.checked = true
	})

	// As Run: the configuration's findings, each file's, the workspace's.
	var kept []diag.Diagnostic
	sources := map[string][]byte{}
	supp := map[string]suppressions{}
	if s.ConfigRequested {
		res.Files++
	}
	if s.Config != nil {
		sources[s.Config.Path] = s.Config.Source
		for _, d := range configFindings(s.Config) {
			sp, ok := supp[d.File]
			if !ok {
				sp = parseSuppressions(sources[d.File])
				supp[d.File] = sp
			}
			if keepFinding(&d, ss.sev, sp) {
				kept = append(kept, d)
				res.Sources[d.File] = sources[d.File]
			}
		}
	}
	requested := map[string]int{}
	for i, f := range s.Files {
		if !s.Requested[f] {
			continue
		}
		res.Files++
		requested[f.Path] = i
		sf := &ss.files[i]
		for _, d := range sf.ds {
			kept = append(kept, d)
			res.Sources[d.File] = sf.src
		}
	}
	for _, d := range workspaceFindings(ws) {
		i, ok := requested[d.File]
		if !ok {
			continue
		}
		f, sf := s.Files[i], &ss.files[i]
		if sf.held {
			sf.src = f.Source
		} else if sf.src == nil {
			if nf, err := f.Reload(); err == nil {
				sf.src = nf.Source
			}
		}
		if keepFinding(&d, ss.sev, sf.supp) {
			kept = append(kept, d)
			res.Sources[d.File] = sf.src
		}
	}
	// Disable comments that dropped nothing, in the files asked about.
	for i, f := range s.Files {
		if !s.Requested[f] {
			continue
		}
		sf := &ss.files[i]
		id := ""
		if sf.sum != nil {
			id = sf.sum.id.Value
		}
		for _, d := range unusedDisables(ss.sev, f.Path, id, sf.supp) {
			kept = append(kept, d)
			res.Sources[d.File] = sf.src
		}
	}
	return kept
}
