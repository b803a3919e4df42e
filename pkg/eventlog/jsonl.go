package eventlog

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonFields reads one JSON object and sets vals[i] to the value of key
// keys[i] at its top level: a string's text, or a number as written.
// Missing keys and null leave "". Keys that are not wanted may hold any
// JSON value. The whole line is checked to be one JSON object.
func jsonFields(s string, keys *[3]string, vals *[3]string) error {
	p := jsonParser{s: s}
	p.ws()
	if p.i >= len(s) || s[p.i] != '{' {
		if p.i < len(s) && s[p.i] == '[' {
			return errors.New("a JSON array, not an object: JSON Lines has one object per line")
		}
		return p.fail("not a JSON object")
	}
	p.i++
	p.ws()
	if p.i < len(s) && s[p.i] == '}' {
		p.i++
	} else {
		for {
			p.ws()
			if p.i >= len(s) || s[p.i] != '"' {
				return p.fail("expected a key in double quotes")
			}
			key, err := p.str()
			if err != nil {
				return err
			}
			p.ws()
			if p.i >= len(s) || s[p.i] != ':' {
				return p.fail("expected ':' after a key")
			}
			p.i++
			p.ws()
			want := -1
			for k := range keys {
				if keys[k] == key {
					want = k
				}
			}
			if p.i >= len(s) {
				return p.fail("expected a value")
			}
			switch c := s[p.i]; {
			case c == '"':
				v, err := p.str()
				if err != nil {
					return err
				}
				if want >= 0 {
					vals[want] = v
				}
			case c == '-' || isDigit(c):
				start := p.i
				if err := p.number(); err != nil {
					return err
				}
				if want >= 0 {
					vals[want] = s[start:p.i]
				}
			case c == '{' || c == '[':
				start := p.i
				if err := p.skip(); err != nil {
					return err
				}
				if want >= 0 {
					kind := "an object"
					if c == '[' {
						kind = "an array"
					}
					return fmt.Errorf("%q is %s (%s), not a string or a number", key, kind, cutShort(s[start:p.i]))
				}
			case strings.HasPrefix(s[p.i:], "null"):
				p.i += 4
				if want >= 0 {
					vals[want] = ""
				}
			case strings.HasPrefix(s[p.i:], "true"), strings.HasPrefix(s[p.i:], "false"):
				if want >= 0 {
					return fmt.Errorf("%q is a boolean, not a string or a number", key)
				}
				if s[p.i] == 't' {
					p.i += 4
				} else {
					p.i += 5
				}
			default:
				return p.fail("expected a value")
			}
			p.ws()
			if p.i < len(s) && s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(s) && s[p.i] == '}' {
				p.i++
				break
			}
			return p.fail("expected ',' or '}'")
		}
	}
	p.ws()
	if p.i != len(s) {
		return p.fail("text after the object (one JSON object per line)")
	}
	return nil
}

type jsonParser struct {
	s string
	i int
}

func (p *jsonParser) fail(what string) error {
	if p.i >= len(p.s) {
		return fmt.Errorf("invalid JSON: %s, found the end of the line", what)
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return fmt.Errorf("invalid JSON at column %d: %s, found %q", p.i+1, what, r)
}

func (p *jsonParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// str reads a string at p.i (which is '"') and returns its text.
func (p *jsonParser) str() (string, error) {
	start := p.i + 1
	i := start
	escaped := false
	for i < len(p.s) {
		c := p.s[i]
		if c == '"' {
			break
		}
		if c == '\\' {
			escaped = true
			i += 2
			continue
		}
		if c < 0x20 {
			p.i = i
			return "", p.fail("a control character inside a string (escape it)")
		}
		i++
	}
	if i >= len(p.s) {
		p.i = len(p.s)
		return "", p.fail("a string that is not closed")
	}
	p.i = i + 1
	raw := p.s[start:i]
	if !escaped {
		return raw, nil
	}
	v, ok := unescapeJSON(raw)
	if !ok {
		p.i = start
		return "", p.fail("an invalid escape in a string")
	}
	return v, nil
}

func unescapeJSON(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", false
		}
		switch s[i] {
		case '"', '\\', '/':
			b.WriteByte(s[i])
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := hex4(s, i+1)
			if !ok {
				return "", false
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(s, i+3); ok && i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	return b.String(), true
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

func (p *jsonParser) number() error {
	s := p.s
	i := p.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && isDigit(s[i]) {
			i++
			n++
		}
		return n
	}
	if digits() == 0 {
		p.i = i
		return p.fail("a number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			p.i = i
			return p.fail("digits after the decimal point")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.i = i
			return p.fail("digits of an exponent")
		}
	}
	p.i = i
	return nil
}

// skip passes over an object or an array, strings included, checking
// that brackets match.
func (p *jsonParser) skip() error {
	var closers []byte
	for p.i < len(p.s) {
		switch c := p.s[p.i]; c {
		case '{':
			closers = append(closers, '}')
			p.i++
		case '[':
			closers = append(closers, ']')
			p.i++
		case '}', ']':
			if c != closers[len(closers)-1] {
				return p.fail(fmt.Sprintf("a %q where %q closes", c, closers[len(closers)-1]))
			}
			closers = closers[:len(closers)-1]
			p.i++
			if len(closers) == 0 {
				return nil
			}
		case '"':
			if _, err := p.str(); err != nil {
				return err
			}
		default:
			p.i++
		}
	}
	return p.fail("an object or array that is not closed")
}
