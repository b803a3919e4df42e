package lint

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/journeykit/journey/internal/lines"
)

// suppressions maps a line to the rules disabled on it by a
// `# journey-lint: disable=RULE[,RULE]` comment.
type suppressions map[int]map[string]bool

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
		if out[target] == nil {
			out[target] = map[string]bool{}
		}
		for _, r := range strings.Split(string(line[m[4]:m[5]]), ",") {
			if r = strings.TrimSpace(r); r != "" {
				out[target][r] = true
			}
		}
	}
	return out
}

func (s suppressions) suppressed(line int, rule string) bool {
	return s[line][rule] || s[line]["all"]
}
