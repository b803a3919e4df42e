package eventlog

import (
	"errors"
	"fmt"
	"math"
)

// Times are kept as milliseconds since 1970-01-01T00:00:00Z; finer
// digits are dropped.

// ParseTime reads a time field as milliseconds since
// 1970-01-01T00:00:00Z (finer digits are dropped): RFC 3339 (also with a
// space for the T, without seconds, with the zone as Z, ±hh:mm, ±hhmm, ±hh
// or " UTC", or with no zone, which means UTC; a date alone means its
// midnight UTC), or a Unix time as a number: seconds (with a fraction or
// not), milliseconds, microseconds or nanoseconds told apart by size (see
// unixMillis). The error says what was expected and quotes the field (cut
// to 60 bytes).
func ParseTime(s string) (int64, error) {
	s = trimSpace(s)
	if s == "" {
		return 0, errors.New("empty time")
	}
	c := s[0]
	if len(s) >= 10 && s[4] == '-' && isDigit(c) {
		if ms, ok := parseRFC3339(s); ok {
			return ms, nil
		}
		return 0, fmt.Errorf("cannot read time %s: expected RFC 3339 like 2024-05-01T10:00:00Z", quoteShort(s))
	}
	if isDigit(c) || c == '-' || c == '+' {
		if ms, ok := unixMillis(s); ok {
			return ms, nil
		}
	}
	return 0, fmt.Errorf("cannot read time %s: expected RFC 3339 (2024-05-01T10:00:00Z) or Unix seconds or milliseconds", quoteShort(s))
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func trimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}

// unixMillis reads a Unix time. The unit comes from the size of the
// integer part: below 1e11 it is seconds (up to the year 5138), below 1e14
// milliseconds (from March 1973 on), below 1e17 microseconds, else
// nanoseconds. A fraction is allowed (it matters for seconds).
func unixMillis(s string) (int64, bool) {
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	var whole int64
	i := 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		d := int64(s[i] - '0')
		if whole > (math.MaxInt64-d)/10 {
			return 0, false
		}
		whole = whole*10 + d
	}
	if i == 0 {
		return 0, false
	}
	var frac int64 // milliseconds of a fraction of a second, truncated
	if i < len(s) && s[i] == '.' {
		var ok bool
		if frac, i, ok = fraction(s, i+1); !ok {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	var ms int64
	switch {
	case whole < 1e11:
		ms = whole*1000 + frac
	case whole < 1e14:
		ms = whole
	case whole < 1e17:
		ms = whole / 1000
	default:
		ms = whole / 1000000
	}
	if neg {
		ms = -ms
	}
	return ms, true
}

// fraction reads the digits of a fraction of a second from s[i:] (after
// the decimal point or comma): the milliseconds they make, truncated, and
// the index after them. There must be a digit.
func fraction(s string, i int) (ms int64, next int, ok bool) {
	start := i
	for n := 0; i < len(s) && isDigit(s[i]); i, n = i+1, n+1 {
		if n < 3 {
			ms = ms*10 + int64(s[i]-'0')
		}
	}
	if i == start {
		return 0, i, false
	}
	for n := i - start; n < 3; n++ {
		ms *= 10
	}
	return ms, i, true
}

func num(s string, i, n int) (int64, bool) {
	if i+n > len(s) {
		return 0, false
	}
	var v int64
	for k := i; k < i+n; k++ {
		if !isDigit(s[k]) {
			return 0, false
		}
		v = v*10 + int64(s[k]-'0')
	}
	return v, true
}

func parseRFC3339(s string) (int64, bool) {
	y, ok1 := num(s, 0, 4)
	mo, ok2 := num(s, 5, 2)
	d, ok3 := num(s, 8, 2)
	if !ok1 || !ok2 || !ok3 || s[7] != '-' || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) {
		return 0, false
	}
	secs := daysFromCivil(y, mo, d) * 86400
	i := 10
	if i == len(s) {
		return secs * 1000, true
	}
	if c := s[i]; c != 'T' && c != 't' && c != ' ' {
		return 0, false
	}
	i++
	h, ok1 := num(s, i, 2)
	mi, ok2 := num(s, i+3, 2)
	if !ok1 || !ok2 || s[i+2] != ':' || h > 23 || mi > 59 {
		return 0, false
	}
	i += 5
	var sec, frac int64
	if i < len(s) && s[i] == ':' {
		v, ok := num(s, i+1, 2)
		if !ok || v > 59 {
			return 0, false
		}
		sec = v
		i += 3
		if i < len(s) && (s[i] == '.' || s[i] == ',') {
			var ok bool
			if frac, i, ok = fraction(s, i+1); !ok {
				return 0, false
			}
		}
	}
	secs += h*3600 + mi*60 + sec
	// Zone.
	rest := s[i:]
	if len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
		if rest == "" {
			return 0, false
		}
	}
	switch {
	case rest == "" || rest == "Z" || rest == "z" || rest == "UTC":
	case rest[0] == '+' || rest[0] == '-':
		oh, ok := num(rest, 1, 2)
		if !ok || oh > 23 {
			return 0, false
		}
		var om int64
		switch len(rest) {
		case 3:
		case 5:
			v, ok := num(rest, 3, 2)
			if !ok {
				return 0, false
			}
			om = v
		case 6:
			v, ok := num(rest, 4, 2)
			if !ok || rest[3] != ':' {
				return 0, false
			}
			om = v
		default:
			return 0, false
		}
		if om > 59 {
			return 0, false
		}
		off := oh*3600 + om*60
		if rest[0] == '-' {
			off = -off
		}
		secs -= off
	default:
		return 0, false
	}
	return secs*1000 + frac, true
}

func leap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if leap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// cutShort cuts text for a message to 60 bytes.
func cutShort(s string) string {
	const limit = 60
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:cut], len(s))
}

// quoteShort quotes a value for a message, cut to 60 bytes.
func quoteShort(s string) string {
	const limit = 60
	if len(s) > limit {
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		return fmt.Sprintf("%q… (%d bytes)", s[:cut], len(s))
	}
	return fmt.Sprintf("%q", s)
}
