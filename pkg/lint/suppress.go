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
	all := lines.Split(src)
	for i, line := range all {
		m := disableComment.FindSubmatchIndex(line)
		if m == nil {
			continue
		}
		target, last := i+1, i+1
		if len(bytes.TrimSpace(line[:m[0]])) == 0 {
			target = i + 2
			last = itemEnd(all, i+1)
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
			sp := &suppression{
				rule:   r,
				target: target,
				at:     journey.Range{Start: journey.Pos{Line: i + 1, Column: col}, End: journey.Pos{Line: i + 1, Column: col + utf8.RuneCountInString(r)}},
			}
			for l := target; l <= last; l++ {
				out[l] = append(out[l], sp)
			}
		}
	}
	return out
}

// itemEnd is the last line (1-based) covered by a comment on its own line
// before line index next (0-based): the next line alone, or, when it starts
// a list item (a stage, a transition, a touchpoint), every line of the item,
// whatever order its keys are in.
func itemEnd(all [][]byte, next int) int {
	if next >= len(all) {
		return next + 1
	}
	first := all[next]
	trimmed := bytes.TrimLeft(first, " ")
	if !bytes.HasPrefix(trimmed, []byte("- ")) && !bytes.Equal(trimmed, []byte("-")) {
		return next + 1
	}
	dash := len(first) - len(trimmed)
	last := next
	for j := next + 1; j < len(all); j++ {
		l := all[j]
		body := bytes.TrimLeft(l, " ")
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		if len(l)-len(body) <= dash {
			break
		}
		last = j
	}
	return last + 1
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
	seen := map[*suppression]bool{} // a comment over an item is listed on each of its lines
	for _, list := range s {
		for _, sp := range list {
			if sp.used || seen[sp] {
				continue
			}
			seen[sp] = true
			d := diag.Diagnostic{File: file, Range: sp.at, Severity: ruleUnusedSuppression.Severity, Rule: ruleUnusedSuppression.ID, Journey: journeyID}
			if sp.rule != "all" && RuleByID(sp.rule) == nil {
				d.Message = fmt.Sprintf("the disable comment names no rule %s", quote(sp.rule))
				if near := journey.Closest(sp.rule, ruleIDs()); near != "" {
					d.Suggestion = diag.Suggest(near, sp.at)
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
