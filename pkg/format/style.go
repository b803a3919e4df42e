package format

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// unflow turns a flow collection written over several lines into block
// style: yaml.v3 would write it on one line, however long, and comments
// inside it find a better place in block style. A flow collection that
// fits on the line where it starts stays as it is.
func unflow(n *yaml.Node) {
	if n == nil || n.Kind == yaml.AliasNode {
		return
	}
	if (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle != 0 && len(n.Content) > 0 && lastLine(n) > n.Line {
		n.Style &^= yaml.FlowStyle
	}
	for _, c := range n.Content {
		unflow(c)
	}
}

// lastLine is the line where the last node of the tree n starts.
func lastLine(n *yaml.Node) int {
	line := n.Line
	for _, c := range n.Content {
		if c.Kind != yaml.AliasNode {
			line = max(line, lastLine(c))
		} else {
			line = max(line, c.Line)
		}
	}
	return line
}

// requote chooses the quoting of every string scalar: plain when that is
// safe, else double quotes, except that a single-quoted string holding a
// `"` or a `\` stays single-quoted (no escapes needed). A plain string the
// encoder could not write plain (it would pick single quotes on its own)
// gets double quotes too, so that the result is stable. Block scalars and
// explicitly tagged scalars are left as written.
func requote(n *yaml.Node, inFlow, isKey bool) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			requote(c, false, false)
		}
	case yaml.MappingNode, yaml.SequenceNode:
		flow := inFlow || n.Style&yaml.FlowStyle != 0
		for i, c := range n.Content {
			requote(c, flow, n.Kind == yaml.MappingNode && i%2 == 0)
		}
	case yaml.ScalarNode:
		if n.Style&yaml.TaggedStyle != 0 {
			return
		}
		if n.ShortTag() == "!!null" && n.Value == "" && (inFlow || isKey) {
			// An empty null where the encoder would write '' (a string).
			n.Value = "null"
			return
		}
		if n.ShortTag() != "!!str" {
			return
		}
		quoted := n.Style & (yaml.SingleQuotedStyle | yaml.DoubleQuotedStyle)
		switch {
		case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		case quoted == 0:
			if !emitterPlain(n.Value, inFlow, isKey) {
				n.Style |= yaml.DoubleQuotedStyle
			}
		case plainSafe(n.Value, inFlow, isKey):
			n.Style &^= quoted
		case quoted == yaml.SingleQuotedStyle && strings.ContainsAny(n.Value, `"\`) && singleSafe(n.Value):
			// keep
		default:
			n.Style = n.Style&^quoted | yaml.DoubleQuotedStyle
		}
	}
}

// plainSafe reports whether s can be written without quotes and be read
// back as the same string, by yaml.v3 and by YAML 1.1 readers, and without
// looking like a number to a human.
func plainSafe(s string, inFlow, isKey bool) bool {
	if !emitterPlain(s, inFlow, isKey) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	// Indicators, and the beginnings of numbers, dates and versions.
	if strings.ContainsRune("-?:,[]{}#&*!|>'\"%@`+.0123456789~=<", first) {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	// A # right after a comma starts a comment for libyaml in some
	// places; keep such text quoted.
	if strings.Contains(s, ",#") {
		return false
	}
	// Brackets and braces are fine in plain text outside flow collections,
	// but read like one: text with them stays quoted (a pattern such as
	// "^[a-z]+$", a title such as "Sign up [beta]").
	if strings.ContainsAny(s, "[]{}") || inFlow && strings.ContainsAny(s, ",:#") {
		return false
	}
	for _, r := range s {
		if r != ' ' && (!unicode.IsPrint(r) || r == '\ufeff') {
			return false
		}
	}
	if yaml11Special(s) {
		return false
	}
	// Finally, ask the parser: it must read the plain text as this string.
	// (The rules above already exclude every other reading; a long text
	// is not worth parsing again.)
	if len(s) > 256 {
		return true
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(s), &n); err != nil || len(n.Content) != 1 {
		return false
	}
	v := n.Content[0]
	return v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Value == s && v.Style == 0
}

// emitterPlain reports whether the yaml.v3 encoder writes s as a plain
// scalar when asked to (it is yaml_emitter_analyze_scalar's rule), with
// one difference: characters beyond the Basic Multilingual Plane, which
// the encoder escapes, count as printable, because the layout hides them
// from the encoder (see hideAstral).
func emitterPlain(s string, inFlow, isKey bool) bool {
	if s == "" {
		return !inFlow && !isKey
	}
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		return false
	}
	rs := []rune(s)
	if rs[0] == ' ' || rs[len(rs)-1] == ' ' {
		return false
	}
	var flowInd, blockInd bool
	preceded := true
	for i, r := range rs {
		followed := i+1 >= len(rs) || rs[i+1] == ' ' || rs[i+1] == '\t'
		if i == 0 {
			switch r {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				flowInd, blockInd = true, true
			case '?', ':':
				flowInd = true
				blockInd = blockInd || followed
			case '-':
				if followed {
					flowInd, blockInd = true, true
				}
			}
		} else {
			switch r {
			case ',', '?', '[', ']', '{', '}':
				flowInd = true
			case ':':
				flowInd = true
				blockInd = blockInd || followed
			case '#':
				if preceded {
					flowInd, blockInd = true, true
				}
			}
		}
		if r == '\t' || !emitterPrintable(r) || r == '\n' || r == 0x2028 || r == 0x2029 {
			return false
		}
		preceded = r == ' '
	}
	if inFlow {
		return !flowInd
	}
	return !blockInd
}

// emitterPrintable is yaml.v3's is_printable, plus the astral planes.
func emitterPrintable(r rune) bool {
	switch {
	case r == '\n', r >= 0x20 && r <= 0x7e, r >= 0xa0 && r <= 0xd7ff:
		return true
	case r >= 0xe000 && r <= 0xfffd:
		return r != 0xfeff
	case r >= 0x10000 && r <= 0x10ffff:
		return unicode.IsPrint(r)
	}
	return false
}

// yaml11Special reports the words YAML 1.1 reads as booleans or null.
func yaml11Special(s string) bool {
	switch strings.ToLower(s) {
	case "y", "yes", "n", "no", "on", "off", "true", "false", "null", "~":
		return true
	}
	return false
}

// singleSafe reports whether s can be written single-quoted on one line.
func singleSafe(s string) bool {
	if !utf8.ValidString(s) || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		return false
	}
	for _, r := range s {
		if r != ' ' && (!unicode.IsPrint(r) || r == '\ufeff') {
			return false
		}
	}
	return true
}

// hideAstral replaces every character beyond the Basic Multilingual Plane
// in the scalars of the tree by a private-use character that text does
// not contain, because the encoder escapes the former ("\U0001F680") and
// writes the latter as they are. It returns the replacer that undoes it,
// or nil when there is nothing to undo (or not enough private-use
// characters: then the escapes stay, which is still correct).
func hideAstral(doc *yaml.Node, text []byte) *strings.Replacer {
	used := map[rune]bool{}
	var astral []rune
	for _, r := range string(text) {
		if r >= 0xe000 && r <= 0xf8ff {
			used[r] = true
		}
		if r >= 0x10000 && !used[r] {
			used[r] = true
			astral = append(astral, r)
		}
	}
	if len(astral) == 0 {
		return nil
	}
	hide := map[rune]rune{}
	var undo []string
	next := rune(0xe000)
	for _, r := range astral {
		for next <= 0xf8ff && used[next] {
			next++
		}
		if next > 0xf8ff {
			return nil
		}
		hide[r] = next
		undo = append(undo, string(next), string(r))
		next++
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			n.Value = strings.Map(func(r rune) rune {
				if h, ok := hide[r]; ok {
					return h
				}
				return r
			}, n.Value)
		}
		if n.Kind != yaml.AliasNode {
			for _, c := range n.Content {
				walk(c)
			}
		}
	}
	walk(doc)
	return strings.NewReplacer(undo...)
}
