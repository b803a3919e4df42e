// Package escape holds the escapers of every output language journey
// writes: text from a user's file goes through exactly one of them on its
// way into XML/SVG, Graphviz DOT (quoted strings and HTML-like labels),
// Mermaid or Markdown, and each starts from Clean.
package escape

import (
	"strings"
	"unicode/utf8"
)

// Clean makes a string from a user's file safe to embed anywhere:
// invalid UTF-8 becomes U+FFFD and control characters other than newline
// and tab are dropped (XML 1.0 cannot carry them at all).
func Clean(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, isBadControl) {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if !isBadControl(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isBadControl(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r == 0xFFFE || r == 0xFFFF
}

var xmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;", "\n", "&#10;", "\t", "&#9;")

// XML escapes s for XML character data and attribute values.
func XML(s string) string {
	return xmlText.Replace(Clean(s))
}
