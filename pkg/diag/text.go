package diag

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/fatih/color"
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

	if pos := position(d.File, start.Line, start.Column); pos != "" {
		b.WriteString(st.pos.Sprint(pos+":") + " ")
	}
	b.WriteString(paint(string(d.Severity)) + ": " + d.Message)
	if d.Rule != "" {
		b.WriteString(" " + st.rule.Sprint("["+d.Rule+"]"))
	}
	b.WriteString("\n")

	number := strconv.Itoa(start.Line)
	pad := "  " + strings.Repeat(" ", len(number))
	if line, ok := src.line(d.File, start.Line); ok {
		last := start.Column + 1 // a multi-line range gets a lone caret
		if end.Line == start.Line {
			last = end.Column
		}
		text, caret := quoteLine(line, start.Column, last)
		b.WriteString(strings.TrimRight("  "+number+" | "+text, " ") + "\n")
		indent := len(caret) - len(strings.TrimLeft(caret, " "))
		b.WriteString(pad + " | " + caret[:indent] + paint(caret[indent:]) + "\n")
	}
	if d.Suggestion != "" {
		b.WriteString(pad + " = help: " + d.Suggestion + "\n")
	}
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

// quoteLine returns line ready to print and the caret line marking the
// code points [start, end) under it (1-based, end exclusive). Columns past
// the end of the line are clamped so the caret stays just after the text.
func quoteLine(line string, start, end int) (text, caret string) {
	runes := []rune(line)
	// at[i] is the display column where rune i begins; at[len] is the width.
	at := make([]int, len(runes)+1)
	var sb strings.Builder
	col := 0
	for i, r := range runes {
		at[i] = col
		switch {
		case r == '\t':
			n := tabWidth - col%tabWidth
			sb.WriteString(strings.Repeat(" ", n))
			col += n
		case isControl(r):
			// A raw control character could drive the terminal; show a
			// placeholder of the same width instead.
			sb.WriteRune('\uFFFD')
			col++
		default:
			sb.WriteRune(r)
			col++
		}
	}
	at[len(runes)] = col

	start = min(max(start, 1), len(runes)+1)
	end = min(end, len(runes)+1)
	from := at[start-1]
	width := 1
	if end > start {
		width = at[end-1] - from
	}
	return sb.String(), strings.Repeat(" ", from) + "^" + strings.Repeat("~", width-1)
}

func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0)
}

// sourceLines splits each quoted file once, however many findings it has.
type sourceLines struct {
	sources map[string][]byte
	split   map[string][][]byte
}

func (s *sourceLines) line(file string, n int) (string, bool) {
	content, ok := s.sources[file]
	if !ok || n < 1 {
		return "", false
	}
	if s.split == nil {
		s.split = map[string][][]byte{}
	}
	lines, ok := s.split[file]
	if !ok {
		lines = splitLines(content)
		s.split[file] = lines
	}
	if n > len(lines) {
		return "", false
	}
	return string(lines[n-1]), true
}

// splitLines splits at \n, \r\n and a lone \r: YAML counts all three as
// line breaks, and so do the positions of findings.
func splitLines(content []byte) [][]byte {
	var lines [][]byte
	start := 0
	for i := 0; i < len(content); i++ {
		switch content[i] {
		case '\n':
			lines = append(lines, content[start:i])
			start = i + 1
		case '\r':
			lines = append(lines, content[start:i])
			if i+1 < len(content) && content[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return append(lines, content[start:])
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
