package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// completePhases completes --phases: the phase ids of the journeys on the
// command line (with their names), after the ids already given in a
// comma-separated list, which the completions repeat.
func completePhases(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	js, _ := completionJourneys(args)
	done, last := "", toComplete
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		done, last = toComplete[:i+1], toComplete[i+1:]
	}
	given := map[string]bool{}
	for _, id := range strings.Split(done, ",") {
		given[strings.TrimSpace(id)] = true
	}
	ids := map[string]string{}
	for _, j := range js {
		for _, p := range j.Phases {
			if p != nil && !given[p.ID.Value] {
				ids[p.ID.Value] = p.Name
			}
		}
	}
	out := idCompletions(ids, last)
	for i := range out {
		out[i] = done + out[i]
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
