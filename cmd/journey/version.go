package main

import (
	"fmt"
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

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version of journey",
		Long:    "Print the version, commit and build date of this journey binary.",
		Example: "  journey version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "journey %s\n", buildVersion())
			if commit != "" {
				fmt.Fprintf(out, "commit %s\n", commit)
			}
			if date != "" {
				fmt.Fprintf(out, "built %s\n", date)
			}
			return nil
		},
	}
}
