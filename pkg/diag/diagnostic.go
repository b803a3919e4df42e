// Package diag holds the one type every finding and error of journey is
// reported as, and the writers that print findings as text, JSON, GitHub
// workflow commands, SARIF and JUnit. It knows no rule.
package diag

import (
	"sort"
	"strconv"

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
//
// Message is a stable summary: it never holds a line number or a
// suggestion, so that baselines and SARIF fingerprints, which match on it,
// survive edits elsewhere in the file. A did-you-mean goes in Suggestion, a
// second place that matters (where a duplicate was first defined) in
// Related.
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
	// Suggestion is the likely fix, or nil.
	Suggestion *Suggestion
	// Related lists other places that explain the finding.
	Related []Related
}

// Suggestion is a replacement that likely fixes a finding: the text to
// write instead of what Range covers ("did you mean").
type Suggestion struct {
	Text  string
	Range journey.Range
	// Literal marks Text as a YAML value that is not a string (true, 0.55):
	// the help line shows it bare, since quoted it would be text.
	Literal bool
}

// Suggest returns a suggestion to write text in place of at.
func Suggest(text string, at journey.Range) *Suggestion {
	return &Suggestion{Text: text, Range: at}
}

// Help is the suggestion in words: did you mean "welcome"?
func (s *Suggestion) Help() string {
	if s.Literal {
		return "did you mean " + s.Text + "?"
	}
	return "did you mean " + strconv.Quote(s.Text) + "?"
}

// Related is another place that matters to a finding, such as the first
// definition of a duplicate id.
type Related struct {
	File    string
	Range   journey.Range
	Message string
}

// Diagnostics is a list of findings.
type Diagnostics []Diagnostic

// HasErrors reports whether one of ds is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
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
	Findings Diagnostics
	Files    int
	// Rules describes every rule, in a stable order.
	Rules []RuleInfo
	// Sources maps a file to its content, for writers that quote lines.
	Sources map[string][]byte
	// Version of the tool, for writers that name it.
	Version string
	// Root is the repository root (else the workspace root), absolute, or
	// "": SARIF and GitHub annotations name files relative to it, and
	// SARIF fingerprints use those names.
	Root string
}
