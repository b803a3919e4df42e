package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/diff"
	"github.com/journeykit/journey/pkg/diff/gitrev"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/render"
	"github.com/spf13/cobra"
)

type diffFlags struct {
	base      string
	mergeBase bool
	format    string
	failOn    string
	output    string
	maxDrop   float64
}

func newDiffCommand() *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff OLD NEW | diff --base REF [PATH...]",
		Short: "Show what a change does to journeys: stages, transitions, reachability, analytics",
		Long: `Compare two versions of journeys in journey terms, not as a text diff.

OLD and NEW are two journey files or two directories (a file and a
directory is a usage error). With --base REF, the working tree is compared
with git revision REF (read with git, no checkout); --merge-base compares
with the merge base of REF and HEAD: what a pull request changes.

Journeys match by id (a moved file is not a removal: status moved), stages
by id or renamed_from (one stage-renamed change), transitions by target and
trigger, touchpoints by id or by channel and action. Reordering,
reformatting, comments and x- keys are no change. Breaking by default: a
journey or stage removed, an entry or outcome removed, a UTM or events
change (analytics continuity), an outcome that can no longer be reached;
.journey.yaml's diff: {breaking: {KIND: true|false}} overrides a kind.
Lint errors that the change introduces are listed. Every change carries
the file, line and column of the new version (of the old one for a
removal); --format github prints the breaking ones as annotations.

Exit status: 1 when --fail-on matches, 2 on a usage error or git failure.`,
		Example: `  journey diff old/ebook.journey.yaml ebook.journey.yaml
  journey diff --base main
  journey diff --base origin/main --merge-base --format markdown > comment.md
  journey diff --base HEAD~1 --fail-on breaking
  journey diff --base origin/main --merge-base --format github --fail-on breaking
  journey diff --base main -o change.svg journeys/onboarding.journey.yaml`,
		ValidArgsFunction: completeJourneyFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.base, "base", "", "compare the working tree with git revision REF")
	fl.BoolVar(&f.mergeBase, "merge-base", false, "with --base: compare with the merge base of REF and HEAD")
	fl.StringVar(&f.format, "format", "text", "text, markdown, json, github (annotations for breaking changes) or html (the new map with the changes marked)")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when a change matches: breaking or any")
	fl.StringVarP(&f.output, "output", "o", "", "also write a visual diff to FILE.svg")
	fl.Float64Var(&f.maxDrop, "max-conversion-drop", -1, "a fall of the success probability implied by the rates by more than this (0.05 = 5 points) is breaking (-1: off)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(diff.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"breaking", "any"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runDiff(cmd *cobra.Command, args []string, f diffFlags) error {
	if !slices.Contains(diff.Formats, f.format) && f.format != "html" {
		return usageError("unknown --format %q: use %s or html", f.format, strings.Join(diff.Formats, ", "))
	}
	if f.failOn != "" && f.failOn != "breaking" && f.failOn != "any" {
		return usageError("unknown --fail-on %q: use breaking or any", f.failOn)
	}
	if f.mergeBase && f.base == "" {
		return usageError("--merge-base needs --base REF")
	}
	if f.output != "" && !strings.HasSuffix(strings.ToLower(f.output), ".svg") && !(f.format == "html" && isHTMLPath(f.output)) {
		return usageError("-o %s: the visual diff is written as .svg", f.output)
	}
	var old, new diff.Version
	var newSide sideInfo
	var err error
	if f.base != "" {
		old, new, newSide, err = baseVersions(cmd, f.base, f.mergeBase, args)
	} else {
		if len(args) != 2 {
			return usageError("journey diff takes OLD and NEW (two files or two directories), or --base REF [PATH...]")
		}
		if err := sameKind(args[0], args[1]); err != nil {
			return err
		}
		if old, _, err = pathVersion(cmd, args[0]); err == nil {
			new, newSide, err = pathVersion(cmd, args[1])
		}
	}
	if err != nil {
		return err
	}
	if f.maxDrop > 1 {
		return usageError("--max-conversion-drop %v: give a share between 0 and 1 (0.05 = 5 points)", f.maxDrop)
	}
	breaking, warnings := diff.BreakingFromConfig(newSide.config)
	for _, w := range warnings {
		help := ""
		if w.Suggestion != nil {
			help = "; " + w.Suggestion.Help()
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "journey: warning: %s:%d:%d: %s%s\n", termsafe.Line(w.File), w.Range.Start.Line, w.Range.Start.Column, termsafe.Line(w.Message), termsafe.Line(help))
	}
	res := diff.CompareWith(old, new, diff.Options{MaxConversionDrop: f.maxDrop, Breaking: breaking})

	colour, err := useColor(cmd)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch f.format {
	case "json":
		err = diff.WriteJSON(&buf, res)
	case "markdown":
		err = diff.WriteMarkdown(&buf, res)
	case "github":
		err = diff.WriteGitHub(&buf, res, diff.GitHubOptions{Root: newSide.root, Error: f.failOn != ""})
	case "html":
		err = writeDiffHTML(&buf, res)
	default:
		err = diff.WriteText(&buf, res, diff.TextOptions{Color: colour})
	}
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if f.format == "html" && f.output != "" {
		if err := writeOutput(f.output, buf.Bytes()); err != nil {
			return err
		}
	} else if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
		return err
	}
	if f.output != "" && f.format != "html" {
		svg, err := diff.SVG(res)
		if err != nil {
			var big *render.TooLargeError
			if errors.As(err, &big) {
				return &exitError{code: 2, err: fmt.Errorf("-o %s: visual diff: %v; the changes are listed above, and --format markdown draws them as a Mermaid graph", f.output, err)}
			}
			return &exitError{code: 2, err: err}
		}
		if err := writeOutput(f.output, svg); err != nil {
			return err
		}
	}
	switch {
	case f.failOn == "any" && res.Summary.Changes > 0:
		return &exitError{code: 1, err: fmt.Errorf("exit 1: %d change(s) (--fail-on any)", res.Summary.Changes)}
	case f.failOn == "breaking" && res.Summary.Breaking > 0:
		return &exitError{code: 1, err: fmt.Errorf("exit 1: %d breaking change(s) (--fail-on breaking)", res.Summary.Breaking)}
	}
	return nil
}

// sideInfo is what the command needs of the new side beyond the journeys:
// its workspace configuration (diff.breaking) and the root GitHub
// annotation paths are relative to.
type sideInfo struct {
	config *journey.Config
	root   string
}

// sameKind refuses to compare a file with a directory: there is no
// journey to match, and the result would be a removal and additions.
func sameKind(old, new string) error {
	oi, oerr := os.Stat(old)
	ni, nerr := os.Stat(new)
	if oerr != nil || nerr != nil {
		return nil // pathVersion says which one is missing
	}
	if oi.IsDir() != ni.IsDir() {
		kind := func(fi os.FileInfo) string {
			if fi.IsDir() {
				return "a directory"
			}
			return "a file"
		}
		return usageError("journey diff: OLD %s is %s and NEW %s is %s: compare two files or two directories",
			termsafe.Line(old), kind(oi), termsafe.Line(new), kind(ni))
	}
	return nil
}

// pathVersion loads one side given as a file or a directory. Journey paths
// are kept relative to that argument, so the same file in OLD/ and NEW/ is
// not reported as moved.
func pathVersion(cmd *cobra.Command, path string) (diff.Version, sideInfo, error) {
	info, statErr := os.Stat(path)
	if statErr != nil {
		return diff.Version{}, sideInfo{}, usageError("%s: no such file or directory", path)
	}
	sets, err := load.Load(load.Options{Paths: []string{path}, Stdin: cmd.InOrStdin()})
	if err != nil {
		var pe *load.PathError
		if errors.As(err, &pe) {
			return diff.Version{}, sideInfo{}, usageError("%v", pe)
		}
		return diff.Version{}, sideInfo{}, &exitError{code: 2, err: err}
	}
	v, side := versionOf(sets)
	for j := range v.Paths {
		// Two files are compared as one journey: their names do not matter.
		rel := ""
		if info.IsDir() {
			if r, err := filepath.Rel(path, j.File); err == nil {
				rel = r
			}
		}
		v.Paths[j] = filepath.ToSlash(rel)
	}
	return v, side, nil
}

// versionOf collects the requested journeys of loaded sets and their lint
// findings, and the first set's configuration and root.
func versionOf(sets []*load.Set) (diff.Version, sideInfo) {
	v := diff.Version{Paths: map[*journey.Journey]string{}, Findings: lint.Run(sets, lint.Options{}).Findings}
	var side sideInfo
	for _, s := range sets {
		if side.root == "" {
			side.root = s.Root
		}
		if side.config == nil && s.Config != nil {
			side.config = s.Config.Config
		}
		for _, f := range s.Files {
			if s.Requested[f] && f.Journey != nil {
				v.Journeys = append(v.Journeys, f.Journey)
				v.Paths[f.Journey] = f.Path
			}
		}
	}
	return v, side
}

// baseVersions reads the working tree (paths, or the whole repository)
// and the same paths at git revision ref. Both sides are loaded by
// load.Load from the same working directory with the same paths, the
// revision mounted in place of the work tree, so they find the same files
// and the same workspace configurations: an unchanged tree has no change.
func baseVersions(cmd *cobra.Command, ref string, mergeBase bool, paths []string) (diff.Version, diff.Version, sideInfo, error) {
	wd, err := os.Getwd()
	if err != nil {
		return diff.Version{}, diff.Version{}, sideInfo{}, &exitError{code: 2, err: err}
	}
	repo, err := gitrev.Open(wd)
	if err != nil {
		return diff.Version{}, diff.Version{}, sideInfo{}, usageError("%v", err)
	}
	commit, err := repo.Resolve(ref, mergeBase)
	if err != nil {
		return diff.Version{}, diff.Version{}, sideInfo{}, usageError("%v", err)
	}
	for _, p := range paths {
		if rel, err := filepath.Rel(repo.Root, absPath(wd, p)); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return diff.Version{}, diff.Version{}, sideInfo{}, usageError("%s is outside the git repository %s", p, repo.Root)
		}
	}
	if len(paths) == 0 {
		root, err := filepath.Rel(wd, repo.Root)
		if err != nil {
			root = repo.Root
		}
		paths = []string{root}
	}
	snapshot, err := repo.Snapshot(commit)
	if err != nil {
		return diff.Version{}, diff.Version{}, sideInfo{}, &exitError{code: 2, err: err}
	}
	// A path that the revision does not have (a file or directory added
	// since) contributes nothing to the old side.
	var oldPaths []string
	for _, p := range paths {
		rel, _ := filepath.Rel(repo.Root, absPath(wd, p))
		if _, err := fs.Stat(snapshot, filepath.ToSlash(rel)); err == nil {
			oldPaths = append(oldPaths, p)
		}
	}
	load1 := func(o load.Options) ([]*load.Set, error) {
		sets, err := load.Load(o)
		if err != nil {
			var pe *load.PathError
			if errors.As(err, &pe) {
				return nil, usageError("%v", pe)
			}
			return nil, &exitError{code: 2, err: err}
		}
		return sets, nil
	}
	var old diff.Version
	if len(oldPaths) > 0 {
		sets, err := load1(load.Options{Paths: oldPaths, Dir: wd, FS: snapshot, FSRoot: repo.Root})
		if err != nil {
			return diff.Version{}, diff.Version{}, sideInfo{}, err
		}
		old, _ = versionOf(sets)
	} else {
		old = diff.Version{Paths: map[*journey.Journey]string{}}
	}
	sets, err := load1(load.Options{Paths: paths, Dir: wd, Stdin: cmd.InOrStdin()})
	if err != nil {
		return diff.Version{}, diff.Version{}, sideInfo{}, err
	}
	new, side := versionOf(sets)
	for _, v := range []diff.Version{old, new} {
		for j := range v.Paths {
			if rel, err := filepath.Rel(repo.Root, absPath(wd, j.File)); err == nil {
				v.Paths[j] = filepath.ToSlash(rel)
			}
		}
	}
	return old, new, side, nil
}

// absPath is p made absolute against the working directory wd.
func absPath(wd, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(wd, p)
}
