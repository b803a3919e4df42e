package format

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// checkStable makes verify also check that the result formats to itself.
// The tests and the fuzzer turn it on; a run of fmt does not pay for the
// second layout, since meaning and comments are proven without it.
var checkStable = false

// verify checks that out is a faithful layout of text, whose parse is in:
// the same values and every comment kept beside the same content; with
// checkStable, also that out formats to itself. Any failure refuses the
// file.
func verify(path string, text []byte, in *yaml.Node, out []byte, k kind) error {
	got, err := parse(out)
	if err != nil {
		return internalError(path, in, "the formatted text does not parse: "+err.Error())
	}
	if canonical(in) != canonical(got) {
		n := firstDifference(in, got)
		folded := n != nil && n.Kind == yaml.ScalarNode && n.Style&yaml.FoldedStyle != 0
		if folded {
			if _, ok := blockSource(bytes.Split(text, []byte("\n")), n); ok {
				folded = false // its lines were kept as written
			}
		}
		if !folded && keepsBlankLines(n) {
			return keepError(path, n)
		}
		if folded {
			return &Error{Path: path, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: n.Column + 1, Rule: Rule,
				Msg: "yaml.v3 cannot write this folded block scalar (>) back without changing its text (an indentation indicator, a tab or a line of only spaces keeps fmt from keeping its lines as they are): write it as a literal block scalar (|) or a quoted string (not formatted)"}
		}
		return internalError(path, n, "the formatted text would not mean the same here")
	}
	if err := sameComments(path, text, in, out, got); err != nil {
		return err
	}
	if !checkStable {
		return nil
	}
	again, err := layout(path, out, k)
	if err != nil {
		return internalError(path, in, "formatting the formatted text fails: "+err.Error())
	}
	if !bytes.Equal(again, out) {
		line := 1 + bytes.Count(out[:commonPrefix(again, out)], []byte("\n"))
		e := &Error{Path: path, Rule: Rule, Msg: fmt.Sprintf(
			"yaml.v3 cannot lay this file out stably (line %d of the formatted text changes again when formatted twice); not formatted: please report it with the file", line)}
		n := inputNode(in, got, line)
		if keepsBlankLines(n) {
			return keepError(path, n)
		}
		e.Line, e.Column = nodePosition(n)
		return e
	}
	return nil
}

// internalError is a failure of fmt itself, placed at n (the first node of
// the document when nothing better is known).
func internalError(path string, n *yaml.Node, msg string) *Error {
	e := &Error{Path: path, Rule: Rule, Msg: "internal error: " + msg + "; not formatted: please report it with the file"}
	for n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	e.Line, e.Column = 1, 1
	if n != nil && n.Line > 0 {
		e.Line, e.Column = n.Line, max(n.Column, 1)
	}
	return e
}

// firstDifference returns the deepest node of in whose value differs from
// the same place of got: keys are matched by value, items by index. It
// returns nil when the two mean the same.
func firstDifference(in, got *yaml.Node) *yaml.Node {
	if canonical(in) == canonical(got) {
		return nil
	}
	for {
		next := (*yaml.Node)(nil)
		if in.Kind == got.Kind {
			switch in.Kind {
			case yaml.DocumentNode, yaml.SequenceNode:
				for i, c := range in.Content {
					if i >= len(got.Content) {
						return c
					}
					if canonical(c) != canonical(got.Content[i]) {
						next = c
						got = got.Content[i]
						break
					}
				}
			case yaml.MappingNode:
				keys := map[string]*yaml.Node{}
				for i := 0; i+1 < len(got.Content); i += 2 {
					keys[canonical(got.Content[i])] = got.Content[i+1]
				}
				for i := 0; i+1 < len(in.Content); i += 2 {
					v, ok := keys[canonical(in.Content[i])]
					if !ok {
						return in.Content[i]
					}
					if canonical(in.Content[i+1]) != canonical(v) {
						next = in.Content[i+1]
						got = v
						break
					}
				}
			}
		}
		if next == nil {
			return in
		}
		in = next
	}
}

// keepsBlankLines tells a block scalar with keep chomping (|+ or >+) that
// ends with blank lines: yaml.v3 cannot always write a comment or the end
// of a collection after those without moving a line into or out of them.
func keepsBlankLines(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && strings.HasSuffix(n.Value, "\n\n")
}

func keepError(path string, n *yaml.Node) *Error {
	return &Error{Path: path, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: n.Column + 1, Rule: Rule,
		Msg: "yaml.v3 cannot keep the blank lines that end this block scalar (keep chomping, |+ or >+) here (before a comment, or at the end of a list or mapping): drop the + so that the text ends with one line break, or write it as a quoted string (not formatted)"}
}

// nodePosition is where n starts, 1:1 when unknown.
func nodePosition(n *yaml.Node) (int, int) {
	if n == nil || n.Line < 1 {
		return 1, 1
	}
	return n.Line, max(n.Column, 1)
}

// inputNode maps a line of the formatted text to the node of the input
// that is the last one starting on or before it (keys matched by value,
// items by index).
func inputNode(in, got *yaml.Node, line int) *yaml.Node {
	var best, bestOut *yaml.Node
	var walk func(g, n *yaml.Node, depth int)
	walk = func(g, n *yaml.Node, depth int) {
		if g == nil || n == nil || g.Line > line || depth > 10000 {
			return
		}
		if n.Kind != yaml.DocumentNode && (bestOut == nil || g.Line >= bestOut.Line) {
			best, bestOut = n, g
		}
		if g.Kind != n.Kind {
			return
		}
		if g.Kind != yaml.MappingNode {
			for i, c := range g.Content {
				if i < len(n.Content) {
					walk(c, n.Content[i], depth+1)
				}
			}
			return
		}
		keys := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			keys[canonical(n.Content[i])] = i
		}
		for i := 0; i+1 < len(g.Content); i += 2 {
			if j, ok := keys[canonical(g.Content[i])]; ok {
				walk(g.Content[i], n.Content[j], depth+1)
				walk(g.Content[i+1], n.Content[j+1], depth+1)
			}
		}
	}
	walk(got, in, 0)
	return best
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// canonical describes the values of a document, independent of key order,
// quoting and layout; aliases are compared by anchor name.
func canonical(doc *yaml.Node) string {
	var walk func(n *yaml.Node) string
	walk = func(n *yaml.Node) string {
		if n == nil {
			return "~"
		}
		prefix := ""
		if n.Anchor != "" {
			prefix = "&" + strconv.Quote(n.Anchor)
		}
		switch n.Kind {
		case yaml.DocumentNode:
			parts := make([]string, len(n.Content))
			for i, c := range n.Content {
				parts[i] = walk(c)
			}
			return "doc(" + strings.Join(parts, ",") + ")"
		case yaml.SequenceNode:
			parts := make([]string, len(n.Content))
			for i, c := range n.Content {
				parts[i] = walk(c)
			}
			return prefix + n.Tag + "[" + strings.Join(parts, ",") + "]"
		case yaml.MappingNode:
			parts := make([]string, 0, len(n.Content)/2)
			for i := 0; i+1 < len(n.Content); i += 2 {
				parts = append(parts, walk(n.Content[i])+":"+walk(n.Content[i+1]))
			}
			sort.Strings(parts)
			return prefix + n.Tag + "{" + strings.Join(parts, ",") + "}"
		case yaml.AliasNode:
			return "*" + strconv.Quote(n.Value)
		}
		if n.ShortTag() == "!!null" && n.Style&yaml.TaggedStyle == 0 {
			return prefix + "null" // ~, null, Null or nothing at all
		}
		return prefix + n.Tag + strconv.Quote(n.Value)
	}
	return walk(doc)
}

// nodeIndex knows, for a parsed text, which nodes start on each line, by
// their path in the tree (independent of key order).
type nodeIndex struct {
	byLine map[int][]string
	lines  []int // the lines with a node start, in order
}

// sep separates the steps of a node path; strconv.Quote never leaves one
// in a key.
const sep = "\x00"

func indexNodes(doc *yaml.Node) *nodeIndex {
	ix := &nodeIndex{byLine: map[int][]string{}}
	var walk func(n *yaml.Node, path string, depth int)
	walk = func(n *yaml.Node, path string, depth int) {
		if n == nil || depth > 10000 {
			return
		}
		// Block collections start where their first entry does: they
		// would make every line of a first entry look alike.
		if n.Kind == yaml.ScalarNode || n.Kind == yaml.AliasNode || n.Style&yaml.FlowStyle != 0 {
			ix.byLine[n.Line] = append(ix.byLine[n.Line], path)
		}
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, path+sep+strconv.Itoa(i), depth+1)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				name := "?" + strconv.Itoa(i/2)
				if k.Kind == yaml.ScalarNode {
					name = strconv.Quote(k.Value)
				}
				walk(k, path+sep+name+"#key", depth+1)
				walk(n.Content[i+1], path+sep+name, depth+1)
			}
		}
	}
	walk(doc, "", 0)
	for l := range ix.byLine {
		ix.lines = append(ix.lines, l)
	}
	slices.Sort(ix.lines)
	return ix
}

// before returns the nodes of the last line before line that has any;
// "^" at the top.
func (ix *nodeIndex) before(line int) []string {
	i, _ := slices.BinarySearch(ix.lines, line)
	if i == 0 {
		return []string{"^"}
	}
	return ix.byLine[ix.lines[i-1]]
}

// after returns the nodes of the first line after line that has any; "$"
// at the end.
func (ix *nodeIndex) after(line int) []string {
	i, found := slices.BinarySearch(ix.lines, line)
	if found {
		i++
	}
	if i >= len(ix.lines) {
		return []string{"$"}
	}
	return ix.byLine[ix.lines[i]]
}

// placed is a comment with the content it sits beside.
type placed struct {
	comment
	on            []string // a line comment: the nodes on its line
	above, below  []string // a comment on its own line: its neighbours
	matched, used bool
}

func place(cs []comment, ix *nodeIndex) []placed {
	out := make([]placed, len(cs))
	for i, c := range cs {
		p := placed{comment: c}
		if c.Trailing {
			p.on = ix.byLine[c.Line]
			if len(p.on) == 0 {
				p.on = ix.before(c.Line)
			}
		} else {
			p.above, p.below = ix.before(c.Line), ix.after(c.Line)
		}
		out[i] = p
	}
	return out
}

// closesSame reports whether both comments close the same mapping or
// list: what is above them is in it, what is below them is not. (A comment
// below the last entry of a mapping stays at its end when the keys are
// sorted, below another entry.)
func closesSame(a, b *placed) bool {
	for _, x := range a.above {
		p := parentPath(x)
		if p == "" {
			continue
		}
		for _, y := range b.above {
			if parentPath(y) == p && !inside(a.below, p) && !inside(b.below, p) {
				return true
			}
		}
	}
	return false
}

// parentPath is the path of the mapping or list holding the node at path.
func parentPath(path string) string {
	i := strings.LastIndex(path, sep)
	if i < 0 {
		return ""
	}
	return path[:i]
}

func inside(paths []string, parent string) bool {
	for _, p := range paths {
		if strings.HasPrefix(p, parent+sep) {
			return true
		}
	}
	return false
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// where describes the place of a comment on line that yaml.v3 cannot
// keep.
func where(doc *yaml.Node, line int) string {
	var inFlow, afterProps bool
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 10000 || n.Kind == yaml.AliasNode {
			return
		}
		if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
			if n.Style&yaml.FlowStyle != 0 && n.Line <= line && line <= lastLine(n) {
				inFlow = true
			}
			if n.Style&yaml.FlowStyle == 0 && n.Line == line && (n.Anchor != "" || n.Style&yaml.TaggedStyle != 0) {
				afterProps = true
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	switch {
	case inFlow:
		return " in a flow collection ([...] or {...})"
	case afterProps:
		return " after an anchor or tag"
	}
	return ""
}

// sameComments checks that every comment of the input is in the output,
// as a line comment on the same content or as a comment line next to the
// same content, and that the output has no other.
func sameComments(path string, text []byte, in *yaml.Node, out []byte, got *yaml.Node) error {
	before := place(scanComments(text, in), indexNodes(in))
	after := place(scanComments(out, got), indexNodes(got))
	type kind struct {
		text     string
		trailing bool
	}
	// The output's comments of each text, in order; an input comment tries
	// the one at its own rank among its text first (the same comment
	// written many times), then the others.
	byKind := map[kind][]*placed{}
	for j := range after {
		k := kind{after[j].Text, after[j].Trailing}
		byKind[k] = append(byKind[k], &after[j])
	}
	rank := map[kind]int{}
	for i := range before {
		b := &before[i]
		k := kind{b.Text, b.Trailing}
		candidates := byKind[k]
		r := rank[k]
		rank[k]++
		matches := func(a *placed) bool {
			if a.used {
				return false
			}
			if b.Trailing {
				return intersects(a.on, b.on)
			}
			return intersects(a.above, b.above) || intersects(a.below, b.below) || closesSame(b, a)
		}
		if r < len(candidates) && matches(candidates[r]) {
			candidates[r].used, b.matched = true, true
			continue
		}
		for _, a := range candidates {
			if matches(a) {
				a.used, b.matched = true, true
				break
			}
		}
	}
	for _, b := range before {
		if b.matched {
			continue
		}
		lost := true
		for _, a := range after {
			if !a.used && a.Text == b.Text {
				lost = false
			}
		}
		what := "would move to another line"
		if !b.Trailing {
			what = "would move away from the content it is next to"
		}
		if lost {
			what = "would be lost"
		}
		return &Error{Path: path, Line: b.Line, Column: b.Column, EndLine: b.Line, EndColumn: b.Column + len([]rune(b.Text)), Rule: Rule,
			Msg: fmt.Sprintf("this comment%s %s: yaml.v3, the YAML library, cannot keep it there; put it on a line of its own above the entry it is about (not formatted)", where(in, b.Line), what)}
	}
	for _, a := range after {
		if !a.used {
			e := internalError(path, in, fmt.Sprintf("the formatted text has a comment the file did not have (%q)", a.Text))
			e.Line, e.Column = nodePosition(inputNode(in, got, a.Line))
			return e
		}
	}
	return nil
}
