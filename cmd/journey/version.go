package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set by the release build through -ldflags.
var (
	version = ""
	commit  = ""
	date    = ""
)

// buildVersion is the version of this binary: the release's, else the
// module's for `go install` builds, else "dev".
func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// buildCommit is the commit and date of the build: the release's, else the
// VCS stamp Go records for builds inside a repository.
func buildCommit() (rev, when string, modified bool) {
	if commit != "" || date != "" {
		return commit, date, false
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", "", false
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	return rev, when, modified
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version of journey",
		Long:    "Print the version, commit and build date of this journey binary.",
		Example: "  journey version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			c, d, modified := buildCommit()
			fmt.Fprintf(out, "journey %s\n", buildVersion())
			if c != "" {
				if modified {
					c += " (modified)"
				}
				fmt.Fprintf(out, "commit %s\n", c)
			}
			if d != "" {
				fmt.Fprintf(out, "built %s\n", d)
			}
			fmt.Fprintf(out, "%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
