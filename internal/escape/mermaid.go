package escape

import (
	"fmt"
	"strings"
)

// Mermaid escapes s for a double-quoted Mermaid label: quotes and the
// characters Mermaid treats as markup become HTML entity codes (#quot; is
// Mermaid's entity syntax), newlines become <br>.
func Mermaid(s string) string {
	s = Clean(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#':
			b.WriteString("#35;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '|':
			b.WriteString("#124;")
		case '`':
			b.WriteString("#96;")
		case '[', ']', '{', '}', '(', ')':
			fmt.Fprintf(&b, "#%d;", r)
		case '\n':
			b.WriteString("<br>")
		case '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
