package report

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/journeykit/journey/pkg/render/svgtext"
)

// Inline escapes s for inline Markdown: HTML is shown as text, Markdown
// markup characters are literal, line breaks become spaces, and an @name
// is written as a code span (`@name`), where GitHub pings no one: an entity
// or a backslash would not do (GitHub finds mentions in the rendered text),
// and an invisible character would hide what the text says. An e-mail
// address is left as it is.
func Inline(s string) string {
	s = svgtext.Clean(s)
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

// Cell escapes s for a Markdown table cell: as Inline, and line breaks
// become <br> so that the row stays on one line and keeps its columns.
func Cell(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = Inline(l)
	}
	return strings.Join(lines, "<br>")
}

// Block escapes a multi-line description: each line as Inline, paragraphs
// kept.
func Block(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = Inline(l)
	}
	return strings.Join(lines, "\n")
}

// Code makes s safe inside a single-backtick code span.
func Code(s string) string {
	return strings.NewReplacer("`", "'", "|", "\\|", "\n", " ").Replace(svgtext.Clean(s))
}

// linkTarget keeps http(s), mailto and relative links and neutralises
// others: javascript:, data:, and protocol-relative links (//host, which a
// browser opens on another site; /\\host too, and with the tabs and
// newlines a browser drops from a URL). A report is pasted into wikis and
// pull requests. Backslashes and & are encoded, so that Markdown's own
// escapes and entities cannot turn the checked text into a scheme.
func linkTarget(raw string) string {
	raw = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, strings.TrimSpace(svgtext.Clean(raw)))
	if len(raw) >= 2 && (raw[0] == '/' || raw[0] == '\\') && (raw[1] == '/' || raw[1] == '\\') {
		return "#"
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") || u.Scheme == "" && u.Host != "" {
		return "#"
	}
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\\", "%5C", "&", "&amp;", "`", "%60").Replace(raw)
}
