// Package diag holds the one type every finding and error of journey is
// reported as, and the writers that print findings as text, JSON, GitHub
// workflow commands, SARIF and JUnit. It knows no rule.
package diag

import (
	"sort"

	"github.com/journeykit/journey/pkg/journey"
)

// Severity of a finding.
type Severity string

// Severities, from the most to the least serious. Off disables a rule.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
	Off     Severity = "off"
)

// ParseSeverity reports the severity named s.
func ParseSeverity(s string) (Severity, bool) {
	switch Severity(s) {
	case Error, Warning, Info, Off:
		return Severity(s), true
	}
	return "", false
}

// Diagnostic is one finding: what is wrong, where, and how serious it is.
type Diagnostic struct {
	File     string
	Range    journey.Range
	Severity Severity
	Rule     string
	Message  string
	// Journey is the id of the journey the finding is about, if known.
	Journey string
	// Stage is the id of the stage the finding is about, if any.
	Stage string
	// Suggestion is an optional hint on how to fix the finding.
	Suggestion string
}

// Less orders findings by file, line, column, rule, then message.
func Less(a, b Diagnostic) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Range.Start.Line != b.Range.Start.Line {
		return a.Range.Start.Line < b.Range.Start.Line
	}
	if a.Range.Start.Column != b.Range.Start.Column {
		return a.Range.Start.Column < b.Range.Start.Column
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	return a.Message < b.Message
}

// Sort orders findings by file, line, column and rule, stably.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool { return Less(ds[i], ds[j]) })
}

// Summary counts findings by severity.
type Summary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// Summarize counts the findings of ds over the given number of files.
func Summarize(files int, ds []Diagnostic) Summary {
	s := Summary{Files: files}
	for _, d := range ds {
		switch d.Severity {
		case Error:
			s.Errors++
		case Warning:
			s.Warnings++
		case Info:
			s.Infos++
		}
	}
	return s
}

// RuleInfo describes a rule for writers that list rules (SARIF).
type RuleInfo struct {
	ID       string
	Severity Severity
	Summary  string // one line
	Help     string // a paragraph: why it matters and how to fix it
}

// DocsURL is the page that documents every rule; a rule's anchor is its id.
const DocsURL = "https://github.com/journeykit/journey/blob/main/docs/rules.md"

// Report is everything a writer prints: the findings, sorted, and context.
type Report struct {
	Findings []Diagnostic
	Files    int
	// Rules describes every rule, in a stable order.
	Rules []RuleInfo
	// Sources maps a file to its content, for writers that quote lines.
	Sources map[string][]byte
	// Version of the tool, for writers that name it.
	Version string
}
