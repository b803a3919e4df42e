package escape

import "strings"

// DOTString quotes s as a DOT double-quoted string. Graphviz treats a
// backslash as the start of an escape (\n, \l, \N...), so backslashes are
// doubled; newlines become \n (centred line breaks).
func DOTString(s string) string {
	s = Clean(s)
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

// DOTHTML escapes s for a Graphviz HTML-like label.
func DOTHTML(s string) string {
	s = Clean(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\n', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
