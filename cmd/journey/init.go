package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/starter"
	"github.com/spf13/cobra"
)

type initFlags struct {
	template string
	list     bool
	force    bool
}

func newInitCommand() *cobra.Command {
	var f initFlags
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Start a workspace: write a .journey.yaml and a starter journey",
		Long: fmt.Sprintf(`Start a journey workspace in DIR (default: the current directory, created
when missing). init writes two files:

- DIR/.journey.yaml, the workspace settings: the teams that may own stages,
  the UTM convention, shared personas and channels, rule severities;
- DIR/TEMPLATE.journey.yaml, a starter journey of 8 to 14 stages whose
  comments explain the file format.

Both lint clean as written: make the journey your own, and run journey lint
after each change.

Templates (journey init --list describes them):
%s

init never overwrites a file: when one of the two exists, it writes nothing
and exits with status 2. --force overwrites them.`, templateNames()),
		Example: `  journey init                            # the default template, in the current directory
  journey init journeys --template ecommerce
  journey init --list
  journey init journeys --template retention --force`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.template, "template", "t", starter.Default, "starter template to write (see --list)")
	fl.BoolVar(&f.list, "list", false, "list the templates with a description of each, and exit")
	fl.BoolVar(&f.force, "force", false, "overwrite .journey.yaml and the journey file when they exist")
	_ = cmd.RegisterFlagCompletionFunc("template", completeTemplates)
	return cmd
}

// templateNames lists the templates for the help text, the default marked,
// wrapped to the width of the rest of the help.
func templateNames() string {
	var lines []string
	line := " "
	for i, name := range starter.Names() {
		if name == starter.Default {
			name += " (default)"
		}
		if i < len(starter.Names())-1 {
			name += ","
		}
		if len(line)+1+len(name) > 76 {
			lines = append(lines, line)
			line = " "
		}
		line += " " + name
	}
	return strings.Join(append(lines, line), "\n")
}

// completeTemplates completes --template with the template names and their
// descriptions.
func completeTemplates(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, t := range starter.Templates() {
		if strings.HasPrefix(t.Name, toComplete) {
			out = append(out, t.Name+"\t"+t.Description)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func runInit(cmd *cobra.Command, args []string, f initFlags) error {
	if f.list {
		if len(args) > 0 || cmd.Flags().Changed("template") || f.force {
			return usageError("--list only lists the templates: it takes no DIR, --template or --force")
		}
		return listTemplates(cmd.OutOrStdout())
	}
	tmpl, ok := starter.Lookup(f.template)
	if !ok {
		return unknownTemplate(f.template)
	}
	dir := "."
	if len(args) == 1 {
		dir = args[0]
	}
	if dir == "" {
		return usageError("DIR is empty: name a directory, or leave it out for the current one")
	}
	files, err := tmpl.Files()
	if err != nil {
		return &exitError{code: 2, err: err}
	}

	// Check everything before writing anything, so that a refusal leaves
	// DIR as it was.
	created := false
	switch info, err := os.Stat(dir); {
	case err == nil && !info.IsDir():
		return usageError("%s exists and is not a directory", dir)
	case errors.Is(err, fs.ErrNotExist):
		created = true
	case err != nil:
		return usageError("%v", err)
	}
	if !created {
		// A .journey.yml beside the .journey.yaml init writes would make
		// every command refuse the directory (two configurations).
		p, err := load.ConfigIn(dir)
		if err != nil {
			return usageError("%v", err)
		}
		if p != "" && filepath.Base(p) != tmpl.ConfigFile() {
			return usageError("%s already holds the workspace configuration; nothing was written (init writes %s, and both in one directory is an error: remove or rename it first)", p, tmpl.ConfigFile())
		}
	}
	var existing []string
	for _, file := range files {
		p := filepath.Join(dir, file.Name)
		info, err := os.Lstat(p)
		switch {
		case err == nil && info.IsDir():
			return usageError("%s is a directory: remove or rename it first", p)
		case err == nil:
			existing = append(existing, p)
		case !errors.Is(err, fs.ErrNotExist):
			return usageError("%v", err)
		}
	}
	if len(existing) > 0 && !f.force {
		verb := "exists"
		if len(existing) > 1 {
			verb = "exist"
		}
		return usageError("%s already %s; nothing was written (use --force to overwrite, or choose another DIR)",
			strings.Join(existing, " and "), verb)
	}

	if created {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return &exitError{code: 2, err: err}
		}
	}
	for _, file := range files {
		if err := writeOutput(filepath.Join(dir, file.Name), file.Data); err != nil {
			return err
		}
	}
	printInitSummary(cmd.ErrOrStderr(), dir, created, tmpl, existing)
	return nil
}

// unknownTemplate is the usage error for a --template that names nothing.
func unknownTemplate(name string) error {
	hint := ""
	if s := starter.Suggest(name); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return usageError("unknown --template %q%s: use one of %s (journey init --list describes them)",
		name, hint, strings.Join(starter.Names(), ", "))
}

func listTemplates(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, t := range starter.Templates() {
		name := t.Name
		if name == starter.Default {
			name += " (default)"
		}
		fmt.Fprintf(tw, "%s\t%s\n", name, t.Description)
	}
	if err := tw.Flush(); err != nil {
		return &exitError{code: 2, err: err}
	}
	return nil
}

// printInitSummary tells what init wrote and what to run next.
func printInitSummary(w io.Writer, dir string, created bool, tmpl starter.Template, overwritten []string) {
	where := dir
	if dir == "." {
		where = "the current directory"
	} else if created {
		where += " (created)"
	}
	config := filepath.Join(dir, tmpl.ConfigFile())
	journeyFile := filepath.Join(dir, tmpl.JourneyFile())
	verb := func(p string) string {
		for _, o := range overwritten {
			if o == p {
				return "overwrote"
			}
		}
		return "wrote"
	}
	fmt.Fprintf(w, "Started a %s workspace in %s:\n", tmpl.Name, where)
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintf(tw, "  %s %s\tworkspace settings: teams, UTM convention, shared personas and channels\n", verb(config), config)
	fmt.Fprintf(tw, "  %s %s\tthe starter journey; its comments explain the format\n", verb(journeyFile), journeyFile)
	tw.Flush()
	if parent := enclosingWorkspace(dir); parent != "" {
		fmt.Fprintf(w, "\nNote: %s was inside the workspace of %s; journeys under %s now follow %s instead.\n",
			dir, parent, dir, config)
	}

	lint := "journey lint"
	if dir != "." {
		lint += " " + shellQuote(dir)
	}
	fmt.Fprintf(w, "\nNext:\n")
	fmt.Fprintf(w, "  %s\n", lint)
	fmt.Fprintf(w, "  journey render %s -o %s\n", shellQuote(journeyFile), shellQuote(tmpl.Name+".svg"))
	fmt.Fprintf(w, "  journey render --view canvas %s -o %s\n", shellQuote(journeyFile), shellQuote(tmpl.Name+"-map.svg"))
	fmt.Fprintf(w, "  journey report %s -o %s\n", shellQuote(journeyFile), shellQuote(tmpl.Name+".md"))
}

// enclosingWorkspace returns the .journey.yaml of a directory above dir,
// or "" when there is none.
func enclosingWorkspace(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	if filepath.Dir(abs) == abs {
		return "" // the root has nothing above it
	}
	p, _ := load.NearestConfig(filepath.Dir(abs))
	if p == "" {
		return ""
	}
	if rel, err := filepath.Rel(abs, p); err == nil && !filepath.IsAbs(dir) {
		return filepath.Join(dir, rel)
	}
	return p
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:@%+=,-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it, so the printed
// commands can be pasted as they are.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
