package escape

import (
	"strings"
	"unicode/utf8"
)

// MarkdownInline escapes s for inline Markdown: HTML is shown as text, Markdown
// markup characters are literal, line breaks become spaces, and an @name
// is written as a code span (`@name`), where GitHub pings no one: an entity
// or a backslash would not do (GitHub finds mentions in the rendered text),
// and an invisible character would hide what the text says. An e-mail
// address is left as it is.
func MarkdownInline(s string) string {
	s = Clean(s)
	var b strings.Builder
	prev := ' '
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '@' && !isWordRune(prev) && i+1 < len(s) && isWordRune(rune(s[i+1])) {
			// The span takes a mention that follows at once as well:
			// text right after a code span starts a new text node, where
			// GitHub would find it.
			end := i + 1
			for end < len(s) && (isMentionByte(s[end]) || s[end] == '@') {
				end++
			}
			b.WriteString("`" + s[i:end] + "`")
			prev = rune(s[end-1])
			i = end
			continue
		}
		prev = r
		i += size
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\\', '`', '*', '_', '[', ']', '#', '|', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// isMentionByte is a byte of a GitHub user or team name (@org/team).
func isMentionByte(c byte) bool {
	return isWordRune(rune(c)) || c == '-' || c == '/'
}

// MarkdownCell escapes s for a Markdown table cell: as MarkdownInline, and line breaks
// become <br> so that the row stays on one line and keeps its columns.
func MarkdownCell(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = MarkdownInline(l)
	}
	return strings.Join(lines, "<br>")
}

// MarkdownBlock escapes a multi-line description: each line as MarkdownInline, paragraphs
// kept.
func MarkdownBlock(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = MarkdownInline(l)
	}
	return strings.Join(lines, "\n")
}

// MarkdownCode makes s safe inside a single-backtick code span.
func MarkdownCode(s string) string {
	return strings.NewReplacer("`", "'", "|", "\\|", "\n", " ").Replace(Clean(s))
}
