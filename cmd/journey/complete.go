package main

import (
	"sort"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
	"github.com/spf13/cobra"
)

// completionJourneys loads the journeys named by the command line's paths
// (or the workspace) for dynamic completion. Errors give no completions.
func completionJourneys(args []string) ([]*journey.Journey, *journey.Config) {
	sets, err := load.Load(load.Options{Paths: args})
	if err != nil {
		return nil, nil
	}
	var js []*journey.Journey
	var cfg *journey.Config
	for _, s := range sets {
		if s.Workspace.Config != nil && cfg == nil {
			cfg = s.Workspace.Config
		}
		for _, f := range s.Files {
			if s.Requested[f] && f.Journey != nil {
				js = append(js, f.Journey)
			}
		}
	}
	return js, cfg
}

// idCompletions turns id -> description into sorted "id\tdescription"
// completions that start with prefix.
func idCompletions(ids map[string]string, prefix string) []string {
	var out []string
	for id, desc := range ids {
		if id != "" && strings.HasPrefix(id, prefix) {
			if desc != "" {
				id += "\t" + desc
			}
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// completePersonas completes persona ids of the journeys on the command line.
func completePersonas(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	js, cfg := completionJourneys(args)
	ids := map[string]string{}
	if cfg != nil {
		for _, p := range cfg.Personas {
			ids[p.ID.Value] = p.Name
		}
	}
	for _, j := range js {
		for _, p := range j.Personas {
			ids[p.ID.Value] = p.Name
		}
		for _, s := range j.Stages {
			for _, pe := range s.Emotion.PerPersona {
				if _, ok := ids[pe.Persona.Value]; !ok {
					ids[pe.Persona.Value] = ""
				}
			}
		}
	}
	return idCompletions(ids, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeStages completes stage ids of the journeys on the command line.
func completeStages(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	js, _ := completionJourneys(args)
	ids := map[string]string{}
	for _, j := range js {
		for _, s := range j.Stages {
			ids[s.ID.Value] = s.Name
		}
	}
	return idCompletions(ids, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// completeJourneyFiles completes paths, offering journey files and
// directories.
func completeJourneyFiles(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}

// completeEventLogs completes the --events file of conform and attribute:
// CSV, TSV, JSON Lines and XES logs, gzip-compressed or not (*.xes.gz is
// offered by its last extension).
func completeEventLogs(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return []string{"csv", "tsv", "jsonl", "ndjson", "json", "xes", "gz"}, cobra.ShellCompDirectiveFilterFileExt
}
