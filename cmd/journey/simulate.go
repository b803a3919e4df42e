package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
	"github.com/journeykit/journey/pkg/sim"
	"github.com/spf13/cobra"
)

type simulateFlags struct {
	format string
	from   string
}

// simulateBlockers are the lint rules whose errors make a simulation
// meaningless: the journey is refused with those findings (exit 1).
var simulateBlockers = []string{"syntax", "schema", "unknown-reference", "no-entry", "no-outcome", "no-exit-loop", "rate-sum"}

func newSimulateCommand() *cobra.Command {
	var f simulateFlags
	cmd := &cobra.Command{
		Use:   "simulate [PATH]",
		Short: "Compute from the rates where customers end up: outcome and drop-off probabilities, time to outcome, the best edge to improve",
		Long: `Read one journey as an absorbing Markov chain over its stages and solve it
exactly (no sampling): the probability of reaching each outcome, of dropping
off and of leaving by a hand-off into another journey; the expected time to
each outcome from the ` + "`after`" + ` waits, and the median; the probability of
visiting each stage at least once and the expected number of visits; and
the edge whose rate, raised by 0.1, raises success the most.

A stage's missing rates share what its given rates leave of 1 equally; a
stage whose rates sum below 1 with every edge rated loses the rest as
drop-off; a stage that is no outcome and has no transition drops everybody.
Outcome stages end the journey: their transitions and a failure's reasons
are follow-ups the chain does not take. With several entries, customers
start evenly split across them unless --from names one; a journey without
entry stages starts where the hand-offs of the other journeys of its
workspace lead in.

PATH must hold exactly one journey. A journey with lint errors of the rules
syntax, schema, unknown-reference, no-entry, no-outcome, no-exit-loop or
rate-sum is refused: the findings are printed and the exit status is 1.
The math is in docs/analytics.md.`,
		Example: `  journey simulate examples/saas/ebook-nurture.journey.yaml
  journey simulate --format json retention.journey.yaml | jq .outcomes
  journey simulate --from gets-setup-help retention.journey.yaml
  journey simulate --format markdown onboarding.journey.yaml >> docs/funnel.md`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeJourneyFiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSimulate(cmd, args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "text, json or markdown")
	fl.StringVar(&f.from, "from", "", "start every customer at `STAGE` (default: evenly split across the entry stages)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(sim.Formats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("from", completeStages)
	return cmd
}

func runSimulate(cmd *cobra.Command, args []string, f simulateFlags) error {
	if !slices.Contains(sim.Formats, f.format) {
		return usageError("unknown --format %q: use %s", f.format, strings.Join(sim.Formats, ", "))
	}
	lj, err := loadOneJourney(cmd, args, "simulate")
	if err != nil {
		return err
	}
	j := lj.Journey
	var blocking []diag.Diagnostic
	for _, d := range lj.Findings {
		if d.Severity == diag.Error && slices.Contains(simulateBlockers, d.Rule) {
			blocking = append(blocking, d)
		}
	}
	if len(blocking) > 0 {
		color, err := useColor(cmd)
		if err != nil {
			return err
		}
		report := diag.Report{Findings: blocking, Files: 1, Sources: fileSource(j.File)}
		_ = diag.WriteText(cmd.ErrOrStderr(), report, diag.TextOptions{Color: color})
		return &exitError{code: 1, err: fmt.Errorf("%s: journey %q cannot be simulated until the errors above are fixed", j.File, j.ID.Value)}
	}

	var opts sim.Options
	switch {
	case f.from != "":
		if j.Stage(f.from) == nil {
			return usageError("--from %q: %s", f.from, noStageMessage(j, f.from))
		}
		opts.Start = []string{f.from}
	case len(sim.StartStages(j)) == 0:
		// No entry of its own: customers arrive by hand-offs from other
		// journeys of the workspace, so start where those lead.
		opts.Start = handedInStages(args, j)
		if len(opts.Start) == 0 {
			return usageError("journey %q has no entry stage: name the stage customers start at with --from STAGE", j.ID.Value)
		}
	}
	res, err := sim.Simulate(j, opts)
	if err != nil {
		var ue *sim.UnknownStageError
		if errors.As(err, &ue) {
			return usageError("%v", err)
		}
		var le *sim.LimitError
		if errors.As(err, &le) {
			return &exitError{code: 2, err: fmt.Errorf("%s: %v", j.File, err)}
		}
		return &exitError{code: 1, err: fmt.Errorf("%s: %v", j.File, err)}
	}
	return sim.Write(cmd.OutOrStdout(), res, f.format)
}

// noStageMessage says that the journey has no such stage, suggesting the
// closest id.
func noStageMessage(j *journey.Journey, id string) string {
	ids := make([]string, len(j.Stages))
	for i, s := range j.Stages {
		ids[i] = s.ID.Value
	}
	msg := fmt.Sprintf("journey %q has no such stage", j.ID.Value)
	if s := journey.Closest(id, ids); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else if len(ids) <= 12 {
		msg += " (stages: " + strings.Join(ids, ", ") + ")"
	}
	return msg
}

// handedInStages lists, in file order, the stages of j that hand-offs from
// the other journeys of its workspace lead into.
func handedInStages(args []string, j *journey.Journey) []string {
	if slices.Contains(args, "-") {
		return nil // standard input has no workspace
	}
	sets, err := load.Load(load.Options{Paths: args})
	if err != nil {
		return nil
	}
	in := map[string]bool{}
	for _, set := range sets {
		for _, other := range set.Workspace.Journeys {
			if other.ID.Value == j.ID.Value {
				continue
			}
			for _, s := range other.Stages {
				for _, t := range s.Next {
					if t.Journey.Value == j.ID.Value {
						in[t.To.Value] = true
					}
				}
			}
		}
	}
	var out []string
	for _, s := range j.Stages {
		if in[s.ID.Value] && !slices.Contains(out, s.ID.Value) {
			out = append(out, s.ID.Value)
		}
	}
	return out
}

// fileSource reads a journey file again so that findings can quote their
// line; nil (no quotes) when it cannot.
func fileSource(path string) map[string][]byte {
	if path == "" || path == load.StdinName {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return map[string][]byte{path: data}
}
