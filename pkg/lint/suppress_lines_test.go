package lint

import (
	"strings"
	"testing"
)

// A disable comment targets the same line number as positions do, whatever
// the line endings, and allows spaces around "=" and ",".
func TestSuppressionLineEndingsAndSpaces(t *testing.T) {
	for _, eol := range []string{"\n", "\r\n", "\r"} {
		src := strings.Join([]string{
			"journey: a",
			"# journey-lint: disable = dead-end , missing-owner",
			"stages: []",
			"x: 1 # journey-lint: disable=rate-sum",
		}, eol) + eol
		s := parseSuppressions([]byte(src))
		for _, c := range []struct {
			line int
			rule string
			want bool
		}{
			{3, "dead-end", true}, {3, "missing-owner", true}, {4, "rate-sum", true},
			{2, "dead-end", false}, {4, "dead-end", false},
		} {
			if got := s.suppressed(c.line, c.rule); got != c.want {
				t.Errorf("line endings %q: line %d rule %s suppressed = %v, want %v", eol, c.line, c.rule, got, c.want)
			}
		}
	}
}

// A comment on its own line above a list item covers the whole item,
// whatever key comes first.
func TestSuppressionCoversListItem(t *testing.T) {
	src := "stages:\n" +
		"  # journey-lint: disable=dead-end\n" + // line 2
		"  - name: Waits\n" + // 3
		"    id: waits\n" + // 4
		"    next:\n" + // 5
		"      - {to: x}\n" + // 6
		"\n" + // 7
		"    owner: m\n" + // 8
		"  - id: other\n" // 9
	s := parseSuppressions([]byte(src))
	for line := 3; line <= 8; line++ {
		if !s.suppressed(line, "dead-end") {
			t.Errorf("line %d of the item is not covered", line)
		}
	}
	if s.suppressed(9, "dead-end") || s.suppressed(1, "dead-end") {
		t.Error("the comment covers lines outside its item")
	}
}
