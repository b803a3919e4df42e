package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Every did-you-mean of every producer lands in the finding's suggestion,
// never in its message, and no message holds a line number: the message is
// what baselines and SARIF fingerprints match (issue 12).
func TestSuggestionsAreNotInMessages(t *testing.T) {
	ws := t.TempDir()
	write(t, filepath.Join(ws, ".journey.yaml"), `teams: [growth, sales]
personas: [{id: founder, name: Founder}]
utm:
  values:
    source: [email, sms]
rules:
  dead-ends: off
`)
	write(t, filepath.Join(ws, "other.journey.yaml"), validJourney)
	write(t, filepath.Join(ws, "trial.journey.yaml"), `journey: trial
title: Trial
owner: growht
phases:
  - {id: start, name: Start}
  - {id: start, name: Again}
personas: [{id: admin, name: Admin}]
stages:
  - id: signs-up # journey-lint: disable=dead-ends
    nmae: Signs up
    phase: strat
    personas: [admn]
    channel: emial
    entry: yes
    touchpoints:
      - {channel: email, action: Welcome, utm: {source: emial}}
    next:
      - welcomes
      - welcom
      - {journey: ok, to: arives}
      - {journey: okk, to: arrives}
  - id: welcomes
    name: Welcome
    phase: start
    next: [done, done]
  - id: done
    name: Done
    phase: start
    outcome: exited
  - id: done
    name: Done again
    phase: start
    outcome: success
`)
	code, out, errOut := inDir(t, ws, "lint", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var doc struct {
		Findings []struct {
			File, Rule, Message string
			Line                int
			Suggestion          *struct {
				Text         string
				Line, Column int
				EndLine      int `json:"end_line"`
				EndColumn    int `json:"end_column"`
			}
			Related []struct {
				File    string
				Line    int
				Message string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	lineNumber := regexp.MustCompile(`(?i)\blines? [0-9]`)
	suggested := map[string]string{}
	related := map[string]int{}
	for _, f := range doc.Findings {
		if strings.Contains(f.Message, "did you mean") || lineNumber.MatchString(f.Message) {
			t.Errorf("%s %s:%d: the message holds a suggestion or a line: %q", f.Rule, f.File, f.Line, f.Message)
		}
		if f.Suggestion != nil {
			if f.Suggestion.Line != f.Line || f.Suggestion.Column == 0 || f.Suggestion.EndColumn <= f.Suggestion.Column {
				t.Errorf("%s: suggestion %+v does not replace the value at fault (line %d)", f.Rule, f.Suggestion, f.Line)
			}
			suggested[f.Rule+" "+f.Suggestion.Text] = f.Message
		}
		for _, r := range f.Related {
			related[f.Rule+" "+r.Message]++
		}
	}
	for _, want := range []string{
		"schema dead-end",          // a rules: key (config)
		"schema name",              // an unknown key
		"schema true",              // a value of the wrong type
		"schema exit",              // a value outside an enum
		"unknown-reference growth", // a team
		"unknown-reference start",  // a phase
		"unknown-reference admin",  // a persona
		"unknown-reference email",  // a channel
		"unknown-reference welcomes",
		"unknown-reference ok",      // a hand-off's journey
		"unknown-reference arrives", // a hand-off's stage
		"utm-convention email",
		"unused-suppression dead-end",
	} {
		if _, ok := suggested[want]; !ok {
			t.Errorf("no suggestion %q; got %v", want, suggested)
		}
	}
	for _, want := range []string{"duplicate-id first defined here", "duplicate-transition first defined here"} {
		if related[want] == 0 {
			t.Errorf("no related place %q; got %v", want, related)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

// No finding producer writes "did you mean" into a message: the words
// belong to diag.Suggestion.Help alone. Errors that are not findings
// (usage errors of the commands) may still say it.
func TestNoDidYouMeanInFindingProducers(t *testing.T) {
	notFindings := map[string]bool{
		"pkg/diag/diagnostic.go": true, // Suggestion.Help
		"pkg/sim/chain.go":       true, // simulate --from/--to: a usage error
		"pkg/eventlog/rows.go":   true, // conform's column options: a usage error
		"pkg/importer/csv.go":    true, // journey import's refusal: an error of the command, not a finding
		"pkg/render/phases.go":   true, // render --phases: a usage error
	}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(filepath.Join(root, "pkg"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if notFindings[filepath.ToSlash(rel)] {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, _ := strconv.Unquote(lit.Value); strings.Contains(s, "did you mean") {
					t.Errorf("%s: %q: a did-you-mean belongs in diag.Suggestion", rel, s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
