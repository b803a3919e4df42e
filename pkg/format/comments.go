package format

import (
	"bytes"
	"strings"

	"gopkg.in/yaml.v3"
)

// comment is one `#` comment as it appears in the text, found by reading
// the characters, not by the YAML parser (which drops some).
type comment struct {
	Line, Column int // 1-based; Column counts code points
	Text         string
	// Trailing is true for a comment after other content on its line.
	Trailing bool
}

// scalarStart is a quoted or block scalar that starts at a position: the
// places where a `#` is text, not a comment.
type scalarStart struct {
	style yaml.Style
	// parentIndent is the indentation of the block collection holding a
	// block scalar (-1 at the top), which an explicit indentation
	// indicator is relative to.
	parentIndent int
}

type position struct{ line, col int }

// scalarStarts lists the quoted and block scalars of the tree by position.
func scalarStarts(root *yaml.Node) map[position]scalarStart {
	starts := map[position]scalarStart{}
	var walk func(n *yaml.Node, parentIndent int, depth int)
	walk = func(n *yaml.Node, parentIndent int, depth int) {
		if n == nil || depth > 10000 {
			return
		}
		switch n.Kind {
		case yaml.ScalarNode:
			if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				starts[position{n.Line, n.Column}] = scalarStart{style: n.Style, parentIndent: parentIndent}
			}
		case yaml.MappingNode, yaml.SequenceNode, yaml.DocumentNode:
			indent := parentIndent
			if n.Kind != yaml.DocumentNode && n.Style&yaml.FlowStyle == 0 {
				indent = n.Column - 1
			}
			for _, c := range n.Content {
				walk(c, indent, depth+1)
			}
		}
	}
	walk(root, -1, 0)
	return starts
}

// scanComments finds every comment of text. root is text's parse tree,
// whose quoted and block scalars are skipped: a `#` in them is not a
// comment.
func scanComments(text []byte, root *yaml.Node) []comment {
	starts := scalarStarts(root)
	s := &scanner{src: text, line: 1, col: 1}
	var out []comment
	var pending *scalarStart
	lineHasContent := false
	for s.i < len(s.src) {
		afterName := s.afterName
		s.afterName = false
		if st, ok := starts[position{s.line, s.col}]; ok {
			st := st
			pending = &st
		}
		r := s.src[s.i]
		switch {
		case r == '\n':
			lineHasContent = false
			s.next()
		case r == ' ' || r == '\t':
			s.next()
		case r == '#' && (s.i == 0 || afterName || strings.IndexByte(" \t\n,[]{}", s.src[s.i-1]) >= 0 || bytes.HasSuffix(s.src[:s.i], bom)):
			// A # after a flow indicator: libyaml starts a comment there.
			out = append(out, s.comment(lineHasContent))
		case pending != nil && (r == '\'' || r == '"') && pending.style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0:
			pending = nil
			lineHasContent = true
			s.quoted(r)
			if s.i < len(s.src) && s.src[s.i] == '#' {
				// libyaml takes a # right after a closing quote for a
				// comment; so must we.
				out = append(out, s.comment(true))
			}
		case pending != nil && (r == '|' || r == '>') && pending.style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
			parent := pending.parentIndent
			pending = nil
			lineHasContent = true
			out = append(out, s.blockScalar(parent)...)
		case r == '-' && (s.i+1 == len(s.src) || strings.IndexByte(" \t\n", s.src[s.i+1]) >= 0):
			// A list item's dash: a comment after it alone is a comment
			// on the item, as if on a line of its own (yaml.v3 writes a
			// head comment of an item's first key so).
			s.next()
		default:
			lineHasContent = true
			if r != '&' && r != '!' {
				// Anchors and tags come before the scalar they
				// belong to; anything else ends the wait.
				pending = nil
			}
			s.token()
		}
	}
	return out
}

// scanner reads text byte by byte; every character that matters is ASCII,
// and columns count code points.
type scanner struct {
	src       []byte
	i         int
	line, col int
	// afterName is set right after an anchor or alias name, which ends
	// at a #: libyaml reads that # as the start of a comment.
	afterName bool
}

func (s *scanner) next() {
	switch b := s.src[s.i]; {
	case b == '\n':
		s.line++
		s.col = 1
	case b&0xc0 != 0x80: // not a continuation byte: a new code point
		s.col++
	}
	s.i++
}

// comment reads the comment at the cursor, to the end of its line.
func (s *scanner) comment(trailing bool) comment {
	c := comment{Line: s.line, Column: s.col, Trailing: trailing}
	start := s.i
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		s.next()
	}
	c.Text = strings.TrimRight(string(s.src[start:s.i]), " \t")
	return c
}

// token skips a flow indicator, or else up to the next blank, line
// break, flow indicator or #.
func (s *scanner) token() {
	r := s.src[s.i]
	s.next()
	if strings.IndexByte(",[]{}", r) >= 0 {
		return
	}
	if r == '&' || r == '*' {
		for s.i < len(s.src) && isNameChar(s.src[s.i]) {
			s.next()
		}
		s.afterName = s.i < len(s.src) && s.src[s.i] == '#'
		if s.afterName {
			return
		}
	}
	for s.i < len(s.src) && strings.IndexByte(" \t\n,[]{}#", s.src[s.i]) < 0 {
		s.next()
	}
}

func isNameChar(r byte) bool {
	return r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// quoted skips a quoted scalar that starts at the quote q.
func (s *scanner) quoted(q byte) {
	s.next()
	for s.i < len(s.src) {
		r := s.src[s.i]
		switch {
		case q == '"' && r == '\\':
			s.next()
			if s.i < len(s.src) {
				s.next()
			}
		case r == q:
			s.next()
			if q == '\'' && s.i < len(s.src) && s.src[s.i] == '\'' {
				s.next() // '' is an escaped quote
				continue
			}
			return
		default:
			s.next()
		}
	}
}

// blockScalar skips a block scalar whose indicator (| or >) is at the
// cursor, and returns the comment on its header line, if any.
func (s *scanner) blockScalar(parentIndent int) []comment {
	s.next()
	explicit := 0
	for s.i < len(s.src) && strings.IndexByte("+-0123456789", s.src[s.i]) >= 0 {
		if r := s.src[s.i]; r >= '1' && r <= '9' {
			explicit = int(r - '0')
		}
		s.next()
	}
	var out []comment
	for s.i < len(s.src) && s.src[s.i] != '\n' {
		if s.src[s.i] == '#' {
			out = append(out, s.comment(true))
			break
		}
		s.next()
	}
	if s.i >= len(s.src) {
		return out
	}
	// The content: lines indented at least as deep as the first non-empty
	// one (or as the explicit indicator says), and empty lines between.
	indent := 0
	if explicit > 0 {
		indent = max(parentIndent, 0) + explicit
	} else {
		maxEmpty := 0
		for j := s.i + 1; j < len(s.src); {
			k := j
			for k < len(s.src) && s.src[k] == ' ' {
				k++
			}
			if k < len(s.src) && s.src[k] != '\n' {
				indent = k - j
				break
			}
			maxEmpty = max(maxEmpty, k-j)
			j = k + 1
			if k >= len(s.src) {
				break
			}
		}
		indent = max(indent, maxEmpty, parentIndent+1, 1)
	}
	for s.i < len(s.src) {
		// s.i is at the \n ending the previous line.
		j := s.i + 1
		k := j
		for k < len(s.src) && s.src[k] == ' ' {
			k++
		}
		if k < len(s.src) && s.src[k] != '\n' && k-j < indent {
			return out // a less indented line ends the scalar
		}
		s.next() // the \n
		for s.i < len(s.src) && s.src[s.i] != '\n' {
			s.next()
		}
	}
	return out
}
