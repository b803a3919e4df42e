package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/journeykit/journey/internal/safeio"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"gopkg.in/yaml.v3"
)

// Limits that keep hostile input cheap. A real journey file is far below
// every one of them.
const (
	// MaxFileSize is the largest file that is parsed at all.
	MaxFileSize = 64 << 20
	// MaxDepth is the deepest nesting of mappings and lists accepted.
	MaxDepth = 100
	// minAliasBudget is how many nodes alias expansion may add to a
	// document on top of the document's own size.
	minAliasBudget = 10000
	// locateLimit bounds the extra parsing done to find where a syntax
	// error really is.
	locateLimit = 128 << 10
	// locateLines and locateColumns bound the lines and characters tried.
	locateLines   = 200
	locateColumns = 400
)

// parsed is one YAML document with the tools to find positions in it.
type parsed struct {
	file string
	src  *source
	root *yaml.Node // the document's top node; nil when there is none
	// nodes counts the nodes of the tree, aliases not followed.
	nodes int
	// aliases counts the alias nodes of the tree.
	aliases int
	diags   []diag.Diagnostic
}

func (p *parsed) report(rule string, r journey.Range, format string, args ...any) {
	p.diags = append(p.diags, diag.Diagnostic{
		File: p.file, Range: r, Severity: diag.Error, Rule: rule,
		Message: fmt.Sprintf(format, args...),
	})
}

// parseYAML parses data as one YAML document and reports, as findings,
// everything that stops it from being a sound one: syntax errors at the
// place they happen, duplicate keys, further documents, nesting too deep.
func parseYAML(file string, data []byte) *parsed {
	p := &parsed{file: file, src: newSource(data)}
	if len(data) > MaxFileSize {
		// The caller may have stopped reading at MaxFileSize+1 bytes: the
		// real size is not known here.
		p.report("syntax", journey.Range{Start: journey.Pos{Line: 1, Column: 1}, End: journey.Pos{Line: 1, Column: 1}},
			"the file is more than the %s a journey file may have: split it into several journeys", safeio.Bytes(MaxFileSize))
		return p
	}
	if isUTF16(data) {
		p.report("syntax", journey.Range{Start: journey.Pos{Line: 1, Column: 1}, End: journey.Pos{Line: 1, Column: 1}},
			"the file is UTF-16 text: UTF-16 is not supported, save the file as UTF-8")
		return p
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		p.report("syntax", p.pointAt(i), "the file contains a NUL byte: it is binary, not YAML text")
		return p
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := safeDecode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			return p // empty: the caller decides what an empty file means
		}
		p.syntaxError(err)
		return p
	}
	if len(doc.Content) > 0 {
		p.root = doc.Content[0]
	}
	var next yaml.Node
	switch err := safeDecode(dec, &next); {
	case err == nil:
		p.report("syntax", journey.Range{Start: start(&next), End: start(&next)},
			"a second YAML document starts here: a journey file holds exactly one (remove the `---` separator or split the file)")
		p.markSecondDocument(&next)
	case !errors.Is(err, io.EOF):
		p.syntaxError(err)
	}
	if p.root != nil {
		p.check(p.root, 1)
	}
	return p
}

// isUTF16 recognises UTF-16 text by its byte order mark, or, without one,
// by a NUL byte next to every ASCII character of its first characters.
func isUTF16(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return true
	}
	n := min(len(data), 64) &^ 1
	if n < 2 {
		return false
	}
	le, be := true, true
	for i := 0; i < n; i += 2 {
		a, b := data[i], data[i+1]
		le = le && a != 0 && a < 0x80 && b == 0
		be = be && b != 0 && b < 0x80 && a == 0
	}
	return le || be
}

// markSecondDocument moves the finding to the `---` marker when there is one.
func (p *parsed) markSecondDocument(doc *yaml.Node) {
	last := &p.diags[len(p.diags)-1]
	for n := doc.Line; n >= 1; n-- {
		if line := p.src.line(n); bytes.HasPrefix(line, []byte("---")) {
			last.Range = journey.Range{Start: journey.Pos{Line: n, Column: 1}, End: journey.Pos{Line: n, Column: 4}}
			return
		}
		if n < doc.Line-50 {
			return
		}
	}
}

// safeDecode turns a panic inside yaml.v3 into an error: hostile input must
// never crash the tool.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the YAML parser failed on this input (%v)", r)
		}
	}()
	return dec.Decode(n)
}

func (p *parsed) pointAt(off int) journey.Range {
	pos := p.src.pos(off)
	return journey.Range{Start: pos, End: journey.Pos{Line: pos.Line, Column: pos.Column + 1}}
}

// check walks the tree once: it counts nodes, bounds the depth and reports
// duplicate mapping keys, which yaml.v3 accepts silently, removing every
// one but the first from the tree.
func (p *parsed) check(n *yaml.Node, depth int) {
	p.nodes++
	if n.Kind == yaml.AliasNode {
		p.aliases++
	}
	if depth > MaxDepth {
		p.report("syntax", journey.Range{Start: start(n), End: start(n)},
			"values are nested more than %d levels deep here: a journey file never needs this", MaxDepth)
		p.root = nil
		return
	}
	if n.Kind == yaml.MappingNode {
		// A small mapping (most of them) is searched, not hashed.
		var seen map[string]*yaml.Node
		if len(n.Content) > 2*smallMapping {
			seen = make(map[string]*yaml.Node, len(n.Content)/2)
		}
		kept := n.Content[:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode {
				if first, dup := firstKey(seen, kept, k.Value); dup {
					p.report("syntax", p.src.rangeOf(k), "duplicate key %q", k.Value)
					p.diags[len(p.diags)-1].Related = []diag.Related{{File: p.file, Range: p.src.rangeOf(first), Message: "first set here"}}
					// The first value is the one that counts: the later one
					// leaves the tree, so that the schema checks the value
					// the model keeps.
					continue
				}
				if seen != nil {
					seen[k.Value] = k
				}
			}
			kept = append(kept, k, n.Content[i+1])
		}
		n.Content = kept
	}
	for _, c := range n.Content {
		if p.root == nil {
			return
		}
		p.check(c, depth+1)
	}
}

// smallMapping is the most keys a mapping may have for its duplicate keys
// to be found by a search rather than a map.
const smallMapping = 16

// firstKey finds the scalar key named value among the keys kept so far:
// in seen when there is one, else by a search of kept (key, value pairs).
func firstKey(seen map[string]*yaml.Node, kept []*yaml.Node, value string) (*yaml.Node, bool) {
	if seen != nil {
		first, ok := seen[value]
		return first, ok
	}
	for i := 0; i < len(kept); i += 2 {
		if k := kept[i]; k.Kind == yaml.ScalarNode && k.Value == value {
			return k, true
		}
	}
	return nil, false
}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError reports a parse error at the token where parsing failed.
// yaml.v3 names only a line, and for many errors the line where the
// enclosing block began; the real place is found by parsing prefixes of
// the file: the first prefix that fails with the same message ends at the
// offending token.
func (p *parsed) syntaxError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlErrLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if strings.Contains(msg, "invalid leading UTF-8 octet") || strings.Contains(msg, "invalid trailing UTF-8 octet") || strings.Contains(msg, "incomplete UTF-8 octet") {
		if off := firstInvalidUTF8(p.src.data); off >= 0 {
			p.report("syntax", p.pointAt(off), "the file is not valid UTF-8 text (%s)", msg)
			return
		}
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		if r, ok := p.findAlias(m[1]); ok {
			p.report("syntax", r, "%s", describeSyntax(msg))
			return
		}
	}
	r := p.locate(line, msg)
	p.report("syntax", r, "%s", describeSyntax(msg))
}

var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// findAlias finds the first use of alias *name in the source.
func (p *parsed) findAlias(name string) (journey.Range, bool) {
	needle := []byte("*" + name)
	for i := 0; ; {
		j := bytes.Index(p.src.data[i:], needle)
		if j < 0 {
			return journey.Range{}, false
		}
		at := i + j
		end := at + len(needle)
		if end == len(p.src.data) || p.src.skipToken(end) == end {
			return journey.Range{Start: p.src.pos(at), End: p.src.pos(end)}, true
		}
		i = end
	}
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, w := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && w <= 1 {
			return i
		}
		i += w
	}
	return -1
}

func (p *parsed) locate(reported int, msg string) journey.Range {
	src := p.src
	fallback := src.lineRange(max(1, min(reported, len(src.lines))))
	if len(src.data) > locateLimit {
		return fallback
	}
	failsAlone := func(prefix []byte) bool {
		dec := yaml.NewDecoder(bytes.NewReader(prefix))
		var n yaml.Node
		var err error
		for err == nil {
			err = safeDecode(dec, &n)
		}
		if errors.Is(err, io.EOF) {
			return false
		}
		e := err.Error()
		if m := yamlErrLine.FindStringSubmatch(e); m != nil {
			e = m[2]
		} else {
			e = strings.TrimPrefix(e, "yaml: ")
		}
		return e == msg
	}
	// A prefix that stops inside a flow collection fails at its end with
	// the very message a misplaced token gives ("did not find expected ','
	// or '}'"): closing the open brackets tells the two apart. When that
	// finds nothing, the plain test is used.
	closing := true
	fails := func(prefix []byte) bool {
		if !failsAlone(prefix) {
			return false
		}
		if !closing {
			return true
		}
		closers := flowClosers(prefix)
		return len(closers) == 0 || failsAlone(append(bytes.Clone(prefix), closers...))
	}
	if r, ok := p.locateWith(reported, fails); ok {
		return r
	}
	closing = false
	if r, ok := p.locateWith(reported, fails); ok {
		return r
	}
	return fallback
}

// locateWith finds the first line, then the first character, at which a
// prefix of the file fails as fails tells.
func (p *parsed) locateWith(reported int, fails func([]byte) bool) (journey.Range, bool) {
	src := p.src
	lineEndOffset := func(n int) int {
		if n < len(src.lines) {
			return src.lines[n]
		}
		return len(src.data)
	}
	// yaml.v3 counts some lines from 0: start one line early.
	for n := max(1, reported-1); n <= len(src.lines) && n <= reported+locateLines; n++ {
		if !fails(src.data[:lineEndOffset(n)]) {
			continue
		}
		lineStart := src.lines[n-1]
		text := src.line(n)
		for k := 0; k <= len(text) && k <= locateColumns; {
			if fails(src.data[:lineStart+k]) {
				if k == 0 {
					break
				}
				// The prefix first fails once it holds the character at k-1.
				_, w := utf8.DecodeLastRune(text[:k])
				at := src.pos(lineStart + k - w)
				return journey.Range{Start: at, End: src.pos(src.skipToken(lineStart + k - w))}, true
			}
			if k == len(text) {
				break
			}
			_, w := utf8.DecodeRune(text[k:])
			k += w
		}
		return src.lineRange(n), true
	}
	return journey.Range{}, false
}

// flowClosers returns the brackets that close the flow collections still
// open at the end of prefix, innermost first. Quoted text and comments are
// skipped; it is a heuristic for locating errors, not a parser.
func flowClosers(prefix []byte) []byte {
	var open []byte
	for i := 0; i < len(prefix); i++ {
		switch c := prefix[i]; c {
		case '[', '{':
			open = append(open, c)
		case ']', '}':
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		case '"', '\'':
			if opensQuote(prefix[:i]) {
				j := (&source{data: prefix}).quotedEnd(i, c)
				if j >= len(prefix) && (j == i+1 || prefix[len(prefix)-1] != c) {
					return nil // the prefix ends inside the quotes
				}
				i = j - 1
			}
		case '#':
			if i == 0 || isBlank(prefix[i-1]) || prefix[i-1] == '\n' {
				for i < len(prefix) && prefix[i] != '\n' {
					i++
				}
			}
		}
	}
	out := make([]byte, 0, len(open))
	for i := len(open) - 1; i >= 0; i-- {
		if open[i] == '[' {
			out = append(out, ']')
		} else {
			out = append(out, '}')
		}
	}
	return out
}

// describeSyntax rewords yaml.v3's messages for people who do not write
// parsers, keeping the original words for searching.
func describeSyntax(msg string) string {
	hints := []struct{ contains, hint string }{
		{"found character that cannot start any token", "a tab used for indentation, or a character such as @ or ` that must be quoted"},
		{"mapping values are not allowed in this context", "a second `:` on the line: quote the value if it contains `: `"},
		{"did not find expected key", "the indentation does not line up with the keys above"},
		{"could not find expected ':'", "a key without `:` after it"},
		{"did not find expected '-' indicator", "a list item that is not indented like the others"},
		{"found unexpected end of stream", "a quote or bracket opened and never closed"},
		{"found undefined alias", "`*name` refers to an anchor `&name` that is not defined above it"},
		{"did not find expected node content", "a value is missing or a bracket is misplaced"},
	}
	for _, h := range hints {
		if strings.Contains(msg, h.contains) {
			return fmt.Sprintf("invalid YAML: %s (likely %s)", msg, h.hint)
		}
	}
	return "invalid YAML: " + msg
}
