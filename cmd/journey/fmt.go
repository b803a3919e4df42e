package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/journeykit/journey/internal/outfile"
	"github.com/journeykit/journey/internal/safeio"
	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/format"
	"github.com/journeykit/journey/pkg/load"
	"github.com/spf13/cobra"
)

type fmtFlags struct {
	write bool
	check bool
	diff  bool
}

func newFmtCommand() *cobra.Command {
	var f fmtFlags
	cmd := &cobra.Command{
		Use:   "fmt [PATH...]",
		Short: "Rewrite journey files in the canonical layout (key order, indentation), keeping comments",
		Long: `Rewrite journey files and .journey.yaml workspace configurations in the
canonical layout: keys in the order of the format's tables (x- and unknown
keys after the known ones, as written), two-space indentation, one blank
line between stages and around the top-level sections, quotes only where
YAML needs them. Comments, anchors, block scalars (| and >) and flow
collections ({...} and [...]) written on one line are kept; a flow
collection written over several lines becomes block style. Formatting
twice changes nothing.

PATH is a file, a directory (every *.journey.yaml / *.journey.yml and
.journey.yaml under it, skipping .git, node_modules and vendor) or - for
standard input. With no PATH, fmt formats the workspace of the nearest
.journey.yaml (the configuration and its journeys), else the current
directory.

With no flag, the formatted files are printed to standard output.
  -w           rewrites the files that change, atomically (a crash or an
               interrupt never leaves a half-written file or a temporary
               one), keeping their mode, setuid/setgid bits and, when run
               as root, their owner and group. A read-only file (no write
               permission at all) is not rewritten, even by root: exit 1.
               As with gofmt -w, the file is replaced by a new one: a hard
               link to it keeps the old text (a symbolic link is followed,
               and stays a link).
  -l, --check  lists the files whose layout differs and exits 1 if any.
  -d           prints a unified diff of the changes.

A file that is not valid YAML, or one of whose comments the YAML library
cannot keep in place, is never written: the problem is reported with its
line and column on standard error, and the exit status is 1. So is a file
of more than 100,000 YAML nodes (keys, values and list items; some 10,000
stages), which the YAML library would need gigabytes to write.

Exit status: 0 on success; 1 when a file cannot be formatted, when -w
meets a read-only file or, with --check, when a file is not formatted; 2
on a usage error or when a file cannot be read or written (a FIFO or a
device named as a file is refused, not read).`,
		Example: `  journey fmt -w                   # format the workspace in place
  journey fmt --check              # in CI: list unformatted files, exit 1 if any
  journey fmt -d examples/         # show what would change
  cat a.journey.yaml | journey fmt -   # format standard input to standard output`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFmt(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.write, "write", "w", false, "write the result to the files instead of standard output")
	fl.BoolVarP(&f.check, "check", "l", false, "list the files whose layout differs; exit 1 if there is one")
	fl.BoolVarP(&f.diff, "diff", "d", false, "print a unified diff of the changes")
	return cmd
}

// fmtTarget is a file to format: its name as shown, where it is.
type fmtTarget struct {
	display string
	path    string
	stdin   bool
}

func runFmt(cmd *cobra.Command, args []string, f fmtFlags) error {
	targets, problems, err := fmtTargets(args)
	if err != nil {
		return err
	}
	if f.write {
		for _, t := range targets {
			if t.stdin {
				return usageError("-w cannot write to standard input")
			}
		}
	}
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	var (
		findings []diag.Diagnostic
		sources  = map[string][]byte{}
		changed  int
		ioErrs   = problems // files that could not be read or written
		refused  []string   // read-only files, not rewritten
	)
	for _, t := range targets {
		src, err := readTarget(t, cmd.InOrStdin())
		if err != nil {
			ioErrs = append(ioErrs, err.Error())
			continue
		}
		out, err := format.Format(t.display, src)
		if err != nil {
			var fe *format.Error
			if !errors.As(err, &fe) {
				return &exitError{code: 2, err: err}
			}
			findings = append(findings, fe.Diagnostic())
			sources[t.display] = src
			continue
		}
		differs := !bytes.Equal(src, out)
		if differs {
			changed++
		}
		if !f.write && !f.check && !f.diff {
			if _, err := stdout.Write(out); err != nil {
				return &exitError{code: 2, err: err}
			}
			continue
		}
		if !differs {
			continue
		}
		if f.check {
			fmt.Fprintln(stdout, termsafe.Line(t.display))
		}
		if f.diff {
			if _, err := stdout.Write(format.Diff("a/"+termsafe.Line(t.display), "b/"+termsafe.Line(t.display), src, out)); err != nil {
				return &exitError{code: 2, err: err}
			}
		}
		if f.write {
			switch err := writeFormatted(t.path, out); {
			case errors.Is(err, errReadOnly):
				refused = append(refused, fmt.Sprintf("%s %v", t.display, err))
			case err != nil:
				ioErrs = append(ioErrs, fmt.Sprintf("%s: %v (the file is unchanged)", t.display, err))
			}
		}
	}
	if len(findings) > 0 {
		diag.Sort(findings)
		_ = diag.WriteText(stderr, diag.Report{Findings: findings, Files: len(targets), Sources: sources}, diag.TextOptions{})
	}
	switch {
	case len(ioErrs) > 0:
		return &exitError{code: 2, err: errors.New(strings.Join(ioErrs, "\njourney: "))}
	case len(findings) > 0 && len(refused) > 0:
		return &exitError{code: 1, err: fmt.Errorf("%s\njourney: %d file(s) could not be formatted and were left as they are", strings.Join(refused, "\njourney: "), countFiles(findings))}
	case len(findings) > 0:
		return &exitError{code: 1, err: fmt.Errorf("%d file(s) could not be formatted and were left as they are", countFiles(findings))}
	case len(refused) > 0:
		return &exitError{code: 1, err: errors.New(strings.Join(refused, "\njourney: "))}
	case f.check && changed > 0:
		return &exitError{code: 1, err: fmt.Errorf("%d of %d file(s) not formatted: run journey fmt -w", changed, len(targets))}
	}
	return nil
}

// fmtTargets lists the files to format: the journey files and workspace
// configurations that load finds for the same paths, by the same search
// as every other command. A file found that is not to be read (a link
// out of its workspace, an unreadable directory) is a problem to report.
func fmtTargets(args []string) (targets []fmtTarget, problems []string, err error) {
	stdin := 0
	for _, a := range args {
		if a == "-" {
			if stdin++; stdin > 1 {
				return nil, nil, usageError("- (standard input) is named twice")
			}
		}
	}
	found, err := load.Find(load.Options{Paths: args})
	if err != nil {
		var pe *load.PathError
		if errors.As(err, &pe) {
			return nil, nil, usageError("%v", pe)
		}
		return nil, nil, &exitError{code: 2, err: err}
	}
	for _, f := range found {
		if f.Problem != "" {
			problems = append(problems, termsafe.Line(f.Display)+": "+f.Problem+" (not formatted)")
			continue
		}
		targets = append(targets, fmtTarget{display: f.Display, path: f.Path, stdin: f.Stdin})
	}
	if len(targets) == 0 && len(problems) == 0 {
		return nil, nil, usageError("no journey files found in %s", termsafe.Line(describePaths(args)))
	}
	return targets, problems, nil
}

func readTarget(t fmtTarget, stdin io.Reader) ([]byte, error) {
	var r io.Reader
	if t.stdin {
		r = stdin
	} else {
		// Regular files only: a FIFO named on the command line would block.
		file, _, err := safeio.Open(t.path)
		if err != nil {
			return nil, &load.PathError{Path: t.display, Err: unwrapPathErr(err)}
		}
		defer file.Close()
		r = file
	}
	data, err := io.ReadAll(io.LimitReader(r, load.MaxFileSize+1))
	if err != nil {
		return nil, &load.PathError{Path: t.display, Err: err}
	}
	return data, nil
}

// writeFile is outfile.Write: a regular file is replaced atomically
// (through a temporary file beside it, removed on SIGINT and SIGTERM by
// main), keeping its mode, setuid/setgid bits and, for root, its owner; a
// symbolic link is followed and stays. Tests replace it to make a write
// fail.
var writeFile = outfile.Write

// errReadOnly refuses to rewrite a file that nobody may write.
var errReadOnly = errors.New("is read-only; not rewritten (make it writable, e.g. chmod u+w, to format it)")

// writeFormatted replaces the file at path by data. A file without any
// write permission is refused, even for root (whom the permissions would
// not stop): read-only says "do not change". So is a file this user may
// not write, although the directory would let a rename replace it. Like
// gofmt -w, the file is replaced by a new one: a hard link to it keeps
// the old content.
func writeFormatted(path string, data []byte) error {
	info, err := os.Stat(path) // follows symbolic links
	if err != nil {
		return unwrapPathErr(err)
	}
	if info.Mode().Perm()&0o222 == 0 {
		return errReadOnly
	}
	if !mayWrite(path) {
		return fs.ErrPermission
	}
	return writeFile(path, data)
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
