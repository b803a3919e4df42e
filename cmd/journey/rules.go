package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/lint"
	"github.com/spf13/cobra"
)

func newRulesCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "rules [RULE]",
		Short: "List the lint rules, or explain one",
		Long: `List every lint rule with its default severity and what it finds, or, with
a rule id, explain why the rule matters and how to fix its findings. The
full page with examples: docs/rules.md.`,
		Example: `  journey rules
  journey rules no-exit-loop`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return ruleCompletions(toComplete), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if len(args) == 0 {
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				for _, r := range lint.Rules {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Summary)
				}
				return tw.Flush()
			}
			r := lint.RuleByID(args[0])
			if r == nil {
				msg := fmt.Sprintf("no rule %q", args[0])
				if s := journey.Closest(args[0], lint.RuleIDs()); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				return usageError("%s: journey rules lists them", msg)
			}
			fmt.Fprintf(out, "%s (default severity: %s)\n\n%s\n\n%s\n\nExamples: https://github.com/journeykit/journey/blob/main/docs/rules.md#%s\n",
				r.ID, r.Severity, r.Summary, wrapText(r.Why, 78), r.ID)
			return nil
		},
	}
}

func ruleCompletions(prefix string) []string {
	var out []string
	for _, r := range lint.Rules {
		if strings.HasPrefix(r.ID, prefix) {
			out = append(out, r.ID+"\t"+r.Summary)
		}
	}
	return out
}

// wrapText wraps prose at width columns.
func wrapText(s string, width int) string {
	var b strings.Builder
	col := 0
	for _, w := range strings.Fields(s) {
		if col > 0 && col+1+len(w) > width {
			b.WriteByte('\n')
			col = 0
		} else if col > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += len(w)
	}
	return b.String()
}
