package render

import (
	"strings"

	"github.com/journeykit/journey/pkg/render/svgtext"
)

// dotString quotes s as a DOT double-quoted string. Graphviz treats a
// backslash as the start of an escape (\n, \l, \N...), so backslashes are
// doubled; newlines become \n (centred line breaks).
func dotString(s string) string {
	s = svgtext.Clean(s)
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
