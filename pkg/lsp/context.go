package lsp

import (
	"regexp"
	"strings"
)

// cursor is what surrounds a position of a YAML document, found from its
// lines alone so that it works while the document does not parse (the
// user is typing).
type cursor struct {
	// path holds the keys of the block mappings around the position,
	// outermost first (list items are not counted).
	path []string
	// key is the key whose value is at the position; "" when a key is.
	key   string
	atKey bool
	// listItem is set for a bare "- " item of a block list owned by key.
	listItem bool
	// prefix is the word before the position, starting at byte prefixAt.
	prefix   string
	prefixAt int
	// siblings are the other keys of the innermost mapping, with values.
	siblings map[string]string
	// disable is set inside a `# journey-lint: disable=` comment.
	disable bool
	// comment is set anywhere else in a comment.
	comment bool
	// keySpan is the byte span of the key written on the position's line,
	// when the position is on it.
	onKey       bool
	keyStart    int
	keyEnd      int
	lineKey     string
	lineKeyPath []string
}

var (
	keyRE     = regexp.MustCompile(`^("[^"]*"|'[^']*'|[^\s:#{}\[\],"'][^:#{}\[\],]*?)\s*:(\s|$)`)
	disableRE = regexp.MustCompile(`#\s*journey-lint:\s*disable\s*=[A-Za-z0-9_,\- \t]*$`)
)

// lineInfo is the shape of one line: its list dash and key.
type lineInfo struct {
	blank   bool
	dash    bool
	dashCol int
	keyCol  int
	key     string
	value   string
	hasKey  bool
}

func parseLine(line string) lineInfo {
	var li lineInfo
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	rest := line[i:]
	if rest == "" || strings.HasPrefix(rest, "#") {
		li.blank = true
		return li
	}
	if rest == "-" || strings.HasPrefix(rest, "- ") {
		li.dash, li.dashCol = true, i
		i++
		for i < len(line) && line[i] == ' ' {
			i++
		}
		rest = line[i:]
	}
	li.keyCol = i
	if m := keyRE.FindStringSubmatch(rest); m != nil {
		li.hasKey = true
		li.key = strings.Trim(m[1], `"'`)
		li.value = strings.TrimSpace(rest[len(m[0]):])
	}
	return li
}

func isWordByte(c byte) bool {
	return c == '-' || c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// cursorAt describes byte offset off of t.
func cursorAt(t *text, off int) cursor {
	c := cursor{siblings: map[string]string{}}
	line := t.lineOf(off)
	start, end := t.lineBounds(line)
	if off > end {
		off = end
	}
	full := string(t.src[start:end])
	before := string(t.src[start:off])
	p := len(before)
	for p > 0 && isWordByte(before[p-1]) {
		p--
	}
	c.prefix, c.prefixAt = before[p:], start+p

	if h := commentStart(before); h >= 0 {
		if disableRE.MatchString(before[h:]) {
			c.disable = true
			q := len(before)
			for q > 0 && (isWordByte(before[q-1])) {
				q--
			}
			c.prefix, c.prefixAt = before[q:], start+q
		} else {
			c.comment = true
		}
		return c
	}

	li := parseLine(full)
	if li.hasKey {
		ks := start + li.keyCol
		ke := ks + len(li.key)
		if strings.HasPrefix(full[li.keyCol:], `"`) || strings.HasPrefix(full[li.keyCol:], `'`) {
			ke += 2
		}
		c.keyStart, c.keyEnd, c.lineKey = ks, ke, li.key
		c.onKey = off >= ks && off <= ke
	}

	// Block structure above the line.
	threshold := li.keyCol
	itemStarted := li.dash
	for n := line - 1; n >= 0; n-- {
		a, b := t.lineBounds(n)
		pl := parseLine(string(t.src[a:b]))
		if pl.blank {
			continue
		}
		switch {
		case pl.keyCol == threshold && !itemStarted:
			if pl.hasKey {
				c.siblings[pl.key] = pl.value
			}
			if pl.dash {
				itemStarted = true
			}
		case pl.keyCol < threshold:
			if pl.hasKey {
				c.path = append([]string{pl.key}, c.path...)
			}
			threshold = pl.keyCol
			itemStarted = true
		}
		if threshold == 0 && itemStarted {
			break
		}
	}
	// Siblings below, up to the next item or a shallower line.
	for n := line + 1; n < len(t.starts); n++ {
		a, b := t.lineBounds(n)
		pl := parseLine(string(t.src[a:b]))
		if pl.blank {
			continue
		}
		if pl.keyCol < li.keyCol || pl.dash && pl.keyCol <= li.keyCol {
			break
		}
		if pl.keyCol == li.keyCol && pl.hasKey {
			c.siblings[pl.key] = pl.value
		}
	}
	c.lineKeyPath = c.path

	// Within the line: flow collections, then the block key.
	rest := ""
	if li.keyCol <= len(before) {
		rest = before[li.keyCol:]
	}
	type level struct {
		open byte
		key  string
		from int
	}
	var stack []level
	blockKey := ""
	if li.hasKey && strings.Contains(rest, ":") {
		blockKey = li.key
	}
	segStart := 0
	for i := 0; i < len(rest); i++ {
		switch ch := rest[i]; ch {
		case '"', '\'':
			if j := strings.IndexByte(rest[i+1:], ch); j >= 0 {
				i += j + 1
			} else {
				i = len(rest)
			}
		case '{', '[':
			owner := blockKey
			if len(stack) > 0 {
				owner = stack[len(stack)-1].key
			}
			stack = append(stack, level{open: ch, key: owner, from: i + 1})
			if ch == '{' {
				stack[len(stack)-1].key = ""
			}
			segStart = i + 1
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if len(stack) > 0 && stack[len(stack)-1].open == '{' {
				stack[len(stack)-1].key = ""
			}
			segStart = i + 1
		case ':':
			if len(stack) > 0 && stack[len(stack)-1].open == '{' && (i+1 == len(rest) || rest[i+1] == ' ') {
				stack[len(stack)-1].key = strings.Trim(strings.TrimSpace(rest[segStart:i]), `"'`)
			}
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		owner := blockKey
		for k := len(stack) - 2; k >= 0; k-- {
			if stack[k].open == '[' {
				owner = stack[k].key
				break
			}
		}
		// Keys of the innermost flow mapping, anywhere on the line.
		for _, m := range flowPairRE.FindAllStringSubmatch(full, -1) {
			c.siblings[m[1]] = m[2]
		}
		switch {
		case top.open == '{' && top.key == "":
			c.atKey = true
			if owner != "" {
				c.path = append(append([]string(nil), c.path...), owner)
			}
		case top.open == '{':
			c.key = top.key
			if owner != "" {
				c.path = append(append([]string(nil), c.path...), owner)
			}
		default:
			c.key = top.key
			c.listItem = true
		}
		return c
	}
	switch {
	case blockKey != "":
		c.key = blockKey
	case li.dash && !strings.Contains(rest, ":"):
		// "- word": a list item of the key above, or the first key of a
		// mapping item.
		if len(c.path) > 0 {
			c.key = c.path[len(c.path)-1]
			c.path = c.path[:len(c.path)-1]
		}
		c.listItem = true
		c.atKey = true
	default:
		c.atKey = true
	}
	return c
}

var flowPairRE = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_-]*):\s*([^,{}\[\]\s]*)`)

// commentStart is the index of a comment's # in line, or -1.
func commentStart(line string) int {
	var quote byte
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '"' || ch == '\'':
			quote = ch
		case ch == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return i
		}
	}
	return -1
}
