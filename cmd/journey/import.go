package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/journeykit/journey/internal/safeio"
	"github.com/journeykit/journey/pkg/importer"
	"github.com/journeykit/journey/pkg/load"
	"github.com/spf13/cobra"
)

type importFlags struct {
	output  string
	force   bool
	journey string
	title   string
}

func newImportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use: "import",
		Example: `  journey import mermaid onboarding.mmd -o onboarding.journey.yaml
  journey import csv stages.csv --journey trial --title "Free trial" -o trial.journey.yaml`,
		Short: "Make a journey file from a Mermaid user-journey diagram or a CSV table",
		Long: `Make a journey file from a journey kept in another tool: Mermaid's
user-journey diagram (journey import mermaid) or a spreadsheet saved as CSV
with one row per stage (journey import csv).

The result is in journey fmt's layout and has comments marking what the
import cannot know (owners, touchpoints, transitions beyond a straight line).
What cannot be mapped is refused with its line and column, nothing is
guessed. The journey goes to standard output, or to -o FILE, which is never
overwritten without --force.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usageError("name what to import: journey import mermaid FILE or journey import csv FILE")
		},
	}
	cmd.AddCommand(newImportFormatCommand("mermaid", importer.Mermaid,
		"Make a journey file from a Mermaid user-journey diagram",
		`Read Mermaid's user-journey diagram (journey, title, accTitle, accDescr,
section, "Task: score: actor, actor", %% comments, ; separators) from FILE,
or standard input for -, and write it as a journey:

- each section becomes a phase, each task a stage, linked in order: the
  first task is the entry, the last a success outcome;
- a task's score 1..5 becomes the stage's emotion -2..2 (score - 3);
- actors become personas (ids made from their names, names kept) and each
  stage lists its actors;
- title is the journey's title (--title overrides it); the journey id is
  --journey, else made from the file name, else from the title.

A task before any section, a score that is not 1 to 5, a task without a
score, another diagram type are refused with their position.
journey render --view canvas --format mermaid writes the same diagram back.`,
		`  journey import mermaid journey.mmd -o onboarding.journey.yaml
  cat journey.mmd | journey import mermaid - --journey onboarding`))
	cmd.AddCommand(newImportFormatCommand("csv", importer.CSV,
		"Make a journey file from a CSV table, one row per stage",
		`Read a CSV table from FILE, or standard input for -, and write it as a
journey. The first row names the columns after the format's stage keys:
id, name and phase are required; next, personas, pains, questions,
opportunities, backstage, support, events and renamed_from hold lists
separated by ';'; entry and aha are true or false; emotion is -2..2; outcome
is success, failure or exit; owner, channel, description, doing, thinking and
feeling are text. A phase_name column names the phases (else the phase id in
words); phases are made in order of first appearance. Any other column
becomes an x- key of the stage (x- and its name as a slug).

The journey id and title come from --journey and --title, else from the
file name (standard input needs --journey). Errors give the row, the column
and its line:column in the file.`,
		`  journey import csv stages.csv -o onboarding.journey.yaml
  journey import csv - --journey onboarding --title "Onboarding" < stages.csv`))
	return cmd
}

func newImportFormatCommand(name string, convert func([]byte, importer.Options) ([]byte, error), short, long, example string) *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:     name + " FILE|-",
		Short:   short,
		Long:    long,
		Example: example,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd, args[0], f, convert)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "", "write the journey to FILE (default: standard output)")
	fl.BoolVar(&f.force, "force", false, "overwrite the -o FILE when it exists")
	fl.StringVar(&f.journey, "journey", "", "the journey's id (default: from the file name)")
	fl.StringVar(&f.title, "title", "", "the journey's title (default: the diagram's title, or the file name)")
	return cmd
}

func runImport(cmd *cobra.Command, path string, f importFlags, convert func([]byte, importer.Options) ([]byte, error)) error {
	if path == "" {
		return usageError("FILE is empty: name a file, or - for standard input")
	}
	if f.force && f.output == "" {
		return usageError("--force only applies to -o FILE")
	}
	if f.output != "" && !f.force {
		if info, err := os.Stat(f.output); err == nil && info.Mode().IsRegular() {
			return usageError("%s exists; nothing was written (use --force to overwrite it)", f.output)
		}
	}
	var (
		data []byte
		err  error
	)
	if path == "-" {
		data, err = safeio.ReadAll(cmd.InOrStdin(), importer.MaxInput)
	} else {
		data, err = safeio.ReadFile(path, importer.MaxInput)
	}
	if err != nil {
		name := path
		if path == "-" {
			name = "<stdin>"
		}
		return &exitError{code: 2, err: &load.PathError{Path: name, Err: unwrapPathErr(err)}}
	}
	out, err := convert(data, importer.Options{File: path, Journey: f.journey, Title: f.title})
	if err != nil {
		var ie *importer.Error
		if errors.As(err, &ie) {
			return &exitError{code: 2, err: ie}
		}
		return &exitError{code: 2, err: fmt.Errorf("%s: %v", path, err)}
	}
	if f.output == "" {
		_, err := cmd.OutOrStdout().Write(out)
		return err
	}
	return writeOutput(f.output, out)
}
