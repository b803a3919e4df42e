package lint

import (
	"github.com/journeykit/journey/internal/parallel"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
)

// Options tune a lint run.
type Options struct {
	// Baseline holds findings that are known and not to be reported.
	Baseline *Baseline
}

// Result is the outcome of a lint run.
type Result struct {
	// Findings are sorted by file, line, column and rule.
	Findings []diag.Diagnostic
	// Files is the number of files checked (configurations only when
	// named as paths).
	Files int
	// Sources maps every file with findings to its content.
	Sources map[string][]byte
	// Root is the directory findings are matched and located by (the
	// first workspace's load.Set.Root), or "".
	Root string
}

// Run checks every loaded workspace and returns the findings of the files
// the user asked about, with the configured severities, inline
// suppressions and baseline applied.
func Run(sets []*load.Set, o Options) Result {
	res := Result{Sources: map[string][]byte{}}
	for _, s := range sets {
		if res.Root == "" {
			res.Root = s.Root
		}
		res.Findings = append(res.Findings, checkSet(s, &res)...)
	}
	if o.Baseline != nil {
		res.Findings = o.Baseline.Filter(res.Findings, res.Root)
	}
	diag.Sort(res.Findings)
	return res
}

// CheckWorkspace runs every rule on a workspace and returns all findings,
// unfiltered and unsorted; for callers that build workspaces themselves.
func CheckWorkspace(ws *journey.Workspace) []diag.Diagnostic {
	handedIn := handoffTargets(ws)
	var out []diag.Diagnostic
	for _, j := range ws.Journeys {
		out = append(out, checkJourney(ws, j, handedIn[j.ID.Value], nil)...)
	}
	return append(out, workspaceFindings(ws)...)
}

// fileFindings are the findings of f alone: its own (syntax, schema) and
// the journey rules' on its journey. handedIn lists the stages other
// journeys of ws hand off to, by journey id.
func fileFindings(ws *journey.Workspace, f *load.File, handedIn map[string]map[string]bool) []diag.Diagnostic {
	ds := append([]diag.Diagnostic(nil), f.Diagnostics...)
	if f.Journey != nil {
		ds = append(ds, checkJourney(ws, f.Journey, handedIn[f.Journey.ID.Value], f.Diagnostics)...)
	}
	return ds
}

// workspaceFindings are the findings of the workspace rules on ws.
func workspaceFindings(ws *journey.Workspace) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, r := range Rules {
		if r.workspace != nil {
			r.workspace(&workspacePass{rule: r, ws: ws, out: &out})
		}
	}
	return out
}

// configFindings are the findings of a workspace configuration: its own
// (syntax, schema) and the configuration rules'.
func configFindings(c *load.File) []diag.Diagnostic {
	return append(append([]diag.Diagnostic(nil), c.Diagnostics...), checkConfig(c.Config)...)
}

// keepFinding applies the configured severity and the disable comments to
// d: false when it is not reported.
func keepFinding(d *diag.Diagnostic, sev map[string]diag.Severity, sp suppressions) bool {
	if v, ok := sev[d.Rule]; ok {
		d.Severity = v
	}
	if d.Severity == diag.Off {
		return false
	}
	return !sp.suppressed(d.Range.Start.Line, d.Rule)
}

// unusedDisables are the unused-suppression findings of the file at path
// (journey id), whose disable comments sp have been applied, unless the
// rule is off.
func unusedDisables(sev map[string]diag.Severity, path, id string, sp suppressions) []diag.Diagnostic {
	level, set := sev[ruleUnusedSuppression.ID]
	if set && level == diag.Off {
		return nil
	}
	ds := unusedSuppressions(path, id, sp)
	if set {
		for i := range ds {
			ds[i].Severity = level
		}
	}
	return ds
}

func checkSet(s *load.Set, res *Result) []diag.Diagnostic {
	ws := s.Workspace
	handedIn := handoffTargets(ws)
	perFile := make([][]diag.Diagnostic, len(s.Files))
	var asked []int
	for i, f := range s.Files {
		if s.Requested[f] {
			asked = append(asked, i)
		}
	}
	parallel.Each(asked, func(i int) string { return "checking " + s.Files[i].Path }, func(i int) {
		perFile[i] = fileFindings(ws, s.Files[i], handedIn)
	})

	wide := workspaceFindings(ws)
	requested := map[string]bool{}
	for _, f := range s.Files {
		if s.Requested[f] {
			requested[f.Path] = true
			res.Files++
		}
	}
	var all []diag.Diagnostic
	if s.ConfigRequested {
		res.Files++
	}
	if s.Config != nil {
		all = append(all, configFindings(s.Config)...)
	}
	for _, ds := range perFile {
		all = append(all, ds...)
	}
	for _, d := range wide {
		if requested[d.File] {
			all = append(all, d)
		}
	}
	sev := severities(ws.Config)
	sources := map[string][]byte{}
	for _, f := range s.Files {
		sources[f.Path] = f.Source
	}
	if s.Config != nil {
		sources[s.Config.Path] = s.Config.Source
	}
	supp := map[string]suppressions{}
	kept := all[:0]
	for _, d := range all {
		sp, ok := supp[d.File]
		if !ok {
			sp = parseSuppressions(sources[d.File])
			supp[d.File] = sp
		}
		if keepFinding(&d, sev, sp) {
			kept = append(kept, d)
			res.Sources[d.File] = sources[d.File]
		}
	}
	// Disable comments that dropped nothing, in the files asked about.
	for _, f := range s.Files {
		if !s.Requested[f] {
			continue
		}
		sp, ok := supp[f.Path]
		if !ok {
			sp = parseSuppressions(f.Source)
		}
		id := ""
		if f.Journey != nil {
			id = f.Journey.ID.Value
		}
		for _, d := range unusedDisables(sev, f.Path, id, sp) {
			kept = append(kept, d)
			res.Sources[d.File] = sources[d.File]
		}
	}
	return kept
}

// checkJourney runs every journey rule on j. found are the loader's
// findings of the journey's file: a value with a schema finding gives no
// graph finding of its own.
func checkJourney(ws *journey.Workspace, j *journey.Journey, handedIn map[string]bool, found []diag.Diagnostic) []diag.Diagnostic {
	var out []diag.Diagnostic
	a := analyze(j, handedIn, found)
	sug := newSuggester()
	for _, r := range Rules {
		if r.journey != nil {
			r.journey(&pass{rule: r, ws: ws, j: j, a: a, out: &out, sug: sug})
		}
	}
	return out
}

// handoffTargets lists, per journey id, the stages that hand-offs from
// other journeys of the workspace lead into.
func handoffTargets(ws *journey.Workspace) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, j := range ws.Journeys {
		for _, s := range j.Stages {
			for _, t := range s.Next {
				if !t.IsHandoff() || t.Journey.Value == j.ID.Value {
					continue
				}
				if out[t.Journey.Value] == nil {
					out[t.Journey.Value] = map[string]bool{}
				}
				out[t.Journey.Value][t.To.Value] = true
			}
		}
	}
	return out
}

// severities reads the `rules` of the workspace configuration.
func severities(c *journey.Config) map[string]diag.Severity {
	out := map[string]diag.Severity{}
	if c == nil {
		return out
	}
	for _, r := range c.Rules {
		if s, ok := diag.ParseSeverity(r.Severity.Value); ok && RuleByID(r.Rule.Value) != nil {
			out[r.Rule.Value] = s
		}
	}
	return out
}
