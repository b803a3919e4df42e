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

// verify checks that out is a faithful and stable layout of text: the same
// values, every comment kept beside the same content, and out formats to
// itself. Any failure refuses the file.
func verify(path string, text, out []byte, k kind) error {
	in, err := parse(text)
	if err != nil {
		return &Error{Path: path, Rule: "syntax", Msg: err.Error()}
	}
	got, err := parse(out)
	if err != nil {
		return internalError(path, "the formatted text does not parse: "+err.Error())
	}
	if canonical(in) != canonical(got) {
		return internalError(path, "the formatted text would not mean the same")
	}
	if err := sameComments(path, text, in, out, got); err != nil {
		return err
	}
	again, err := layout(path, out, k)
	if err != nil {
		return internalError(path, "formatting the formatted text fails: "+err.Error())
	}
	if !bytes.Equal(again, out) {
		line := 1 + bytes.Count(out[:commonPrefix(again, out)], []byte("\n"))
		return &Error{Path: path, Rule: Rule, Msg: fmt.Sprintf(
			"yaml.v3 cannot lay this file out stably (line %d of the formatted text changes again when formatted twice); not formatted: please report it with the file", line)}
	}
	return nil
}

func internalError(path, msg string) error {
	return &Error{Path: path, Rule: Rule, Msg: "internal error: " + msg + "; not formatted: please report it with the file"}
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
			return internalError(path, fmt.Sprintf("the formatted text has a comment the file did not have (%q)", a.Text))
		}
	}
	return nil
}
