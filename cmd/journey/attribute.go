package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/journeykit/journey/pkg/attribution"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/conform/sqlgen"
	"github.com/journeykit/journey/pkg/eventlog"
	"github.com/spf13/cobra"
)

type attributeFlags struct {
	conformFlags
	by    string
	order int
}

func newAttributeCommand() *cobra.Command {
	var f attributeFlags
	cmd := &cobra.Command{
		Use:   "attribute [PATH] --events FILE",
		Short: "Credit a journey's conversions to channels from an event log: exact Markov removal effect, first-touch, last-touch, linear",
		Long: `Replay an event log (as journey conform reads it: CSV with a header, TSV,
JSON Lines or XES, gzip-compressed or not, - for standard input) against one journey
and credit its conversions to the channels customers met on the way.

A case's path is the channels of the non-outcome stages it reached, in time
order (a stage's channel, else its first touchpoint's; repeats count); it
converts when it reaches a stage with outcome: success. From the paths:

  - removal_effect: the share of conversions lost when the channel is
    removed, 1 - P(conversion without it) / P(conversion), from the
    absorbing Markov chain of the paths (start, channels, conversion, null),
    solved exactly: nothing is simulated, every run gives the same numbers;
  - markov: conversions x removal_effect / the sum of the removal effects;
  - first_touch, last_touch: converting cases whose first (last) touch it is;
  - linear: each conversion split equally over its path's touches.

--by touchpoint credits each touchpoint (STAGE/ID) and --by stage each stage
instead of channels; --order 2 makes the chain's states pairs of consecutive
touches. --case, --event and --time name the columns as for journey conform.

With --sql DIALECT --table NAME, attribute prints instead one SQL statement
that computes the path counts (path, cases, conversions) the attribution is
computed from, inside postgres, bigquery, snowflake, duckdb or sqlite.
The definitions are in docs/analytics.md ("journey attribute").`,
		Example: `  journey attribute examples/saas/ebook-nurture.journey.yaml --events events.csv
  journey attribute nurture.journey.yaml --events events.jsonl.gz --by touchpoint --format json
  journey attribute nurture.journey.yaml --events events.csv --order 2 --format markdown
  journey attribute nurture.journey.yaml --sql bigquery --table my-project.analytics.events`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeJourneyFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAttribute(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	f.addLogFlags(cmd, "the SQL of the path counts")
	fl.StringVar(&f.format, "format", "text", "text, json or markdown")
	fl.StringVar(&f.by, "by", attribution.ByChannel, "credit each `LEVEL`: channel, touchpoint or stage")
	fl.IntVar(&f.order, "order", 1, "`N`: 1 (states are touches) or 2 (states are pairs of consecutive touches)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(attribution.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("by", cobra.FixedCompletions(attribution.Bys, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("order", cobra.FixedCompletions([]string{"1", "2"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runAttribute(cmd *cobra.Command, args []string, f attributeFlags) error {
	if !slices.Contains(attribution.Formats, f.format) {
		return usageError("unknown --format %q: use %s", f.format, strings.Join(attribution.Formats, ", "))
	}
	if !slices.Contains(attribution.Bys, f.by) {
		return usageError("unknown --by %q: use %s", f.by, strings.Join(attribution.Bys, ", "))
	}
	if f.order != 1 && f.order != 2 {
		return usageError("--order %d: use 1 (states are touches) or 2 (pairs of consecutive touches)", f.order)
	}
	if err := f.checkLogFlags(args); err != nil {
		return err
	}
	lj, err := loadOneJourney(cmd, args, "attribute")
	if err != nil {
		return err
	}
	j := lj.Journey
	if f.sql != "" {
		m, err := conform.NewMap(j)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("%s: %v", j.File, err)}
		}
		md, err := attribution.NewModel(j, m, f.by)
		if err != nil {
			return usageError("%v", err)
		}
		names, success := md.StageTouches()
		q, err := sqlgen.PathQuery(m, sqlgen.Touches{Names: names, Success: success},
			sqlgen.Options{Dialect: f.sql, Table: f.table, Case: f.caseCol, Event: f.eventCol, Time: f.timeCol})
		if err != nil {
			return usageError("%v", err)
		}
		_, err = fmt.Fprint(cmd.OutOrStdout(), q)
		return err
	}
	rep, _, err := attribution.Run(j, eventSource(cmd, f.events), attribution.Options{
		By: f.by, Order: f.order,
		Conform: conform.Options{
			Case: f.caseCol, Event: f.eventCol, Time: f.timeCol,
			InputFormat: f.eventsFormat, Strict: f.strict,
			SortMemory: int64(f.sortMemory) << 20, TempDir: f.tempDir,
		},
	})
	if err != nil {
		var ie *eventlog.InputError
		if errors.As(err, &ie) {
			return &exitError{code: 2, err: ie}
		}
		return &exitError{code: 2, err: fmt.Errorf("%s: %v", j.File, err)}
	}
	if err := attribution.Write(cmd.OutOrStdout(), rep, f.format); err != nil {
		return err
	}
	if rep.BadRows > 0 && f.format != "text" {
		fmt.Fprintf(cmd.ErrOrStderr(), "journey: %s: %d bad row(s) skipped\n", rep.EventsFile, rep.BadRows)
	}
	return nil
}
