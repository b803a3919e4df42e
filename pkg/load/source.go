package load

import (
	"bytes"
	"sort"
	"unicode/utf8"

	"github.com/journeykit/journey/pkg/journey"
	"gopkg.in/yaml.v3"
)

// source indexes a file's bytes by line so that yaml.v3's start positions
// (line, column in code points) can be turned into byte offsets, and end
// positions, which yaml.v3 does not keep, can be found by reading the text.
type source struct {
	data []byte
	// lines[i] is the byte offset where line i+1 starts.
	lines []int
	// long indexes the columns of long lines (built when first needed),
	// so that turning a column into an offset does not read the line from
	// its start each time: a whole file on one line stays linear.
	long map[int]*lineIndex
	// steps counts the code points decoded to find columns (tests bound it).
	steps int
	// ascii is set when every byte is ASCII: a column is then a byte
	// offset and nothing is decoded (most journey files).
	ascii bool
}

// lineIndex maps columns of one long line to byte offsets.
type lineIndex struct {
	ascii bool
	// marks[k] is the byte offset, from the line's start, of column
	// k*indexStride+1.
	marks []int
	runes int
}

const (
	longLine    = 256
	indexStride = 32
)

func (s *source) index(n int) *lineIndex {
	if idx, ok := s.long[n]; ok {
		return idx
	}
	line := s.line(n)
	idx := &lineIndex{ascii: true}
	for i := 0; i < len(line); {
		if idx.runes%indexStride == 0 {
			idx.marks = append(idx.marks, i)
		}
		c := line[i]
		w := 1
		if c >= utf8.RuneSelf {
			idx.ascii = false
			_, w = utf8.DecodeRune(line[i:])
		}
		i += w
		idx.runes++
		s.steps++
	}
	if len(idx.marks) == 0 {
		idx.marks = []int{0}
	}
	if s.long == nil {
		s.long = map[int]*lineIndex{}
	}
	s.long[n] = idx
	return idx
}

// columnOffset is the byte offset, from the start of line n, of column col
// (clamped to the line).
func (s *source) columnOffset(n, col int) int {
	line := s.line(n)
	if s.ascii {
		return min(max(col-1, 0), len(line))
	}
	rel, c := 0, 1
	if len(line) >= longLine {
		idx := s.index(n)
		if idx.ascii {
			return min(max(col-1, 0), len(line))
		}
		k := min(max(col-1, 0)/indexStride, len(idx.marks)-1)
		rel, c = idx.marks[k], k*indexStride+1
	}
	for ; c < col && rel < len(line); c++ {
		_, w := utf8.DecodeRune(line[rel:])
		rel += w
		s.steps++
	}
	return rel
}

// runesBefore counts the code points of line n before byte rel of it.
func (s *source) runesBefore(n, rel int) int {
	line := s.line(n)
	rel = min(rel, len(line))
	if s.ascii {
		return rel
	}
	if len(line) < longLine {
		return utf8.RuneCount(line[:rel])
	}
	idx := s.index(n)
	if idx.ascii {
		return rel
	}
	// The last mark at or before rel.
	k := sort.SearchInts(idx.marks, rel+1) - 1
	k = max(k, 0)
	return k*indexStride + utf8.RuneCount(line[idx.marks[k]:rel])
}

var bom = []byte("\xef\xbb\xbf")

func newSource(data []byte) *source {
	s := &source{data: data, lines: []int{0}}
	if bytes.HasPrefix(data, bom) {
		// yaml.v3 does not count the byte order mark as a column.
		s.lines[0] = len(bom)
	}
	// A line ends at \n, \r\n or a lone \r, as in YAML.
	var high byte
	for i, b := range data {
		high |= b
		if b == '\n' || b == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			s.lines = append(s.lines, i+1)
		}
	}
	s.ascii = high < utf8.RuneSelf
	return s
}

// line returns the text of 1-based line n without its line break.
func (s *source) line(n int) []byte {
	if n < 1 || n > len(s.lines) {
		return nil
	}
	start := s.lines[n-1]
	end := len(s.data)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	if end > start && s.data[end-1] == '\r' {
		end--
	}
	if end < start {
		end = start
	}
	return s.data[start:end]
}

// offset converts a position to a byte offset, clamped to the line.
func (s *source) offset(p journey.Pos) int {
	if p.Line < 1 || p.Line > len(s.lines) {
		return len(s.data)
	}
	return s.lines[p.Line-1] + s.columnOffset(p.Line, p.Column)
}

// pos converts a byte offset back to a position.
func (s *source) pos(off int) journey.Pos {
	if off > len(s.data) {
		off = len(s.data)
	}
	// Binary search for the line that holds off.
	lo, hi := 0, len(s.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if s.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	start := s.lines[lo]
	if off < start {
		off = start
	}
	if off-start > len(s.line(lo+1)) {
		// Inside the line break: past the last character.
		return journey.Pos{Line: lo + 1, Column: utf8.RuneCount(s.data[start:off]) + 1}
	}
	return journey.Pos{Line: lo + 1, Column: s.runesBefore(lo+1, off-start) + 1}
}

// lineEnd is the position just after the last character of line n.
func (s *source) lineEnd(n int) journey.Pos {
	return journey.Pos{Line: n, Column: s.runesBefore(n, len(s.line(n))) + 1}
}

// lineRange spans line n from its first non-blank character to its end.
func (s *source) lineRange(n int) journey.Range {
	line := s.line(n)
	col := 1
	for _, r := range string(line) {
		if r != ' ' && r != '\t' {
			break
		}
		col++
	}
	end := s.lineEnd(n)
	if col > end.Column {
		col = end.Column
	}
	return journey.Range{Start: journey.Pos{Line: n, Column: col}, End: end}
}

func start(n *yaml.Node) journey.Pos { return journey.Pos{Line: n.Line, Column: n.Column} }

// rangeOf finds where node n starts and ends in the source.
func (s *source) rangeOf(n *yaml.Node) journey.Range {
	begin := start(n)
	from := s.offset(begin)
	to := s.endFrom(n, from)
	if to >= from && bytes.IndexByte(s.data[from:to], '\n') < 0 {
		// Most values end on the line they start on: no line search.
		width := to - from
		if !s.ascii {
			width = utf8.RuneCount(s.data[from:to])
		}
		return journey.Range{Start: begin, End: journey.Pos{Line: begin.Line, Column: begin.Column + width}}
	}
	return journey.Range{Start: begin, End: s.pos(to)}
}

// endOffset returns the byte offset just after node n.
func (s *source) endOffset(n *yaml.Node) int {
	return s.endFrom(n, s.offset(start(n)))
}

// endFrom is endOffset for a node known to start at byte off.
func (s *source) endFrom(n *yaml.Node, off int) int {
	switch n.Kind {
	case yaml.AliasNode:
		return s.skipToken(off)
	case yaml.ScalarNode:
		return s.scalarEnd(n, off)
	case yaml.MappingNode, yaml.SequenceNode:
		if n.Style&yaml.FlowStyle != 0 {
			return s.flowEnd(off)
		}
		if len(n.Content) == 0 {
			return s.skipToken(off)
		}
		return s.endOffset(n.Content[len(n.Content)-1])
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return off
		}
		return s.endOffset(n.Content[0])
	}
	return off
}

// skipToken moves past a run of characters that are not blanks.
func (s *source) skipToken(off int) int {
	for off < len(s.data) {
		switch s.data[off] {
		case ' ', '\t', '\r', '\n', ',', ']', '}':
			return off
		}
		off++
	}
	return off
}

// skipProperties moves past a tag or anchor written before a value.
func (s *source) skipProperties(off int) int {
	for off < len(s.data) && (s.data[off] == '!' || s.data[off] == '&') {
		off = s.skipToken(off)
		for off < len(s.data) && (s.data[off] == ' ' || s.data[off] == '\t') {
			off++
		}
	}
	return off
}

func (s *source) scalarEnd(n *yaml.Node, off int) int {
	off = s.skipProperties(off)
	if off >= len(s.data) {
		return len(s.data)
	}
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return s.quotedEnd(off, '"')
	case n.Style&yaml.SingleQuotedStyle != 0:
		return s.quotedEnd(off, '\'')
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return s.blockEnd(off)
	}
	return s.plainEnd(n.Value, off)
}

// quotedEnd finds the closing quote of a quoted scalar starting at off.
func (s *source) quotedEnd(off int, quote byte) int {
	i := off + 1
	for i < len(s.data) {
		c := s.data[i]
		switch {
		case quote == '"' && c == '\\':
			i += 2
			continue
		case c == quote:
			if quote == '\'' && i+1 < len(s.data) && s.data[i+1] == '\'' {
				i += 2
				continue
			}
			return i + 1
		}
		i++
	}
	return len(s.data)
}

// blockEnd finds the end of a literal or folded block scalar whose
// indicator is at off: the last non-blank line indented deeper than the
// line of the indicator.
func (s *source) blockEnd(off int) int {
	p := s.pos(off)
	indent := indentation(s.line(p.Line))
	end := s.skipToken(off)
	for n := p.Line + 1; n <= len(s.lines); n++ {
		line := s.line(n)
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if indentation(line) <= indent {
			break
		}
		end = s.lines[n-1] + len(line)
	}
	return end
}

func indentation(line []byte) int {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	return n
}

// plainEnd finds the end of a plain scalar by reading its value back from
// the source; a value folded over several lines matches any run of blanks
// and line breaks where the value has a space or a line break.
func (s *source) plainEnd(value string, off int) int {
	if value == "" {
		return off
	}
	if bytes.HasPrefix(s.data[off:], []byte(value)) {
		return off + len(value)
	}
	i, j := off, 0
	end := off
	for j < len(value) && i < len(s.data) {
		vc, sc := value[j], s.data[i]
		switch {
		case vc == sc:
			i++
			j++
			end = i
		case isBlank(vc) || vc == '\n':
			j++
		case isBlank(sc) || sc == '\n' || sc == '\r':
			i++
		default:
			// The text does not read back (a tag or an escape we do not
			// model): fall back to the end of the first token.
			return s.skipToken(off)
		}
	}
	return end
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// flowEnd finds the bracket that closes the flow collection opening at off.
func (s *source) flowEnd(off int) int {
	off = s.skipProperties(off)
	depth := 0
	for i := off; i < len(s.data); i++ {
		switch c := s.data[i]; c {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"', '\'':
			if opensQuote(s.data[off:i]) {
				i = s.quotedEnd(i, c) - 1
			}
		case '#':
			if i > 0 && isBlank(s.data[i-1]) {
				for i < len(s.data) && s.data[i] != '\n' {
					i++
				}
			}
		}
	}
	return len(s.data)
}

// opensQuote reports whether a quote that follows before starts a quoted
// scalar inside a flow collection (and is not an apostrophe in plain text).
func opensQuote(before []byte) bool {
	b := bytes.TrimRight(before, " \t\r\n")
	if len(b) == 0 {
		return true
	}
	switch b[len(b)-1] {
	case '[', '{', ',', ':', '?', '-':
		return true
	}
	return false
}
