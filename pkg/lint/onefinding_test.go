package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const oneFindingBase = `journey: trial
title: Free trial to paid plan
owner: growth
phases:
  - {id: signup, name: Sign-up}
  - {id: activation, name: Activation}
stages:
  - id: starts-trial
    name: Starts a free trial
    phase: signup
    entry: true
    next:
      - {to: invites-team, when: invites a colleague, after: 1d, rate: 0.4}
      - {to: trial-expires, when: no activity, after: 14d, rate: 0.6}
  - id: invites-team
    name: Invites the team
    phase: activation
    next: [pays]
  - id: pays
    name: Pays for a plan
    phase: activation
    outcome: success
  - id: trial-expires
    name: Lets the trial expire
    phase: activation
    outcome: exit
`

// One mistake, one finding: a graph value with a schema error (an
// `outcome`, `entry` or `next` that cannot be read) gives the schema
// finding only, not the graph findings that reading it as absent would
// cause. A target that is well formed but names no stage is not unreadable:
// unknown-reference reports it, and what it leaves unreachable stays
// reported.
func TestOneMistakeOneFinding(t *testing.T) {
	tests := []struct {
		name     string
		from, to []string
		want     string
	}{
		{"misspelt exit outcome", []string{"    outcome: exit\n"}, []string{"    outcome: exited\n"},
			`trial.journey.yaml:26:14-26:20 error schema stages[3].outcome: "exited" is not one of success, failure, exit` + "\n" +
				"  help 26:14-26:20: did you mean \"exit\"?\n"},
		{"misspelt success outcome", []string{"    outcome: success\n"}, []string{"    outcome: sucess\n"},
			`trial.journey.yaml:22:14-22:20 error schema stages[2].outcome: "sucess" is not one of success, failure, exit` + "\n" +
				"  help 22:14-22:20: did you mean \"success\"?\n"},
		{"every outcome unreadable", []string{"    outcome: success\n", "    outcome: exit\n"}, []string{"    outcome: won\n", "    outcome: lost\n"},
			`trial.journey.yaml:22:14-22:17 error schema stages[2].outcome: "won" is not one of success, failure, exit` + "\n" +
				`trial.journey.yaml:26:14-26:18 error schema stages[3].outcome: "lost" is not one of success, failure, exit` + "\n"},
		{"unreadable entry", []string{"    entry: true\n"}, []string{"    entry: yes\n"},
			`trial.journey.yaml:11:12-11:15 error schema stages[0].entry: expected true or false, got the text "yes"` + "\n" +
				"  help 11:12-11:15: did you mean true?\n"},
		{"unreadable next", []string{"    next: [pays]\n"}, []string{"    next: 42\n"},
			"trial.journey.yaml:18:11-18:13 error schema stages[1].next: expected a list, got the number 42\n"},
		{"unreadable transition", []string{"    next: [pays]\n"}, []string{"    next: [{to: [pays]}]\n"},
			"trial.journey.yaml:18:17-18:23 error schema stages[1].next[0].to: expected text, got a list\n"},
		{"unreadable rate hides no path", []string{"rate: 0.4}", "    next: [pays]\n"}, []string{"rate: 40%}", ""},
			"trial.journey.yaml:1:10-1:15 warning no-success-path journey \"trial\" has no path from an entry to a `success` outcome\n" +
				`trial.journey.yaml:13:72-13:75 error schema stages[0].next[0].rate: expected a number, got the text "40%"` + "\n" +
				"  help 13:72-13:75: did you mean 0.4?\n" +
				"trial.journey.yaml:15:9-15:21 error dead-end stage \"invites-team\" is a dead end: it is not an outcome and has no `next`\n" +
				"trial.journey.yaml:18:9-18:13 error unreachable-stage stage \"pays\" cannot be reached from any entry\n"},
		{"unknown reference keeps its findings", []string{"    next: [pays]\n"}, []string{"    next: [pay]\n"},
			"trial.journey.yaml:1:10-1:15 warning no-success-path journey \"trial\" has no path from an entry to a `success` outcome\n" +
				"trial.journey.yaml:18:12-18:15 error unknown-reference unknown stage \"pay\"\n" +
				"  help 18:12-18:15: did you mean \"pays\"?\n" +
				"trial.journey.yaml:19:9-19:13 error unreachable-stage stage \"pays\" cannot be reached from any entry\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := oneFindingBase
			for i := range tt.from {
				if !strings.Contains(src, tt.from[i]) {
					t.Fatalf("replacement %q did not apply", tt.from[i])
				}
				src = strings.Replace(src, tt.from[i], tt.to[i], 1)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "trial.journey.yaml"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			got := formatFindings(lintDir(t, dir))
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}
