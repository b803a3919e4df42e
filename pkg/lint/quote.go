package lint

import (
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/termsafe"
)

// maxQuoted is how many code points of a user's value a message quotes;
// a longer value is cut and ends in "…", so a finding never repeats a huge
// value at length.
const maxQuoted = 80

// quote is a value of the user's file as a message shows it: in double
// quotes, Go-escaped (control characters, invalid UTF-8 and direction
// overrides become visible escapes, so a message can never drive a
// terminal), and cut after maxQuoted code points.
func quote(s string) string {
	cut, more := clip(s, maxQuoted)
	q := strconv.Quote(cut)
	if more {
		q = q[:len(q)-1] + `…"`
	}
	return q
}

// plain is quote without the quotes, for names that messages show bare,
// such as the key of `utm.KEY`.
func plain(s string) string {
	q := quote(s)
	return q[1 : len(q)-1]
}

// bare is s as it is when it is short and safe to print, such as a
// regular expression, whose backslashes quoting would double; quote(s)
// otherwise.
func bare(s string) string {
	if cut, more := clip(s, maxQuoted); !more && cut != "" && termsafe.IsSafe(s) {
		return s
	}
	return quote(s)
}

// clip returns the first n code points of s and whether there were more.
func clip(s string, n int) (string, bool) {
	for i := range s {
		if n == 0 {
			return s[:i], true
		}
		n--
	}
	return s, false
}

// list joins quoted values with ", ", naming at most maxListed of them and
// counting the rest: `"a", "b", … (3 more)`.
func list(values []string, quoted func(string) string) string {
	const maxListed = 20
	parts := make([]string, 0, min(len(values), maxListed)+1)
	for i, v := range values {
		if i == maxListed {
			parts = append(parts, "… ("+strconv.Itoa(len(values)-maxListed)+" more)")
			break
		}
		parts = append(parts, quoted(v))
	}
	return strings.Join(parts, ", ")
}
