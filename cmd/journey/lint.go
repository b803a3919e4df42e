package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/safeio"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/journeykit/journey/pkg/load"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

// lintGCPercent is lint's GOGC.
const lintGCPercent = 400

type lintFlags struct {
	format        string
	maxWarnings   wholeNumber
	config        string
	baseline      string
	writeBaseline string
}

func newLintCommand() *cobra.Command {
	var f lintFlags
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Check journey files: schema, references, reachability, loops, rates, UTM conventions",
		Long: `Check journey files and the workspace as a whole.

PATH is a journey file, a directory (every *.journey.yaml / *.journey.yml
under it, skipping .git, node_modules and vendor) or - for standard input.
With no PATH, lint checks the workspace of the nearest .journey.yaml
(walking up from the current directory), else the current directory.
Files of the workspace that are not named are still read, so hand-offs and
duplicate journey ids across files are checked, but only the named files'
findings are reported.

Exit status: 0 when there is no error finding, 1 when there is one (or more
warnings than --max-warnings), 2 on a usage error or unreadable path.

Rules and their fixes: docs/rules.md. Silence a finding on one line with a
comment "# journey-lint: disable=RULE" at its end, or on the line above.`,
		Example: `  journey lint
  journey lint examples/ --format json
  journey lint --format github          # annotations in GitHub Actions
  journey lint --format sarif > journey.sarif
  journey lint --write-baseline .journey-baseline.json
  journey lint --baseline .journey-baseline.json
  cat my.journey.yaml | journey lint -`,
		ValidArgsFunction: completeJourneyFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLint(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output format: "+diag.FormatList())
	f.maxWarnings = wholeNumber{text: "-1"}
	fl.Var(&f.maxWarnings, "max-warnings", "exit 1 when there are more than N warnings (-1: no limit)")
	fl.StringVar(&f.config, "config", "", "workspace configuration file to use instead of the nearest .journey.yaml")
	fl.StringVar(&f.baseline, "baseline", "", "do not report the findings recorded in this baseline file")
	fl.StringVar(&f.writeBaseline, "write-baseline", "", "record the current findings in this baseline file and exit 0")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(
		diag.Formats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runLint(cmd *cobra.Command, args []string, f lintFlags) error {
	if !slices.Contains(diag.Formats, f.format) {
		return usageError("unknown --format %q: use %s", f.format, strings.Join(diag.Formats, ", "))
	}
	maxWarnings, err := f.maxWarnings.value("--max-warnings")
	if err != nil {
		return err
	}
	colour, err := useColor(cmd)
	if err != nil {
		return err
	}
	var opts lint.Options
	if f.baseline != "" {
		b, err := readBaseline(f.baseline)
		var be *lint.BaselineError
		if errors.As(err, &be) && be.Line > 0 {
			return usageError("--baseline: %s:%v", f.baseline, err)
		}
		if err != nil {
			return usageError("--baseline %s: %v", f.baseline, err)
		}
		opts.Baseline = b
	}
	// Each file is checked as it is read: memory stays bounded however
	// large the workspace (lint.LoadAndRun). The live heap is then small
	// (a model per core and the workspace's ids), so the collector may
	// let it grow five times instead of two before it runs: with the
	// default it was a fifth of lint's CPU (docs/performance.md). GOGC,
	// when set, still decides.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(lintGCPercent))
	}
	sets, res, err := lint.LoadAndRun(load.Options{Paths: args, ConfigFile: f.config, Stdin: cmd.InOrStdin()}, opts)
	if err != nil {
		var pe *load.PathError
		if errors.As(err, &pe) {
			return usageError("%v", pe)
		}
		return &exitError{code: 2, err: err}
	}
	if res.Files == 0 && len(res.Findings) == 0 {
		// A typo in a path or a glob must not pass CI as "no findings".
		return usageError("%s", nothingChecked(args, sets))
	}
	warnUnmatchedGlobs(cmd.ErrOrStderr(), sets)

	if f.writeBaseline != "" {
		var buf bytes.Buffer
		if err := lint.NewBaseline(res.Findings, res.Root).Write(&buf); err != nil {
			return &exitError{code: 2, err: err}
		}
		if err := writeOutput(f.writeBaseline, buf.Bytes()); err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "journey: recorded %d finding(s) in %s\n", len(res.Findings), f.writeBaseline)
		return nil
	}

	report := diag.Report{Findings: res.Findings, Files: res.Files, Rules: lint.Infos(), Sources: res.Sources,
		Version: buildVersion(), Root: res.Root}
	out := cmd.OutOrStdout()
	if err := diag.Write(out, f.format, report, diag.TextOptions{Color: colour}); err != nil {
		return &exitError{code: 2, err: err}
	}
	sum := diag.Summarize(res.Files, res.Findings)
	switch {
	case sum.Errors > 0:
		return failed
	case maxWarnings >= 0 && sum.Warnings > maxWarnings:
		return &exitError{code: 1, err: fmt.Errorf("exit 1: %d warning(s), more than --max-warnings %d allows", sum.Warnings, maxWarnings)}
	}
	return nil
}

// readBaseline reads a baseline file: a regular file only (a FIFO never
// blocks), of at most lint.MaxBaselineSize bytes.
func readBaseline(path string) (*lint.Baseline, error) {
	file, info, err := safeio.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	if info.Size() > lint.MaxBaselineSize {
		return nil, &safeio.TooLargeError{Size: info.Size(), Max: lint.MaxBaselineSize}
	}
	return lint.ReadBaseline(file)
}

// wholeNumber is an integer flag whose bad value gets a plain message,
// checked when the command runs: pflag's own would quote strconv.
type wholeNumber struct{ text string }

func (w *wholeNumber) String() string     { return w.text }
func (w *wholeNumber) Set(s string) error { w.text = s; return nil }
func (w *wholeNumber) Type() string       { return "int" }

// value is the number, or a usage error naming the flag.
func (w *wholeNumber) value(flag string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(w.text))
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, usageError("%s: %s is too large", flag, strconv.Quote(w.text))
		}
		return 0, usageError("%s: %s is not a whole number", flag, strconv.Quote(w.text))
	}
	return n, nil
}

// useColor decides whether to colour output written to standard output.
func useColor(cmd *cobra.Command) (bool, error) {
	mode, _ := cmd.Flags().GetString("color")
	switch strings.ToLower(mode) {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
	default:
		return false, usageError("unknown --color %q: use auto, always or never", mode)
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false, nil
	}
	if file, ok := cmd.OutOrStdout().(*os.File); ok {
		return isatty.IsTerminal(file.Fd()) || isatty.IsCygwinTerminal(file.Fd()), nil
	}
	return false, nil
}
