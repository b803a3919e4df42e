package escape

import (
	"strings"
	"unicode"
)

// Mermaid's user-journey diagram has no quoting and no entity codes: its
// lexer (mermaid's journey.jison) ends a title at '#', ';' or a newline, a
// section name or a task name also at ':', and an actor also at ','; a
// '#' or "%%" starts a comment; a line that starts with a keyword (journey,
// title, section, accTitle, accDescr) is read as that statement. These
// escapers put every such character in its full-width form (U+FF03 ＃,
// U+FF1A ：, U+FF1B ；, U+FF0C ，, U+FF05 ％), which reads the same, and
// put a zero-width space (U+200B) before a leading keyword; newlines and
// tabs become spaces.

// MermaidJourneyZWSP is the zero-width space MermaidJourneyTask puts before
// a task name that starts with a keyword; an importer removes it.
const MermaidJourneyZWSP = "\u200b"

// MermaidJourneyTitle escapes s for a journey's `title` line.
func MermaidJourneyTitle(s string) string {
	return mermaidJourney(s, "#;")
}

// MermaidJourneySection escapes s for a `section` line.
func MermaidJourneySection(s string) string {
	return mermaidJourney(s, "#:;")
}

// MermaidJourneyTask escapes s for the name of a task, in front of its
// `: score: actors`.
func MermaidJourneyTask(s string) string {
	s = mermaidJourney(s, "#:;")
	if startsWithKeyword(s) {
		s = MermaidJourneyZWSP + s
	}
	return s
}

// MermaidJourneyActor escapes s for one actor of a task's actor list.
func MermaidJourneyActor(s string) string {
	return mermaidJourney(s, "#:;,")
}

var fullWidth = map[rune]rune{'#': '＃', ':': '：', ';': '；', ',': '，', '%': '％'}

func mermaidJourney(s, special string) string {
	s = Clean(s)
	var b strings.Builder
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			b.WriteByte(' ')
		case strings.ContainsRune(special, r):
			b.WriteRune(fullWidth[r])
		case r == '%' && (i == 0 || i+1 < len(runes) && runes[i+1] == '%' || i > 0 && runes[i-1] == '%'):
			// A leading '%' and every "%%" start a comment.
			b.WriteRune(fullWidth[r])
		default:
			b.WriteRune(r)
		}
	}
	// Mermaid's lexer skips JavaScript's \s (which includes U+FEFF) in
	// front of a statement; what is left at the end would stay in the name.
	return strings.TrimFunc(b.String(), func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' })
}

// startsWithKeyword reports whether Mermaid's journey lexer would read a
// line starting with s as a keyword rather than a task name (its rules are
// case-insensitive).
func startsWithKeyword(s string) bool {
	lower := strings.ToLower(s)
	followedBy := func(w string, ok func(r rune) bool) bool {
		if !strings.HasPrefix(lower, w) {
			return false
		}
		rest := []rune(lower[len(w):])
		return len(rest) == 0 || ok(rest[0])
	}
	// journey\b (an ASCII word boundary), title\s, section\s, and
	// accTitle or accDescr in front of anything (their ':' or '{' may
	// follow after spaces).
	notWord := func(r rune) bool { return !(r == '_' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))) }
	space := func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' }
	return followedBy("journey", notWord) || followedBy("title", space) || followedBy("section", space) ||
		strings.HasPrefix(lower, "acctitle") || strings.HasPrefix(lower, "accdescr")
}
