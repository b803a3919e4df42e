package lsp

import (
	"bytes"
	"unicode/utf8"

	"github.com/journeykit/journey/pkg/journey"
)

// text is a document's bytes with the start of each line, split as our
// positions count lines (LF, CRLF or a lone CR, internal/lines) and as LSP
// does. Our columns count code points; LSP characters count UTF-16 code
// units; offsets here are bytes.
type text struct {
	src    []byte
	starts []int // byte offset of each line's first byte
}

func newText(src []byte) *text {
	t := &text{src: src, starts: []int{0}}
	if bytes.HasPrefix(src, utf8BOM) {
		// As pkg/load (and yaml.v3) count, and as editors show the file:
		// the byte order mark is not a column of the first line.
		t.starts[0] = len(utf8BOM)
	}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			t.starts = append(t.starts, i+1)
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			t.starts = append(t.starts, i+1)
		}
	}
	return t
}

var utf8BOM = []byte("\xef\xbb\xbf")

// lineBounds is the byte span of line n (zero-based) without its break.
func (t *text) lineBounds(n int) (start, end int) {
	if n < 0 {
		return 0, 0
	}
	if n >= len(t.starts) {
		return len(t.src), len(t.src)
	}
	start = t.starts[n]
	end = len(t.src)
	if n+1 < len(t.starts) {
		end = t.starts[n+1]
		if end > start && t.src[end-1] == '\n' {
			end--
		}
		if end > start && t.src[end-1] == '\r' {
			end--
		}
	}
	return start, end
}

func utf16Len(r rune) int {
	if r >= 0x10000 && r <= utf8.MaxRune {
		return 2
	}
	return 1
}

// offset is the byte offset of an LSP position, clamped to the line.
func (t *text) offset(p Position) int {
	start, end := t.lineBounds(p.Line)
	if p.Line >= len(t.starts) {
		return len(t.src)
	}
	units := 0
	i := start
	for i < end && units < p.Character {
		r, size := utf8.DecodeRune(t.src[i:end])
		units += utf16Len(r)
		i += size
	}
	return i
}

// position is the LSP position of a byte offset.
func (t *text) position(off int) Position {
	if off > len(t.src) {
		off = len(t.src)
	}
	if off < 0 {
		off = 0
	}
	line := t.lineOf(off)
	start, end := t.lineBounds(line)
	if off > end {
		off = end
	}
	units := 0
	for i := start; i < off; {
		r, size := utf8.DecodeRune(t.src[i:off])
		units += utf16Len(r)
		i += size
	}
	return Position{Line: line, Character: units}
}

func (t *text) lineOf(off int) int {
	lo, hi := 0, len(t.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// posOffset is the byte offset of one of our positions (1-based line,
// column in code points), clamped to the line; an unset position is the
// start of the file.
func (t *text) posOffset(p journey.Pos) int {
	if p.IsZero() {
		return 0
	}
	start, end := t.lineBounds(p.Line - 1)
	if p.Line-1 >= len(t.starts) {
		return len(t.src)
	}
	i := start
	for n := 1; n < p.Column && i < end; n++ {
		_, size := utf8.DecodeRune(t.src[i:end])
		i += size
	}
	return i
}

// toLSP converts one of our positions.
func (t *text) toLSP(p journey.Pos) Position { return t.position(t.posOffset(p)) }

// rangeToLSP converts one of our ranges; an unset end is the start.
func (t *text) rangeToLSP(r journey.Range) Range {
	start := t.toLSP(r.Start)
	if r.End.IsZero() || r.End.Before(r.Start) {
		return Range{Start: start, End: start}
	}
	return Range{Start: start, End: t.toLSP(r.End)}
}

// ourPos converts a byte offset to one of our positions.
func (t *text) ourPos(off int) journey.Pos {
	if off > len(t.src) {
		off = len(t.src)
	}
	line := t.lineOf(off)
	start, _ := t.lineBounds(line)
	return journey.Pos{Line: line + 1, Column: utf8.RuneCount(t.src[start:off]) + 1}
}

// applyChange replaces an LSP range of src with s.
func applyChange(src []byte, r *Range, s string) []byte {
	if r == nil {
		return []byte(s)
	}
	t := newText(src)
	a, b := t.offset(r.Start), t.offset(r.End)
	if b < a {
		a, b = b, a
	}
	out := make([]byte, 0, len(src)-(b-a)+len(s))
	out = append(out, src[:a]...)
	out = append(out, s...)
	return append(out, src[b:]...)
}
