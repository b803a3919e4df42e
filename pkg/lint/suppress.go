package lint

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/journeykit/journey/internal/lines"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

// suppression is one rule named by a `# journey-lint: disable=RULE[,RULE]`
// comment: where the name is written, the line it applies to, and whether
// it suppressed anything.
type suppression struct {
	rule   string
	at     journey.Range // the rule's name in the comment
	target int           // the line whose findings it drops
	used   bool
}

// suppressions are the disable comments of one file, by target line.
type suppressions map[int][]*suppression

// Spaces are allowed around "=" and ",": `disable = a, b`.
var disableComment = regexp.MustCompile(`(^|[ \t])#\s*journey-lint:\s*disable\s*=\s*([A-Za-z0-9_,\- \t]+)`)

// parseSuppressions reads the inline suppressions of a file. A comment at
// the end of a line applies to that line; on a line of its own it applies
// to the next line.
func parseSuppressions(src []byte) suppressions {
	if !bytes.Contains(src, []byte("journey-lint:")) {
		return nil
	}
	out := suppressions{}
	// Lines are split as positions count them (LF, CRLF, lone CR).
	for i, line := range lines.Split(src) {
		m := disableComment.FindSubmatchIndex(line)
		if m == nil {
			continue
		}
		target := i + 1
		if len(bytes.TrimSpace(line[:m[0]])) == 0 {
			target = i + 2
		}
		off := m[4]
		for _, name := range strings.Split(string(line[m[4]:m[5]]), ",") {
			start := off + len(name) - len(strings.TrimLeft(name, " \t"))
			off += len(name) + 1
			r := strings.TrimSpace(name)
			if r == "" {
				continue
			}
			col := utf8.RuneCount(line[:start]) + 1
			out[target] = append(out[target], &suppression{
				rule:   r,
				target: target,
				at:     journey.Range{Start: journey.Pos{Line: i + 1, Column: col}, End: journey.Pos{Line: i + 1, Column: col + utf8.RuneCountInString(r)}},
			})
		}
	}
	return out
}

// suppressed reports whether a comment drops rule's findings on line, and
// marks the comment used.
func (s suppressions) suppressed(line int, rule string) bool {
	hit := false
	for _, sp := range s[line] {
		if sp.rule == rule || sp.rule == "all" {
			sp.used = true
			hit = true
		}
	}
	return hit
}

// unusedSuppressions reports the disable comments of file that name no
// rule or suppressed nothing.
func unusedSuppressions(file, journeyID string, s suppressions) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, list := range s {
		for _, sp := range list {
			if sp.used {
				continue
			}
			d := diag.Diagnostic{File: file, Range: sp.at, Severity: ruleUnusedSuppression.Severity, Rule: ruleUnusedSuppression.ID, Journey: journeyID}
			if sp.rule != "all" && RuleByID(sp.rule) == nil {
				d.Message = fmt.Sprintf("the disable comment names no rule %s", quote(sp.rule))
				if near := journey.Closest(sp.rule, ruleIDs()); near != "" {
					d.Message += fmt.Sprintf(" (did you mean %s?)", quote(near))
				}
			} else {
				d.Message = fmt.Sprintf("the disable comment for %s suppresses nothing: remove it", quote(sp.rule))
			}
			out = append(out, d)
		}
	}
	return out
}

func ruleIDs() []string {
	ids := make([]string, 0, len(Rules)+1)
	for _, r := range Rules {
		ids = append(ids, r.ID)
	}
	return append(ids, "all")
}

var ruleUnusedSuppression = &Rule{
	ID:       "unused-suppression",
	Severity: diag.Warning,
	Summary:  "A `# journey-lint: disable=` comment that suppresses nothing, or names no rule.",
	Why: "A disable comment that no longer drops a finding hides the next real one on its line, and one " +
		"that misspells a rule never worked at all. Remove the comment, or correct the rule id it names.",
}
