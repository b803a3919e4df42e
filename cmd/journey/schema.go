package main

import (
	"github.com/journeykit/journey/schema"
	"github.com/spf13/cobra"
)

func newSchemaCommand() *cobra.Command {
	var config bool
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of journey files (or of .journey.yaml)",
		Long: `Print the JSON Schema (draft 2020-12) that journey files are validated
against, for editors and other tools. With --config, print the schema of the
workspace configuration file .journey.yaml instead.

Editors using the YAML language server pick it up from a modeline:
  # yaml-language-server: $schema=` + schema.JourneyURL,
		Example: `  journey schema > journey.schema.json
  journey schema --config > config.schema.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			data := schema.Journey
			if config {
				data = schema.Config
			}
			_, err := cmd.OutOrStdout().Write(data)
			return err
		},
	}
	cmd.Flags().BoolVar(&config, "config", false, "print the schema of the workspace configuration .journey.yaml")
	return cmd
}
