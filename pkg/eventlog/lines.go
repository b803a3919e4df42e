package eventlog

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"github.com/journeykit/journey/internal/safeio"
)

// MaxRecord is the longest row read: a physical line, a CSV record whose
// quoted fields span lines, or a JSON line. A longer one is a bad row,
// reported with its line number; reading goes on at the next line.
const MaxRecord = 1 << 20

// MaxSkippedLine is the longest line skipped: a line longer than this is
// no event log (a file with no line breaks, an endless line on standard
// input), and reading stops with an error instead of going on to its end.
const MaxSkippedLine = 64 << 20

// rescanStart is how many bytes may be read twice before any has been
// read once (see lineSource.unread).
const rescanStart = 4 << 20

// errEndlessLine stops reading at a line longer than MaxSkippedLine.
type errEndlessLine struct{ line int64 }

func (e *errEndlessLine) Error() string {
	return fmt.Sprintf("line %d is longer than %s: this is not a CSV or JSON Lines event log (one row per line)", e.line, safeio.Bytes(MaxSkippedLine))
}

// lineSource yields the physical lines of the input, each at most
// MaxRecord bytes, and can give back lines to be read again (a CSV record
// that turns out to be broken is read again from its second line).
type lineSource struct {
	br   *bufio.Reader
	line int64 // number of the last line returned
	long []byte

	replay []byte // lines given back, read before br
	rpos   int
	// budget is how many more bytes may be given back: every byte read
	// from br adds one, every byte given back takes one, so the input is
	// read at most about twice whatever it holds.
	budget int64
	// tooLongNext: after the lines given back comes a line longer than
	// MaxRecord (read already, not kept).
	tooLongNext bool
}

func newLineSource(br *bufio.Reader) *lineSource {
	return &lineSource{br: br, budget: rescanStart}
}

// next returns the next line with its line break ('\n', or "\r\n"; the
// last line may have none), valid until the next call. A line longer
// than MaxRecord is skipped up to its end and reported by tooLong (line is
// then empty). At the end of the input, err is io.EOF and line empty.
func (ls *lineSource) next() (line []byte, tooLong bool, err error) {
	if ls.rpos < len(ls.replay) {
		rest := ls.replay[ls.rpos:]
		n := len(rest)
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			n = i + 1
		}
		ls.rpos += n
		if ls.rpos == len(ls.replay) {
			ls.replay, ls.rpos = ls.replay[:0], 0
		}
		ls.line++
		return rest[:n], false, nil
	}
	if ls.tooLongNext {
		ls.tooLongNext = false
		ls.line++
		return nil, true, nil
	}
	data, err := ls.br.ReadSlice('\n')
	ls.budget += int64(len(data))
	if err == bufio.ErrBufferFull {
		ls.long = append(ls.long[:0], data...)
		total := int64(len(data))
		for err == bufio.ErrBufferFull {
			data, err = ls.br.ReadSlice('\n')
			total += int64(len(data))
			ls.budget += int64(len(data))
			if len(ls.long) <= MaxRecord {
				ls.long = append(ls.long, data[:min(len(data), MaxRecord+1-len(ls.long))]...)
			}
			if total > MaxSkippedLine && err == bufio.ErrBufferFull {
				return nil, false, &errEndlessLine{line: ls.line + 1}
			}
		}
		data = ls.long
	}
	if err != nil && err != io.EOF {
		return nil, false, err
	}
	if len(data) == 0 {
		return nil, false, io.EOF
	}
	ls.line++
	if len(data) > MaxRecord {
		return nil, true, nil
	}
	return data, false, nil
}

// unread gives lines back: the next calls of next return them again, as
// lines first+1, first+2, ..., before what follows; then, with tooLong,
// the too long line read after them. It gives back nothing and returns
// false when the budget is spent.
func (ls *lineSource) unread(lines []byte, first int64, tooLong bool) bool {
	if int64(len(lines)) > ls.budget {
		return false
	}
	ls.budget -= int64(len(lines))
	ls.tooLongNext = tooLong
	rest := ls.replay[ls.rpos:]
	buf := make([]byte, 0, len(lines)+len(rest))
	buf = append(append(buf, lines...), rest...)
	ls.replay, ls.rpos = buf, 0
	ls.line = first
	return true
}

// body is a line without its line break ("\n", "\r\n", or a "\r" at the
// end of the input).
func body(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line
}
