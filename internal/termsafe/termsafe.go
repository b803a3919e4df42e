// Package termsafe makes text from users' files safe to show on a terminal
// or in a CI log: control characters (ESC and the ANSI/OSC sequences it
// starts, BEL, backspace, carriage return, C1 controls, DEL), Unicode
// direction overrides and invalid UTF-8 are written as visible escapes, so a
// file can never change a terminal's title, clear its screen, move its
// cursor or hide text.
package termsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line makes s safe for one line of output: every control character,
// newlines and tabs included, is escaped.
func Line(s string) string { return escape(s, false) }

// Text makes s safe for multi-line output: newlines and tabs are kept, every
// other control character is escaped.
func Text(s string) string { return escape(s, true) }

// IsSafe reports whether Line would return s unchanged.
func IsSafe(s string) bool {
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 || unsafeRune(r) {
			return false
		}
		i += w
	}
	return true
}

func escape(s string, multiline bool) string {
	if IsSafe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && w == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

// unsafeRune is a character a terminal acts on instead of showing, or one
// that reorders what it shows.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		// Bidirectional embeddings, overrides and isolates ("Trojan
		// Source"), and the direction marks.
		return true
	case r == 0xfeff:
		return true
	}
	return false
}
