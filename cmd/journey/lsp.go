package main

import (
	"github.com/spf13/cobra"

	"github.com/journeykit/journey/pkg/lsp"
)

func newLspCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server (LSP 3.17 over standard input and output) for editors",
		Long: `lsp speaks the Language Server Protocol 3.17 over standard input and output
(JSON-RPC 2.0), one process per editor, for journey files (*.journey.yaml) and the
workspace configuration .journey.yaml. An editor starts it; it is not meant to be run
by hand.

It offers diagnostics (every lint rule, with the workspace's severities and
suppressions, updated in every open file when another file changes), completion,
hover, go to definition, find references, rename (a stage rename adds the old id to
renamed_from; initializationOptions {"renamedFrom": false} turns that off), document
and workspace symbols, formatting (journey fmt) and quick fixes.

Log lines go to standard error. Setups for VS Code, Neovim, Helix, Emacs, Zed and
JetBrains: docs/editors.md.`,
		Example: `  journey lsp                       # started by the editor, in the workspace's directory
  journey lsp --stdio               # the same (the flag VS Code's client adds)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			lsp.Version = buildVersion()
			code := lsp.Serve(cmd.InOrStdin(), cmd.OutOrStdout(), lsp.Options{Log: cmd.ErrOrStderr()})
			if code != 0 {
				return &exitError{code: code}
			}
			return nil
		},
	}
	cmd.Flags().Bool("stdio", true, "talk over standard input and output (the only transport; accepted for clients that pass it)")
	return cmd
}
