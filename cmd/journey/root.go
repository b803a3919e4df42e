package main

import (
	"io"

	"github.com/spf13/cobra"
)

func newRootCommand(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "journey",
		Short: "Customer-journey maps as code: lint, render, report, diff, simulate and conform journey YAML files",
		Long: `journey treats customer-journey maps as code. Journeys are YAML files
(*.journey.yaml) in git; journey checks them in CI, draws them and reports
what a change does to them.

Docs: https://github.com/journeykit/journey`,
		Example: `  journey lint                      # the workspace of .journey.yaml, or this directory
  journey lint examples --format sarif > journey.sarif`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().String("color", "auto", "colour output: auto, always or never (NO_COLOR is honoured)")
	root.AddCommand(newInitCommand())
	root.AddCommand(newFmtCommand())
	root.AddCommand(newImportCommand())
	root.AddCommand(newLintCommand())
	root.AddCommand(newRenderCommand())
	root.AddCommand(newReportCommand())
	root.AddCommand(newDiffCommand())
	root.AddCommand(newSimulateCommand())
	root.AddCommand(newConformCommand())
	root.AddCommand(newAttributeCommand())
	root.AddCommand(newRulesCommand())
	root.AddCommand(newSchemaCommand())
	root.AddCommand(newLspCommand())
	root.AddCommand(newServeCommand())
	root.AddCommand(newVersionCommand())
	return root
}
