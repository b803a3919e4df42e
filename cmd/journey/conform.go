package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/journeykit/journey/internal/textfmt"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/conform/sqlgen"
	"github.com/journeykit/journey/pkg/eventlog"
	"github.com/spf13/cobra"
)

type conformFlags struct {
	events       string
	caseCol      string
	eventCol     string
	timeCol      string
	eventsFormat string
	format       string
	sql          string
	table        string
	strict       bool
	noTiming     bool
	collapse     bool
	minFitness   float64
	sortMemory   int
	tempDir      string
}

func newConformCommand() *cobra.Command {
	var f conformFlags
	cmd := &cobra.Command{
		Use:   "conform [PATH] --events FILE",
		Short: "Replay an analytics event log against a journey: fitness, off-map moves, observed against designed rates, time between stages",
		Long: `Replay an event log (CSV with a header, TSV, JSON Lines, or XES, the
process-mining standard; gzip-compressed or not; - for standard input)
against one journey and report:

  - fitness: the share of observed moves that the map allows. A move is two
    consecutive mapped events of a case (the events of a case ordered by
    time, ties in the order of their stages in the journey file); a repeat
    of the same stage is a self-move;
  - every edge of the journey with its observed count, its observed rate
    (observed / times customers reached its from stage) and its designed
    rate, and the median and p90 time between the two events;
  - the off-map moves, most frequent first;
  - the cases whose first event is at a stage that is not an entry;
  - the stages nobody reached, the events that match no stage, and the rows
    that could not be used (with their line numbers; --strict makes the first
    one an error).

An event reaches the stage whose ` + "`events`" + ` list names it; a stage without
` + "`events`" + ` is reached by the event named like its id. --case, --event and
--time name the columns (JSON keys; in XES, by default, the trace's
concept:name is the case, the event's concept:name and time:timestamp the
event and its time). Times are RFC 3339 (also with a space for the T, or
without a zone, meaning UTC) or Unix seconds, milliseconds, microseconds or
nanoseconds (told apart by size).

--collapse-repeats merges consecutive events of one stage in a case (repeated
page views) into one visit, at the time of its first event: no self-moves, and
a stage is reached once per visit.

A log sorted by case id is streamed in one pass. Another order is
detected, and the log is read again and sorted by case, in memory up to
--sort-memory and in temporary files beyond it.

Bounds: a row is at most 1 MiB (a longer one, or a quote left open, is a
bad row with its line number, and reading goes on); --events names a
regular file, or - for standard input; a gzip log may expand to 1 GiB plus
100 times its compressed size. See "Limits" in docs/analytics.md.

With --sql DIALECT --table NAME, conform prints instead one SQL statement
that computes the moves (on the map or off it) with their count, median and
p90 time, on_map, designed_rate, observed_rate and the fitness, as conform
computes them (--collapse-repeats included), inside postgres, bigquery,
snowflake, duckdb or sqlite.
The definitions and the SQL are in docs/analytics.md.`,
		Example: `  journey conform examples/saas/ebook-nurture.journey.yaml --events events.csv
  journey conform nurture.journey.yaml --events events.jsonl.gz --case user_id --event name --time ts
  bq query --format=csv 'SELECT ...' | journey conform nurture.journey.yaml --events - --format json
  journey conform nurture.journey.yaml --events events.csv --min-fitness 0.95   # exit 1 below
  journey conform nurture.journey.yaml --events log.xes.gz --collapse-repeats
  journey conform nurture.journey.yaml --sql bigquery --table my-project.analytics.events`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeJourneyFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConform(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	f.addLogFlags(cmd, "the SQL")
	fl.StringVar(&f.format, "format", "text", "text, json or markdown")
	fl.BoolVar(&f.collapse, "collapse-repeats", false, "merge consecutive events of one stage in a case (repeated page views) into one visit; also with --sql")
	fl.BoolVar(&f.noTiming, "no-timing", false, "skip the time between stages (keeps no durations: less memory on huge logs)")
	fl.Float64Var(&f.minFitness, "min-fitness", -1, "exit 1 when the fitness is below `F` (0..1; -1: never)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(conform.Formats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// addLogFlags registers the flags of reading an event log (or writing the
// SQL that reads it in a warehouse), shared by conform and attribute;
// sqlWhat says what --sql prints.
func (f *conformFlags) addLogFlags(cmd *cobra.Command, sqlWhat string) {
	fl := cmd.Flags()
	fl.StringVar(&f.events, "events", "", "the event log `FILE` (CSV, TSV, JSON Lines or XES, optionally gzip-compressed; - for standard input)")
	fl.StringVar(&f.caseCol, "case", eventlog.DefaultCase, "`COLUMN` (JSON key, XES trace attribute) of the case id: one customer's journey")
	fl.StringVar(&f.eventCol, "event", eventlog.DefaultEvent, "`COLUMN` (JSON key, XES event attribute) of the event name")
	fl.StringVar(&f.timeCol, "time", eventlog.DefaultTime, "`COLUMN` (JSON key, XES event attribute) of the time: RFC 3339 or Unix seconds/milliseconds")
	fl.StringVar(&f.eventsFormat, "events-format", eventlog.FormatAuto, "auto, csv, tsv, jsonl or xes (auto: from the extension, else the content)")
	fl.StringVar(&f.sql, "sql", "", "print "+sqlWhat+" for `DIALECT` (postgres, bigquery, snowflake, duckdb, sqlite) instead of reading a log")
	fl.StringVar(&f.table, "table", "", "with --sql: the events `TABLE` (schema.table, project.dataset.table)")
	fl.BoolVar(&f.strict, "strict", false, "stop at the first bad row (exit 2) instead of skipping and counting it")
	fl.IntVar(&f.sortMemory, "sort-memory", 64, "`MiB` of memory for sorting a log that is not sorted by case (beyond: temporary files)")
	fl.StringVar(&f.tempDir, "temp-dir", "", "`DIR` for temporary files (default: the system's)")
	_ = cmd.RegisterFlagCompletionFunc("events-format", cobra.FixedCompletions(eventlog.InputFormats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("sql", cobra.FixedCompletions(sqlgen.Dialects, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("events", completeEventLogs)
}

// checkLogFlags checks the flags addLogFlags registered; args are the
// command's paths (standard input can feed only one of them).
func (f *conformFlags) checkLogFlags(args []string) error {
	if !slices.Contains(eventlog.InputFormats, f.eventsFormat) {
		return usageError("unknown --events-format %q: use %s", f.eventsFormat, strings.Join(eventlog.InputFormats, ", "))
	}
	for _, c := range [][2]string{{"--case", f.caseCol}, {"--event", f.eventCol}, {"--time", f.timeCol}} {
		if c[1] == "" {
			return usageError("%s: the column name is empty", c[0])
		}
	}
	if f.sql != "" {
		if !sqlgen.IsDialect(f.sql) {
			return usageError("unknown --sql dialect %q: use %s", f.sql, strings.Join(sqlgen.Dialects, ", "))
		}
		if f.table == "" {
			return usageError("--sql needs --table NAME: the table that holds the events")
		}
		if f.events != "" {
			return usageError("--sql writes a query to run in the warehouse: it reads no --events file")
		}
	} else {
		if f.table != "" {
			return usageError("--table goes with --sql DIALECT")
		}
		if f.events == "" {
			return usageError("--events FILE is required: the event log to replay (or --sql DIALECT --table NAME for the query)")
		}
		if f.events == "-" && slices.Contains(args, "-") {
			return usageError("the journey and the events cannot both come from standard input")
		}
	}
	if f.sortMemory < 1 {
		return usageError("--sort-memory %d: give at least 1 MiB", f.sortMemory)
	}
	return nil
}

// eventSource is the event log at path, or standard input for "-".
func eventSource(cmd *cobra.Command, path string) eventlog.Source {
	if path == "-" {
		return eventlog.Source{Name: "-", Reader: cmd.InOrStdin()}
	}
	return eventlog.Source{Name: path, Path: path}
}

func runConform(cmd *cobra.Command, args []string, f conformFlags) error {
	if !slices.Contains(conform.Formats, f.format) {
		return usageError("unknown --format %q: use %s", f.format, strings.Join(conform.Formats, ", "))
	}
	if err := f.checkLogFlags(args); err != nil {
		return err
	}
	if f.minFitness > 1 {
		return usageError("--min-fitness %g: fitness is between 0 and 1", f.minFitness)
	}
	lj, err := loadOneJourney(cmd, args, "conform")
	if err != nil {
		return err
	}
	j := lj.Journey
	m, err := conform.NewMap(j)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("%s: %v", j.File, err)}
	}
	if f.sql != "" {
		q, err := sqlgen.Query(m, sqlgen.Options{Dialect: f.sql, Table: f.table, Case: f.caseCol, Event: f.eventCol, Time: f.timeCol, CollapseRepeats: f.collapse})
		if err != nil {
			return usageError("%v", err)
		}
		_, err = fmt.Fprint(cmd.OutOrStdout(), q)
		return err
	}
	rep, err := conform.Run(m, eventSource(cmd, f.events), conform.Options{
		Case: f.caseCol, Event: f.eventCol, Time: f.timeCol,
		InputFormat: f.eventsFormat, Strict: f.strict, NoTiming: f.noTiming, CollapseRepeats: f.collapse,
		SortMemory: int64(f.sortMemory) << 20, TempDir: f.tempDir,
	})
	if err != nil {
		var ie *eventlog.InputError
		if errors.As(err, &ie) {
			return &exitError{code: 2, err: ie}
		}
		return &exitError{code: 2, err: err}
	}
	if err := conform.Write(cmd.OutOrStdout(), rep, f.format); err != nil {
		return err
	}
	if rep.BadRows > 0 && f.format != "text" {
		msg := fmt.Sprintf("journey: %s: %d bad row(s) skipped", rep.EventsFile, rep.BadRows)
		if len(rep.BadRowSamples) > 0 {
			b := rep.BadRowSamples[0]
			msg += fmt.Sprintf(" (first: line %d: %s)", b.Line, b.Message)
		}
		fmt.Fprintln(cmd.ErrOrStderr(), msg)
	}
	if f.minFitness >= 0 && (rep.Fitness == nil || *rep.Fitness < f.minFitness) {
		got := "no moves"
		if rep.Fitness != nil {
			got = textfmt.Percent(*rep.Fitness)
		}
		return &exitError{code: 1, err: fmt.Errorf("fitness %s is below --min-fitness %s", got, textfmt.Percent(f.minFitness))}
	}
	return nil
}
