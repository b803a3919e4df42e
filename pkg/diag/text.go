package diag

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fatih/color"
	"github.com/journeykit/journey/internal/lines"
	"github.com/journeykit/journey/internal/termsafe"
)

// TextOptions tunes WriteText.
type TextOptions struct {
	// Color turns ANSI colours on. The caller decides (terminal, NO_COLOR,
	// --color); the writer never looks at the environment.
	Color bool
}

// tabWidth is the tab stop used when quoting a source line, so that the
// caret line can be padded to the same width as the quoted text.
const tabWidth = 4

// WriteText prints one block per finding, in the order given, then a
// summary line:
//
//	a.journey.yaml:22:9: error: stage "x" names nothing [unknown-reference]
//	  22 |       - to: welcom
//	     |             ^~~~~~
//	     = help: did you mean "welcome"?
//
// Each related place follows as a note line:
//
//	= note: first defined here: a.journey.yaml:13:9
func WriteText(w io.Writer, r Report, o TextOptions) error {
	st := newTextStyle(o.Color)
	src := sourceLines{sources: r.Sources}
	b := bufio.NewWriter(w)
	for _, d := range r.Findings {
		writeTextFinding(b, d, st, &src)
		b.WriteString("\n")
	}
	b.WriteString(SummaryLine(r) + "\n")
	return b.Flush()
}

func writeTextFinding(b *bufio.Writer, d Diagnostic, st textStyle, src *sourceLines) {
	start, end := span(d)
	paint := st.severity(d.Severity)

	if pos := position(termsafe.Line(d.File), start.Line, start.Column); pos != "" {
		b.WriteString(st.pos.Sprint(pos+":") + " ")
	}
	b.WriteString(paint(termsafe.Line(string(d.Severity))) + ": " + termsafe.Line(cutMessage(d.Message)))
	if d.Rule != "" {
		b.WriteString(" " + st.rule.Sprint("["+termsafe.Line(d.Rule)+"]"))
	}
	b.WriteString("\n")

	number := strconv.Itoa(start.Line)
	pad := "  " + strings.Repeat(" ", len(number))
	if line, index, ok := src.line(d.File, start.Line); ok {
		last := start.Column + 1 // a multi-line range gets a lone caret
		if end.Line == start.Line {
			last = end.Column
		}
		text, caret := quoteLineAt(line, index, start.Column, last)
		b.WriteString(strings.TrimRight("  "+number+" | "+text, " ") + "\n")
		indent := len(caret) - len(strings.TrimLeft(caret, " "))
		b.WriteString(pad + " | " + caret[:indent] + paint(caret[indent:]) + "\n")
	}
	if d.Suggestion != nil {
		b.WriteString(pad + " = help: " + termsafe.Line(cutMessage(d.Suggestion.Help())) + "\n")
	}
	for _, rel := range d.Related {
		b.WriteString(pad + " = note: " + termsafe.Line(cutMessage(relatedText(rel))) + "\n")
	}
}

// relatedText is a related place in words: "MESSAGE: FILE:LINE:COL".
func relatedText(rel Related) string {
	pos := position(rel.File, rel.Range.Start.Line, rel.Range.Start.Column)
	switch {
	case rel.Message == "":
		return pos
	case pos == "":
		return rel.Message
	}
	return rel.Message + ": " + pos
}

// maxMessage is the most of a message the text and GitHub outputs print,
// in bytes; the rest is cut and counted. Messages quote users' values, and
// one finding must never print a whole file.
const maxMessage = 4096

// cutMessage cuts s after maxMessage bytes, at a code point boundary.
func cutMessage(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "… (" + strconv.Itoa(len(s)-cut) + " more bytes)"
}

// position is "FILE:LINE:COL", shortened when parts are unknown.
func position(file string, line, col int) string {
	parts := []string{}
	if file != "" {
		parts = append(parts, file)
	}
	if line > 0 {
		parts = append(parts, strconv.Itoa(line))
		if col > 0 {
			parts = append(parts, strconv.Itoa(col))
		}
	}
	return strings.Join(parts, ":")
}

// A quoted line shows at most excerptWidth columns: when the line is
// longer, a window around the caret with "…" where it is cut, keeping
// excerptBefore columns before the caret.
const (
	excerptWidth  = 200
	excerptBefore = 60
)

// quoteLine returns line ready to print and the caret line marking the
// code points [start, end) under it (1-based, end exclusive). Columns past
// the end of the line are clamped so the caret stays just after the text.
// Tabs are expanded; control characters, direction overrides and invalid
// UTF-8 are shown as escapes (\x1b), never raw.
func quoteLine(line string, start, end int) (text, caret string) {
	return quoteLineAt(line, nil, start, end)
}

// quoteLineAt is quoteLine with the line's runeIndex (nil for a short
// line), so that many findings on one huge line each cost a bounded
// amount of work.
func quoteLineAt(line string, index runeIndex, start, end int) (text, caret string) {
	first := max(start, 1) - 1 // code point the caret starts at
	off, first := index.seek(line, first)
	last := max(end-1, first) // code point the caret ends before

	// Walk back from the caret for the columns shown before it.
	from, before := off, 0
	for from > 0 && before < excerptBefore {
		r, w := utf8.DecodeLastRuneInString(line[:from])
		before += len(showRune(r, line[from-w:from], 0))
		from -= w
	}
	k := first - utf8.RuneCountInString(line[from:off]) // code point at from

	var sb strings.Builder
	col := 0
	if from > 0 {
		sb.WriteString("…")
		col++
	}
	caretFrom, caretTo := -1, -1
	i := from
	for ; i < len(line); k++ {
		if k == first {
			caretFrom = col
		}
		if k == last {
			caretTo = col
		}
		if col >= excerptWidth && k > first {
			break
		}
		r, w := utf8.DecodeRuneInString(line[i:])
		shown := showRune(r, line[i:i+w], col)
		sb.WriteString(shown)
		col += utf8.RuneCountInString(shown)
		i += w
	}
	if caretFrom < 0 {
		caretFrom = col
	}
	if caretTo < 0 {
		caretTo = col // the caret's end is past the text shown
	}
	if i < len(line) {
		sb.WriteString("…")
	}
	width := 1
	if last > first {
		width = max(caretTo-caretFrom, 1)
	}
	return sb.String(), strings.Repeat(" ", caretFrom) + "^" + strings.Repeat("~", width-1)
}

// showRune is how a quoted line shows r (whose bytes are raw) at display
// column col: a tab as spaces to the next tab stop, anything a terminal
// would act on as an escape, every other character as itself.
func showRune(r rune, raw string, col int) string {
	if r == '\t' {
		return strings.Repeat(" ", tabWidth-col%tabWidth)
	}
	return termsafe.Line(raw)
}

// runeIndex holds the byte offset of every runeStride-th code point of a
// long line, so finding a column costs at most runeStride steps.
type runeIndex []int

const (
	runeStride = 1024
	// indexedLine is the length from which a line gets a runeIndex.
	indexedLine = 4 * runeStride
)

func newRuneIndex(line string) runeIndex {
	if len(line) < indexedLine {
		return nil
	}
	ix := runeIndex{0}
	k := 0
	for i := range line {
		if k > 0 && k%runeStride == 0 {
			ix = append(ix, i)
		}
		k++
	}
	return ix
}

// seek returns the byte offset of code point k of line, and k; or, when
// the line has fewer code points, its length and how many it has.
func (ix runeIndex) seek(line string, k int) (off, got int) {
	if m := min(k/runeStride, len(ix)-1); m > 0 {
		off, got = ix[m], m*runeStride
	}
	for got < k && off < len(line) {
		_, w := utf8.DecodeRuneInString(line[off:])
		off += w
		got++
	}
	return off, got
}

// sourceLines splits each quoted file once, however many findings it has.
type sourceLines struct {
	sources map[string][]byte
	split   map[string]*splitFile
}

type splitFile struct {
	lines []string
	index map[int]runeIndex
}

func (s *sourceLines) line(file string, n int) (string, runeIndex, bool) {
	content, ok := s.sources[file]
	if !ok || n < 1 {
		return "", nil, false
	}
	if s.split == nil {
		s.split = map[string]*splitFile{}
	}
	f, ok := s.split[file]
	if !ok {
		f = &splitFile{lines: splitLines(string(content)), index: map[int]runeIndex{}}
		s.split[file] = f
	}
	if n > len(f.lines) {
		return "", nil, false
	}
	line := f.lines[n-1]
	if len(line) < indexedLine {
		return line, nil, true
	}
	ix, ok := f.index[n]
	if !ok {
		ix = newRuneIndex(line)
		f.index[n] = ix
	}
	return line, ix, true
}

// splitLines splits at \n, \r\n and a lone \r, as positions count lines;
// text after the last line break, even none, is a line of its own, so a
// finding at the end of a file has a line to show.
func splitLines(content string) []string {
	out := lines.Split(content)
	if n := len(content); n == 0 || content[n-1] == '\n' || content[n-1] == '\r' {
		out = append(out, "")
	}
	return out
}

// textStyle holds one colour per role. Each colour is switched on or off
// by itself so fatih/color's global NoColor (decided from stdout) has no
// say: findings may go to stderr or a file.
type textStyle struct {
	pos, rule, error, warning, info *color.Color
}

func newTextStyle(enabled bool) textStyle {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if enabled {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return textStyle{
		pos:     mk(color.Bold),
		rule:    mk(color.Faint),
		error:   mk(color.FgRed, color.Bold),
		warning: mk(color.FgYellow, color.Bold),
		info:    mk(color.FgBlue, color.Bold),
	}
}

func (st textStyle) severity(s Severity) func(string) string {
	var c *color.Color
	switch s {
	case Error:
		c = st.error
	case Warning:
		c = st.warning
	case Info:
		c = st.info
	default:
		return func(s string) string { return s }
	}
	return func(s string) string { return c.Sprint(s) }
}
