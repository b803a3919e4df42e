// Package format rewrites journey files and workspace configurations in
// their canonical layout (`journey fmt`). It works on the yaml.v3 node
// tree, so that comments, anchors, flow style and block scalars survive,
// and checks its own result before returning it.
//
// The canonical layout:
//
//   - Keys of every known object come in the order of the tables of the
//     format (docs/format.md; for .journey.yaml: journeys, teams, personas,
//     channels, utm {required, values, patterns}, rules). A `<<` merge key
//     comes first; `x-` extension keys and unknown keys follow the known
//     ones in the order they were written, except that one holding an
//     anchor moves up to just before the first entry that refers to it, so
//     that aliases still follow their anchors. Maps whose keys are data
//     (an `emotion` per persona, `utm.values`, `rules`) keep their order;
//     list items are never reordered.
//   - Two spaces of indentation; list items are indented under their key.
//   - Blank lines: exactly one between two items of a journey's `stages`
//     list, and one between two top-level entries unless both are compact.
//     In a journey the header keys (journey, title, description, owner,
//     tags, status, links) are compact, the sections personas, channels,
//     phases, stages and metrics never are, and any other top-level key is
//     compact when its value is not a block mapping or block list. In a
//     .journey.yaml a top-level entry is compact when its value is not a
//     block mapping or block list. There are no other blank lines, except
//     inside block scalars, between the paragraphs of a comment block, after
//     a comment block that ends a top-level entry, and after the file's
//     header comment when a blank line separated it from the first key.
//   - Comments stay with the entry they were written above (head), beside
//     (line) or below (foot), and move with it. The comment block at the
//     top of the file stays at the top, and one below the last entry of a
//     mapping stays at its end (the last comment of the file stays last). A
//     comment that yaml.v3 would attach to the entry above although it is
//     written right above the next entry, less indented (a banner between
//     two stages), becomes the next entry's head comment.
//   - Scalars keep their value and type. A quoted string is written plain
//     when that is safe: YAML reads it back as the same string, no YAML 1.1
//     reader would take it for a boolean or null ("yes", "no", "on", "off",
//     "y", "n", "~"), it does not begin like a number (so "25%", "1.0" and
//     "2024-05-01" stay quoted) and holds no bracket or brace (a pattern
//     such as "^[a-z]+$" stays quoted); otherwise it is double-quoted,
//     except that a single-quoted string that contains `"` or `\` stays
//     single-quoted. A plain string is written as it was (yaml.v3 reads a
//     plain yes or on as a string, and so does the loader). Literal (|) and
//     folded (>) block scalars keep their style and their lines as written.
//     Characters beyond the Basic Multilingual Plane (emoji) are written
//     as they are, not escaped.
//   - A flow collection ({...} or [...]) written on one line stays in flow
//     style; one written over several lines becomes block style (yaml.v3
//     would put it on one line, however long: a JSON file becomes YAML).
//   - Anchors, aliases and tags are kept.
//   - A UTF-8 byte order mark is dropped. The output uses the line ending
//     of the file's first line (CRLF stays CRLF, anything else becomes LF)
//     and ends with a line break.
//
// Format refuses a file (an *Error with its position; the caller leaves
// the file as it is) when it is not one valid YAML document, and when
// yaml.v3 cannot keep one of its comments: the output must parse to the
// same values, hold every comment of the input on the same line (a line
// comment) or next to the same content (a comment on a line of its own),
// and be a fixed point of Format. yaml.v3 loses or moves some comments
// inside flow collections, after an anchor or a tag, and after the
// closing bracket of a flow collection written over several lines.
package format

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"github.com/journeykit/journey/pkg/load"
	"gopkg.in/yaml.v3"
)

// Rule is the rule id of findings about files that fmt refuses for a
// reason other than a syntax error.
const Rule = "fmt"

// Error is why a file cannot be formatted, with where it happened.
type Error struct {
	Path string
	// Line and Column are 1-based; 0 when the problem has no place.
	Line, Column int
	// EndLine and EndColumn close the range (exclusive column), when known.
	EndLine, EndColumn int
	// Rule is "syntax" when the file is not valid YAML (or not one sound
	// document), else Rule ("fmt").
	Rule string
	Msg  string
	// Related lists other places that explain the error.
	Related []diag.Related
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Diagnostic returns the error as a finding, for the finding writers.
func (e *Error) Diagnostic() diag.Diagnostic {
	start := journey.Pos{Line: e.Line, Column: e.Column}
	end := journey.Pos{Line: e.EndLine, Column: e.EndColumn}
	if end.Line == 0 {
		end = start
	}
	return diag.Diagnostic{File: e.Path, Range: journey.Range{Start: start, End: end},
		Severity: diag.Error, Rule: e.Rule, Message: e.Msg, Related: e.Related}
}

// IsConfig reports whether path names a workspace configuration file
// (.journey.yaml or .journey.yml), which has its own key order.
func IsConfig(path string) bool {
	return load.IsConfigFile(path)
}

// Format returns src in the canonical layout. path decides whether src is
// a journey or a workspace configuration and names the file in errors.
// A file that is not valid YAML, or that cannot be formatted without
// losing a comment, gives an *Error and no output.
//
// The text is parsed once for the checks and the proof, and once more as
// the formatted result: the proof (verify) is that the result means the
// same and keeps every comment beside the same content. That the result
// formats to itself is checked by the tests and the fuzzer (checkStable),
// not on every run: it costs a second layout.
func Format(path string, src []byte) ([]byte, error) {
	if err := checkEstimate(path, src); err != nil {
		return nil, err
	}
	if err := checkSyntax(path, src); err != nil {
		return nil, err
	}
	text, crlf := normalize(src)
	in, err := parse(text)
	if err != nil {
		return nil, &Error{Path: path, Rule: "syntax", Msg: err.Error()}
	}
	if err := checkNodes(path, in); err != nil {
		return nil, err
	}
	kind := journeyKind
	if IsConfig(path) {
		kind = configKind
	}
	out, err := layoutDoc(path, text, cloneTree(in), kind)
	if err != nil {
		return nil, err
	}
	if err := verify(path, text, in, out, kind); err != nil {
		return nil, err
	}
	if crlf {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	return out, nil
}

// MaxNodes is the most YAML nodes (keys, values and list items) of a file
// that Format formats. yaml.v3's encoder keeps every event of a document
// until the end (about 4 KiB per node in all, for the several passes
// Format makes), so a larger file is refused instead of taking gigabytes:
// 100,000 nodes are some 10,000 stages, twenty times a large journey.
const MaxNodes = 100_000

func tooManyNodes(path string, line, col int) error {
	return &Error{Path: path, Line: line, Column: col, Rule: Rule,
		Msg: "this file has more than 100,000 YAML nodes (keys, values and list items), more than fmt formats: split it into several journeys (not formatted)"}
}

// checkEstimate refuses a file with many times more separators than
// MaxNodes before it is parsed at all.
func checkEstimate(path string, src []byte) error {
	estimate := 0
	for _, c := range src {
		switch c {
		case ':', ',', '-', '[', '{', '\n':
			estimate++
		}
	}
	if estimate > 3*MaxNodes {
		return tooManyNodes(path, 1, 1)
	}
	return nil
}

// checkNodes refuses a document of more than MaxNodes nodes, at the first
// node past the limit.
func checkNodes(path string, doc *yaml.Node) error {
	if doc == nil {
		return nil
	}
	count := 0
	var past *yaml.Node
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if past != nil {
			return
		}
		if count++; count > MaxNodes {
			past = n
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc)
	if past != nil {
		return tooManyNodes(path, max(past.Line, 1), max(past.Column, 1))
	}
	return nil
}

// cloneTree copies a parsed document, aliases pointing into the copy, so
// that layout can rearrange one copy while verify reads the other.
func cloneTree(doc *yaml.Node) *yaml.Node {
	if doc == nil {
		return nil
	}
	copies := map[*yaml.Node]*yaml.Node{}
	var clone func(n *yaml.Node) *yaml.Node
	clone = func(n *yaml.Node) *yaml.Node {
		if c, ok := copies[n]; ok {
			return c
		}
		c := *n
		copies[n] = &c
		if len(n.Content) > 0 {
			c.Content = make([]*yaml.Node, len(n.Content))
			for i, child := range n.Content {
				c.Content[i] = clone(child)
			}
		}
		return &c
	}
	root := clone(doc)
	for orig, c := range copies {
		if orig.Alias != nil {
			if target, ok := copies[orig.Alias]; ok {
				c.Alias = target
			} else {
				c.Alias = clone(orig.Alias)
			}
		}
	}
	return root
}

// checkSyntax refuses what the loader reports as not a sound YAML document:
// syntax errors (at the token where parsing failed), duplicate keys, extra
// documents, alias bombs, binary or non-UTF-8 text.
func checkSyntax(path string, src []byte) error {
	for _, d := range load.CheckSyntax(path, src) {
		if d.Rule == "syntax" {
			return &Error{Path: path, Line: d.Range.Start.Line, Column: d.Range.Start.Column,
				EndLine: d.Range.End.Line, EndColumn: d.Range.End.Column, Rule: "syntax",
				Msg: d.Message + " (not formatted)", Related: d.Related}
		}
	}
	if bytes.HasPrefix(src, []byte{0xfe, 0xff}) || bytes.HasPrefix(src, []byte{0xff, 0xfe}) {
		return &Error{Path: path, Line: 1, Column: 1, Rule: "syntax", Msg: "the file is UTF-16 text: save it as UTF-8 to format it"}
	}
	return nil
}

var bom = []byte("\xef\xbb\xbf")

// normalize drops a byte order mark and turns every line break into \n,
// which is what YAML reads them as. crlf tells whether the first line
// ended with \r\n.
func normalize(src []byte) (text []byte, crlf bool) {
	for bytes.HasPrefix(src, bom) {
		src = src[len(bom):]
	}
	if i := bytes.IndexAny(src, "\r\n"); i >= 0 && src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n' {
		crlf = true
	}
	if bytes.IndexByte(src, '\r') < 0 {
		return src, crlf
	}
	text = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	text = bytes.ReplaceAll(text, []byte("\r"), []byte("\n"))
	return text, crlf
}

// parse reads text as one YAML document. root is nil for a file with no
// content (empty, or only comments).
func parse(text []byte) (doc *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML parser failed on this input (%v)", r)
		}
	}()
	var n yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(text)).Decode(&n); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	return &n, nil
}
