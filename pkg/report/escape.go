package report

import (
	"net/url"
	"strings"

	"github.com/journeykit/journey/pkg/render/svgtext"
)

// Inline escapes s for inline Markdown: HTML is shown as text, Markdown
// markup characters are literal, line breaks become spaces, and an @name
// gets a zero-width space after its @ so that GitHub pings no one (an
// entity or a backslash would not do: GitHub finds mentions in the
// rendered text). An e-mail address is left as it is.
func Inline(s string) string {
	s = svgtext.Clean(s)
	var b strings.Builder
	prev := ' '
	for i, r := range s {
		if r == '@' && !isWordRune(prev) && i+1 < len(s) && isWordRune(rune(s[i+1])) {
			b.WriteString("@\u200b")
			prev = r
			continue
		}
		prev = r
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

// linkTarget keeps http(s) and relative links and neutralises others
// (javascript:, data:): a report is pasted into wikis and pull requests.
func linkTarget(raw string) string {
	raw = strings.TrimSpace(svgtext.Clean(raw))
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
		return "#"
	}
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(raw)
}
