package format

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"gopkg.in/yaml.v3"
)

// layout formats text (BOM dropped, \n line breaks) without checking the
// result. On the node tree: put the comments yaml.v3 misplaced back,
// sort the keys, turn multi-line flow collections into block style, move
// the foot comments yaml.v3 would write badly, choose the quoting, mark
// the places of blank lines with a comment, and swap block scalars and
// characters the encoder would mangle for placeholders. Then encode, and
// turn the placeholders and marks back into text.
func layout(path string, text []byte, k kind) ([]byte, error) {
	doc, err := parse(text)
	if err != nil {
		return nil, &Error{Path: path, Rule: "syntax", Msg: err.Error()}
	}
	return layoutDoc(path, text, doc, k)
}

// layoutDoc is layout of doc, the parse of text, which it rearranges.
func layoutDoc(path string, text []byte, doc *yaml.Node, k kind) ([]byte, error) {
	if doc == nil || len(doc.Content) == 0 || isImplicitNull(doc.Content[0]) {
		return asIs(text), nil
	}
	root := doc.Content[0]
	fixFeet(doc, text)
	s := journeyShape
	if k == configKind {
		s = configShape
	}
	reorderRoot(doc, root, s)
	unflow(doc)
	moveFeet(doc, false)
	if err := checkAliases(path, doc); err != nil {
		return nil, err
	}
	requote(doc, false, false)
	untagMerge(doc)
	marker := blankMarker(text)
	markBlankLines(root, k, marker)
	settleFeet(doc, marker)
	blocks := markBlockScalars(doc, text)
	if err := checkBlockScalars(path, doc); err != nil {
		return nil, err
	}
	astral := hideAstral(doc, text)
	out, err := encode(doc)
	if err != nil {
		return nil, internalError(path, doc, "the YAML encoder failed: "+err.Error())
	}
	if astral != nil {
		out = []byte(astral.Replace(string(out)))
	}
	out = restoreBlockScalars(out, blocks)
	return blankLines(out, marker), nil
}

// isImplicitNull tells a document with nothing in it from one whose
// content is an explicit null.
func isImplicitNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && n.Value == "" && n.Style == 0 && n.Anchor == ""
}

// asIs is the layout of a file with no content: its comments as they are,
// ending with one line break; nothing at all when it is blank.
func asIs(text []byte) []byte {
	text = bytes.TrimRight(text, " \t\n")
	if len(text) == 0 {
		return []byte{}
	}
	return append(slices.Clip(text), '\n')
}

// checkAliases makes sure that, in the new key order, every alias still
// comes after the anchor it refers to; otherwise the file would no longer
// parse (or an alias would refer to another anchor of the same name).
func checkAliases(path string, doc *yaml.Node) error {
	defined := map[string]*yaml.Node{}
	var walk func(n *yaml.Node) error
	walk = func(n *yaml.Node) error {
		if n == nil {
			return nil
		}
		if n.Kind == yaml.AliasNode {
			if n.Alias != nil && defined[n.Value] != n.Alias {
				anchor := journey.Pos{Line: n.Alias.Line, Column: n.Alias.Column}
				return &Error{Path: path, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: n.Column + 1 + len([]rune(n.Value)), Rule: Rule,
					Msg:     fmt.Sprintf("the alias *%s would come before its anchor &%s once keys are in canonical order, and the file would no longer mean the same: move the anchored value into a key that comes earlier, or repeat it (not formatted)", n.Value, n.Value),
					Related: []diag.Related{{File: path, Range: journey.Range{Start: anchor, End: anchor}, Message: "the anchor &" + n.Value + " is here"}}}
			}
			return nil
		}
		if n.Anchor != "" {
			defined[n.Anchor] = n
		}
		for _, c := range n.Content {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(doc)
}

// checkBlockScalars refuses a block scalar that yaml.v3 would write back
// unreadable: one whose first line of text starts with a tab (the encoder
// writes no indentation indicator for it).
func checkBlockScalars(path string, doc *yaml.Node) error {
	var err error
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if err != nil || n.Kind == yaml.AliasNode {
			return
		}
		if n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && strings.HasPrefix(strings.TrimLeft(n.Value, "\n"), "\t") {
			err = &Error{Path: path, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: n.Column + 1, Rule: Rule,
				Msg: "this block scalar's text starts with a tab, which yaml.v3 cannot write back readably: start it with spaces, or quote it (not formatted)"}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc)
	return err
}

// blankMarker returns a comment text that does not occur in text: it
// stands for a blank line until the encoder has run.
func blankMarker(text []byte) string {
	for i := 0; ; i++ {
		m := "#journey-fmt-blank-line-" + strconv.Itoa(i)
		if !bytes.Contains(text, []byte(m)) {
			return m
		}
	}
}

// markBlankLines puts the marker above each entry that a blank line must
// precede: see the package documentation for the rules.
func markBlankLines(root *yaml.Node, k kind, marker string) {
	if root.Kind != yaml.MappingNode || root.Style&yaml.FlowStyle != 0 {
		return
	}
	compact := func(key, value *yaml.Node) bool {
		if k == journeyKind && key.Kind == yaml.ScalarNode {
			if slices.Contains(journeyHeader, key.Value) {
				return true
			}
			if slices.Contains(journeySections, key.Value) {
				return false
			}
		}
		return !isBlockCollection(value)
	}
	for i := 2; i+1 < len(root.Content); i += 2 {
		if !compact(root.Content[i-2], root.Content[i-1]) || !compact(root.Content[i], root.Content[i+1]) {
			mark(root.Content[i], marker)
		}
	}
	if k != journeyKind {
		return
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, stages := root.Content[i], root.Content[i+1]
		if key.Kind != yaml.ScalarNode || key.Value != "stages" || !isBlockCollection(stages) || stages.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range stages.Content[min(1, len(stages.Content)):] {
			mark(item, marker)
		}
		break
	}
}

// settleFeet moves the foot comments that end an entry (deep inside it)
// to the head of the next entry, unless a blank line will separate the
// two: yaml.v3 writes such a comment directly above the next, less
// indented, entry, and reads it back as that entry's head comment, so the
// result would change when formatted again. It stays where it is on the
// page, below the entry's content.
func settleFeet(n *yaml.Node, marker string) {
	if n.Kind == yaml.AliasNode {
		return
	}
	for _, c := range n.Content {
		settleFeet(c, marker)
	}
	if (n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode) || n.Style&yaml.FlowStyle != 0 {
		return
	}
	step := 1
	if n.Kind == yaml.MappingNode {
		step = 2
	}
	for i := 0; i+step < len(n.Content); i += step {
		end := n.Content[i+step-1] // the item, or the key's value
		next := n.Content[i+step]
		if strings.HasPrefix(next.HeadComment, marker) {
			continue
		}
		if feet := trailingFeet(end); feet != "" {
			next.HeadComment = joinComments(feet, next.HeadComment)
		}
	}
}

// trailingFeet removes and returns the foot comments written at the end of
// the tree n, in the order they come in the text.
func trailingFeet(n *yaml.Node) string {
	feet := ""
	if (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0 {
		last := n.Content[len(n.Content)-1]
		feet = trailingFeet(last)
		if n.Kind == yaml.MappingNode {
			key := n.Content[len(n.Content)-2]
			feet = joinComments(feet, key.FootComment)
			key.FootComment = ""
		}
	}
	feet = joinComments(feet, n.FootComment)
	n.FootComment = ""
	return feet
}

func mark(n *yaml.Node, marker string) {
	n.HeadComment = joinComments(marker, n.HeadComment)
}

func isBlockCollection(n *yaml.Node) bool {
	return (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0
}

// blankLines turns the marker lines into blank lines. A marker right
// after a blank line is dropped: the encoder writes one after a foot
// comment, and a block scalar kept with |+ may end with some.
func blankLines(out []byte, marker string) []byte {
	lines := bytes.SplitAfter(out, []byte("\n"))
	var b bytes.Buffer
	b.Grow(len(out))
	prevBlank := false
	for _, line := range lines {
		if string(bytes.TrimSpace(line)) == marker {
			if !prevBlank {
				b.WriteByte('\n')
			}
			prevBlank = true
			continue
		}
		b.Write(line)
		prevBlank = string(line) == "\n"
	}
	return b.Bytes()
}
