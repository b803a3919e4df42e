// Package lint holds the checks of journey files: one file per rule, each
// with its id, default severity and documentation, all visiting the model
// built by package load. It also applies the workspace's severities, inline
// suppressions and baselines. It prints nothing.
package lint

import (
	"fmt"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

// Rule is one check.
type Rule struct {
	ID       string
	Severity diag.Severity
	// Summary is one line: what the rule finds.
	Summary string
	// Why tells a journey owner why the finding matters and how to fix it.
	Why string
	// journey checks one journey; nil for rules checked elsewhere (the
	// loader reports syntax and schema).
	journey func(*pass)
	// workspace checks the workspace as a whole, once.
	workspace func(*workspacePass)
}

// Rules lists every rule in the order of the documentation.
var Rules = []*Rule{
	ruleSyntax,
	ruleSchema,
	ruleDuplicateID,
	ruleUnknownReference,
	ruleNoEntry,
	ruleNoOutcome,
	ruleUnreachableStage,
	ruleDeadEnd,
	ruleNoExitLoop,
	ruleRateSum,
	ruleUTMConvention,
	ruleMissingOwner,
	ruleUnusedPersona,
	ruleUnusedChannel,
	ruleEmptyPhase,
	ruleUnhandledReason,
	ruleInstantLoop,
	ruleDuplicateTransition,
	ruleNoSuccessPath,
	ruleUnusedSuppression,
}

// RuleByID returns the rule with the given id, or nil.
func RuleByID(id string) *Rule {
	for _, r := range Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// RuleIDs lists the ids of all rules.
func RuleIDs() []string {
	ids := make([]string, len(Rules))
	for i, r := range Rules {
		ids[i] = r.ID
	}
	return ids
}

// Infos describes every rule for output writers.
func Infos() []diag.RuleInfo {
	out := make([]diag.RuleInfo, len(Rules))
	for i, r := range Rules {
		out[i] = diag.RuleInfo{ID: r.ID, Severity: r.Severity, Summary: r.Summary, Help: r.Why}
	}
	return out
}

var ruleSyntax = &Rule{
	ID:       "syntax",
	Severity: diag.Error,
	Summary:  "The file is not valid YAML.",
	Why: "Nothing else in a file that does not parse can be checked. Fix the YAML at the position shown; " +
		"lint still checks every other file. Duplicate keys, a second document in one file, nesting " +
		"deeper than 100 levels and aliases that expand without bound are syntax findings too.",
}

var ruleSchema = &Rule{
	ID:       "schema",
	Severity: diag.Error,
	Summary:  "The document does not match the journey file format.",
	Why: "A misspelt key, a value of the wrong type or a missing required key means the map does not say " +
		"what its author thinks it says. Each problem is reported once, at the key or value at fault; " +
		"every other rule still runs on what could be read. A stage's `outcome`, `entry` or `next` that " +
		"cannot be read gives only this finding: the graph rules take it the way that gives none of theirs.",
}

// pass is the context of one journey's checks.
type pass struct {
	rule *Rule
	ws   *journey.Workspace
	j    *journey.Journey
	a    *analysis
	out  *[]diag.Diagnostic
	// sug bounds the work of the journey's "did you mean" suggestions.
	sug *suggester
}

// report records a finding and returns it, so that the caller can add a
// suggestion or related places.
func (p *pass) report(at journey.Range, stage string, format string, args ...any) *diag.Diagnostic {
	*p.out = append(*p.out, diag.Diagnostic{
		File:     p.j.File,
		Range:    at,
		Severity: p.rule.Severity,
		Rule:     p.rule.ID,
		Message:  fmt.Sprintf(format, args...),
		Journey:  p.j.ID.Value,
		Stage:    stage,
	})
	return &(*p.out)[len(*p.out)-1]
}

// workspacePass is the context of a workspace-wide check.
type workspacePass struct {
	rule *Rule
	ws   *journey.Workspace
	out  *[]diag.Diagnostic
}

func (p *workspacePass) report(j *journey.Journey, at journey.Range, format string, args ...any) *diag.Diagnostic {
	*p.out = append(*p.out, diag.Diagnostic{
		File: j.File, Range: at, Severity: p.rule.Severity, Rule: p.rule.ID,
		Message: fmt.Sprintf(format, args...), Journey: j.ID.Value,
	})
	return &(*p.out)[len(*p.out)-1]
}

// firstDefined is the related place of a duplicate: where the id was
// first defined.
func firstDefined(file string, at journey.Range) []diag.Related {
	return []diag.Related{{File: file, Range: at, Message: "first defined here"}}
}

// idRange is where a finding about an object points: its id value, or, when
// the id is missing (a schema finding says so), the first character of the
// object, or the start of the file.
func idRange(id journey.Text, m journey.Meta) journey.Range {
	if id.Range.Start.Line > 0 {
		return id.Range
	}
	if m.Range.Start.Line > 0 {
		return m.Start()
	}
	return journey.Range{Start: journey.Pos{Line: 1, Column: 1}, End: journey.Pos{Line: 1, Column: 1}}
}
