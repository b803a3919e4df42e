package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
	"github.com/spf13/cobra"
)

// loadedJourney is a journey the user asked for, with its lint findings.
type loadedJourney struct {
	Journey  *journey.Journey
	Findings []diag.Diagnostic
	// Catalog is the workspace configuration, whose personas and
	// channels the journey may use without declaring them; or nil.
	Catalog *journey.Config
}

// loadJourneys loads the paths as lint does and returns the requested
// journeys in path order. A file that holds no journey (a syntax error, or
// not a mapping) or that breaks the schema stops the command: its findings
// go to stderr and the exit status is 1. A value the schema refuses (an id
// such as "../../README", a wrong type) would be drawn, simulated or used
// as a file name as if it meant something; graph findings (a dead end, an
// unreachable stage) do not stop it, since a picture helps to fix them.
func loadJourneys(cmd *cobra.Command, paths []string) ([]loadedJourney, error) {
	sets, res, byFile, err := loadAndLint(load.Options{Paths: paths, Stdin: cmd.InOrStdin()})
	if err != nil {
		return nil, err
	}
	var out []loadedJourney
	var broken []diag.Diagnostic
	for _, set := range sets {
		for _, f := range set.Files {
			if !set.Requested[f] {
				continue
			}
			lj, ok := journeyOf(set, f, byFile[f.Path])
			if !ok {
				broken = append(broken, byFile[f.Path]...)
				continue
			}
			out = append(out, lj)
		}
	}
	if len(broken) > 0 {
		writeFindings(cmd.ErrOrStderr(), broken, res.Sources)
		return nil, &exitError{code: 1, err: fmt.Errorf("%d file(s) could not be read as journeys (syntax or schema errors above): fix them first, journey lint shows every finding", countFiles(broken))}
	}
	if len(out) == 0 {
		return nil, usageError("%s", nothingChecked(paths, sets))
	}
	warnUnmatchedGlobs(cmd.ErrOrStderr(), sets)
	return out, nil
}

// hasInputErrors reports a syntax or schema error among a file's findings.
func hasInputErrors(ds []diag.Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == diag.Error && (d.Rule == "syntax" || d.Rule == "schema") {
			return true
		}
	}
	return false
}

func writeFindings(w io.Writer, ds []diag.Diagnostic, sources map[string][]byte) {
	_ = diag.WriteText(w, diag.Report{Findings: ds, Files: countFiles(ds), Sources: sources}, diag.TextOptions{})
}

func countFiles(ds []diag.Diagnostic) int {
	files := map[string]bool{}
	for _, d := range ds {
		files[d.File] = true
	}
	return len(files)
}

// nothingChecked says why no journey file was checked: the paths named,
// or the workspace's globs, matched none.
func nothingChecked(paths []string, sets []*load.Set) string {
	const help = " (journey files are named *.journey.yaml or *.journey.yml; a workspace lists them with the `journeys` globs of its .journey.yaml)"
	// A workspace whose globs match nothing is named with its globs, whether
	// it was found from the current directory or from a path given.
	for _, s := range sets {
		if s.Config != nil && len(s.UnmatchedGlobs) > 0 {
			globs := make([]string, len(s.UnmatchedGlobs))
			for i, g := range s.UnmatchedGlobs {
				globs[i] = strconv.Quote(g.Value)
			}
			return termsafe.Line(fmt.Sprintf("no journey files found: the `journeys` globs of %s (%s) match no file: nothing was checked",
				s.Config.Path, strings.Join(globs, ", ")))
		}
	}
	return termsafe.Line("no journey files found in "+describePaths(paths)+": nothing was checked") + help
}

// warnUnmatchedGlobs tells, on w, each workspace glob that matches no file
// while others do: a typo would otherwise leave journeys unchecked.
func warnUnmatchedGlobs(w io.Writer, sets []*load.Set) {
	for _, s := range sets {
		if s.Config == nil {
			continue
		}
		for _, g := range s.UnmatchedGlobs {
			fmt.Fprintf(w, "journey: warning: %s:%d:%d: the `journeys` glob %s matches no file\n",
				termsafe.Line(s.Config.Path), g.Range.Start.Line, g.Range.Start.Column, termsafe.Line(strconv.Quote(g.Value)))
		}
	}
}

func describePaths(paths []string) string {
	if len(paths) == 0 {
		return "the workspace"
	}
	return strings.Join(paths, ", ")
}

// errorCount is the number of error findings.
func errorCount(ds []diag.Diagnostic) int {
	n := 0
	for _, d := range ds {
		if d.Severity == diag.Error {
			n++
		}
	}
	return n
}

// journeyOf is the journey of f, a file of set, as the commands draw it:
// with its findings and its workspace's catalog. ok is false for a file
// that holds no journey or breaks the syntax or the schema.
func journeyOf(set *load.Set, f *load.File, findings []diag.Diagnostic) (lj loadedJourney, ok bool) {
	if f.Journey == nil || hasInputErrors(findings) {
		return loadedJourney{}, false
	}
	lj = loadedJourney{Journey: f.Journey, Findings: findings}
	if set.Workspace != nil {
		lj.Catalog = set.Workspace.Config
	}
	return lj, true
}

// loadAndLint loads the journeys of o as lint does and lints them: the
// sets, the lint result, and its findings by file. A path that cannot be
// read is a usage error (exit 2).
func loadAndLint(o load.Options) ([]*load.Set, lint.Result, map[string][]diag.Diagnostic, error) {
	sets, err := load.Load(o)
	if err != nil {
		var pe *load.PathError
		if errors.As(err, &pe) {
			return nil, lint.Result{}, nil, usageError("%v", pe)
		}
		return nil, lint.Result{}, nil, &exitError{code: 2, err: err}
	}
	res := lint.Run(sets, lint.Options{})
	byFile := map[string][]diag.Diagnostic{}
	for _, d := range res.Findings {
		byFile[d.File] = append(byFile[d.File], d)
	}
	return sets, res, byFile, nil
}

// checkPersona checks that persona is declared for j (or in the workspace
// catalog, which the loader merged) and suggests the closest id otherwise.
func checkPersona(js []loadedJourney, persona string) error {
	if persona == "" {
		return nil
	}
	var ids []string
	for _, lj := range js {
		for _, p := range lj.Journey.Personas {
			if p.ID.Value == persona {
				return nil
			}
			ids = append(ids, p.ID.Value)
		}
		for _, s := range lj.Journey.Stages {
			for _, p := range s.Personas {
				if p.Value == persona {
					return nil
				}
				ids = append(ids, p.Value)
			}
			for _, pe := range s.Emotion.PerPersona {
				if pe.Persona.Value == persona {
					return nil
				}
				ids = append(ids, pe.Persona.Value)
			}
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	msg := fmt.Sprintf("--persona %q: no such persona in these journeys", persona)
	if s := journey.Closest(persona, ids); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else if len(ids) > 0 {
		msg += " (known: " + strings.Join(ids, ", ") + ")"
	}
	return usageError("%s", msg)
}

// loadOneJourney loads the journeys of paths and refuses (exit 2) more
// than one: verb names the command in the message.
func loadOneJourney(cmd *cobra.Command, paths []string, verb string) (loadedJourney, error) {
	js, err := loadJourneys(cmd, paths)
	if err != nil {
		return loadedJourney{}, err
	}
	if len(js) > 1 {
		ids := make([]string, len(js))
		for i, lj := range js {
			ids[i] = lj.Journey.ID.Value
		}
		return loadedJourney{}, usageError("%s holds %d journeys (%s): %s one journey file at a time", describePaths(paths), len(js), strings.Join(ids, ", "), verb)
	}
	return js[0], nil
}
