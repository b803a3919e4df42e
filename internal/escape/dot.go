package escape

import "strings"

// The replacements of each language, applied after Clean.
var (
	dotString = strings.NewReplacer(`"`, `\"`, `\`, `\\`, "\n", `\n`, "\t", " ")
	dotHTML   = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\n", " ", "\t", " ")
)

// DOTString quotes s as a DOT double-quoted string. Graphviz treats a
// backslash as the start of an escape (\n, \l, \N...), so backslashes are
// doubled; newlines become \n (centred line breaks).
func DOTString(s string) string {
	return `"` + dotString.Replace(Clean(s)) + `"`
}

// DOTHTML escapes s for a Graphviz HTML-like label.
func DOTHTML(s string) string {
	return dotHTML.Replace(Clean(s))
}
