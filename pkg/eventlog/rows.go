package eventlog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/journeykit/journey/internal/safeio"
	"github.com/journeykit/journey/pkg/journey"
)

// Row is one row of the log: the three chosen fields as text.
type Row struct {
	// Line is the 1-based line the row starts on.
	Line int64
	// Case, Event and Time are the fields of the case id, the event name
	// and the time, as written ("" when missing or null).
	Case, Event, Time string
}

// RowError is a row that cannot be used: the caller skips it (and counts
// it), and reading goes on. Line is the line the row starts on; Msg says
// what is wrong.
type RowError struct {
	Line int64
	Msg  string
}

func (e *RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// rowReader yields the rows of a log: io.EOF at its end, a *RowError for a
// bad row (reading goes on), any other error stops.
type rowReader interface {
	next() (Row, error)
}

func (c Columns) names() [3]string { return [3]string{c.Case, c.Event, c.Time} }

func (c Columns) flags() [3]string { return [3]string{"--case", "--event", "--time"} }

// csvRows reads CSV or TSV with a header line, as RFC 4180 (and
// encoding/csv) reads it: fields may be quoted, hold the separator, line
// breaks and doubled quotes; CRLF ends a line like LF; empty lines are
// skipped. Unlike encoding/csv, a record is at most MaxRecord bytes, and a
// record broken over several lines (a quote that is not closed where
// expected) is one bad row: reading goes on at its second line.
type csvRows struct {
	ls     *lineSource
	comma  byte
	idx    [3]int
	need   int
	width  int
	header []string

	// the fields of the last record: str[bounds[2i]:bounds[2i+1]]
	str    string
	bounds []int
	start  int64 // its first line

	rec []byte // unquoted text of a record with quotes
	raw []byte // the lines of a record that spans lines
}

func newCSVRows(name string, br *bufio.Reader, comma rune, cols Columns) (*csvRows, error) {
	c := &csvRows{ls: newLineSource(br), comma: byte(comma)}
	err := c.read()
	if err != nil {
		if err == io.EOF {
			return nil, &InputError{Name: name, Msg: "is empty: expected a header line naming the columns"}
		}
		var re *RowError
		if errors.As(err, &re) {
			return nil, &InputError{Name: name, Line: re.Line, Msg: "cannot read the header line: " + re.Msg}
		}
		return nil, inputError(name, err)
	}
	header := make([]string, c.fields())
	for i := range header {
		header[i] = c.field(i)
	}
	c.width = len(header)
	c.header = header
	kind := "CSV"
	if comma == '\t' {
		kind = "TSV"
	}
	for k, want := range cols.names() {
		i := findColumn(header, want)
		if i < 0 {
			msg := fmt.Sprintf("the %s header has no column %q", kind, want)
			if s := journey.Closest(want, header); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			msg += fmt.Sprintf(": choose the column with %s; the columns are %s", cols.flags()[k], listColumns(header))
			if len(header) == 1 && comma == ',' && strings.ContainsAny(header[0], "\t;|") {
				msg += " (only one column: is the file separated by something else than commas? TSV is read with --events-format tsv)"
			}
			return nil, &InputError{Name: name, Line: 1, Msg: msg}
		}
		c.idx[k] = i
		c.need = max(c.need, i+1)
	}
	return c, nil
}

// findColumn finds a column by name: exactly, else ignoring case and
// surrounding spaces when that names one column.
func findColumn(header []string, want string) int {
	for i, h := range header {
		if h == want {
			return i
		}
	}
	found := -1
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(want)) {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}

func listColumns(header []string) string {
	const show = 20
	var b strings.Builder
	for i, h := range header {
		if i == show {
			fmt.Fprintf(&b, ", … (%d in all)", len(header))
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteShort(h))
	}
	return b.String()
}

func (c *csvRows) fields() int { return len(c.bounds) / 2 }

func (c *csvRows) field(i int) string { return c.str[c.bounds[2*i]:c.bounds[2*i+1]] }

func (c *csvRows) next() (Row, error) {
	if err := c.read(); err != nil {
		return Row{}, err
	}
	if c.fields() < c.need {
		return Row{}, &RowError{Line: c.start, Msg: fmt.Sprintf("has %d field(s), the header has %d", c.fields(), c.width)}
	}
	return Row{Line: c.start, Case: c.field(c.idx[0]), Event: c.field(c.idx[1]), Time: c.field(c.idx[2])}, nil
}

// tooLongMsg is the message of a line longer than MaxRecord.
var tooLongMsg = fmt.Sprintf("the line is longer than %s: skipped", safeio.Bytes(MaxRecord))

// read reads the next record: its fields (see field), or io.EOF, a
// *RowError (a bad record, skipped), or another error that stops.
func (c *csvRows) read() error {
	var line []byte
	for {
		l, tooLong, err := c.ls.next()
		if err != nil {
			return err
		}
		if tooLong {
			return &RowError{Line: c.ls.line, Msg: tooLongMsg}
		}
		line = body(l)
		if len(line) > 0 || len(l) == 0 {
			break
		}
		// an empty line is skipped
	}
	c.start = c.ls.line
	c.bounds = c.bounds[:0]
	if bytes.IndexByte(line, '"') < 0 {
		// No quote: the fields are the text between separators.
		c.str = string(line)
		s := c.str
		from := 0
		for {
			i := strings.IndexByte(s[from:], c.comma)
			if i < 0 {
				c.bounds = append(c.bounds, from, len(s))
				return nil
			}
			c.bounds = append(c.bounds, from, from+i)
			from += i + 1
		}
	}
	return c.readQuoted(line)
}

// readQuoted reads a record that has a quote somewhere, as encoding/csv
// does, into c.rec: first is its first line (without its line break).
func (c *csvRows) readQuoted(first []byte) error {
	c.rec = c.rec[:0]
	c.raw = c.raw[:0]
	line := first
	lines := 1    // physical lines of the record so far
	firstLen := 0 // the first line's length in c.raw
	col := 1      // the column (1-based, in bytes) of line[0] on its line
	var ends []int
	tooLong := false // the last line read is too long, and not in c.raw
	fail := func(msg string) error {
		// The record took the lines after its first: they are read again
		// as records of their own (within a budget: see unread).
		if lines > 1 && !c.ls.unread(c.raw[firstLen:], c.start, tooLong) {
			msg += fmt.Sprintf(" (lines %d to %d skipped)", c.start, c.ls.line)
		}
		return &RowError{Line: c.start, Msg: msg}
	}
	keep := func(l []byte) {
		c.raw = append(c.raw, l...)
		c.raw = append(c.raw, '\n')
	}
fields:
	for {
		if len(line) == 0 || line[0] != '"' {
			// An unquoted field.
			i := bytes.IndexByte(line, c.comma)
			f := line
			if i >= 0 {
				f = line[:i]
			}
			if j := bytes.IndexByte(f, '"'); j >= 0 {
				return fail(fmt.Sprintf(`a " inside a field that does not start with a quote (column %d): quote the whole field and double the " inside it`, col+j))
			}
			c.rec = append(c.rec, f...)
			ends = append(ends, len(c.rec))
			if i < 0 {
				break fields
			}
			line = line[i+1:]
			col += i + 1
			continue fields
		}
		// A quoted field.
		line = line[1:]
		col++
		for {
			i := bytes.IndexByte(line, '"')
			if i < 0 {
				// The field goes on on the next line.
				c.rec = append(c.rec, line...)
				c.rec = append(c.rec, '\n')
				if lines == 1 {
					keep(first)
					firstLen = len(c.raw)
				}
				l, long, err := c.ls.next()
				if err == io.EOF {
					return fail(fmt.Sprintf(`a quoted field opened on line %d is not closed at the end of the input: a missing or extra "`, c.start))
				}
				if err != nil {
					return err
				}
				lines++
				tooLong = long
				if !tooLong {
					keep(body(l))
				}
				if tooLong || len(c.raw) > MaxRecord {
					return fail(fmt.Sprintf(`a quoted field opened on line %d is not closed within %s (line %d): a missing or extra "`, c.start, safeio.Bytes(MaxRecord), c.ls.line))
				}
				line = body(l)
				col = 1
				continue
			}
			c.rec = append(c.rec, line[:i]...)
			line = line[i+1:]
			col += i + 1
			switch {
			case len(line) > 0 && line[0] == '"': // "" is a quote
				c.rec = append(c.rec, '"')
				line = line[1:]
				col++
			case len(line) > 0 && line[0] == c.comma:
				ends = append(ends, len(c.rec))
				line = line[1:]
				col++
				continue fields
			case len(line) == 0:
				ends = append(ends, len(c.rec))
				break fields
			default:
				if lines > 1 {
					return fail(fmt.Sprintf(`a quoted field opened on line %d is not closed where expected (line %d, column %d): a missing or extra "`, c.start, c.ls.line, col-1))
				}
				return fail(fmt.Sprintf(`a quoted field is not closed where expected (column %d): a missing or extra "`, col-1))
			}
		}
	}
	c.str = string(c.rec)
	prev := 0
	for _, e := range ends {
		c.bounds = append(c.bounds, prev, e)
		prev = e
	}
	return nil
}

// jsonRows reads JSON Lines: one object per line.
type jsonRows struct {
	ls   *lineSource
	keys [3]string
}

func newJSONRows(br *bufio.Reader, cols Columns) *jsonRows {
	return &jsonRows{ls: newLineSource(br), keys: cols.names()}
}

func (j *jsonRows) next() (Row, error) {
	for {
		data, tooLong, err := j.ls.next()
		if err != nil {
			return Row{}, err
		}
		if tooLong {
			return Row{}, &RowError{Line: j.ls.line, Msg: tooLongMsg}
		}
		data = trimLine(data)
		if len(data) == 0 {
			continue
		}
		var vals [3]string
		if perr := jsonFields(string(data), &j.keys, &vals); perr != nil {
			return Row{}, &RowError{Line: j.ls.line, Msg: perr.Error()}
		}
		return Row{Line: j.ls.line, Case: vals[0], Event: vals[1], Time: vals[2]}, nil
	}
}

func trimLine(b []byte) []byte {
	for len(b) > 0 {
		switch b[len(b)-1] {
		case '\n', '\r', ' ', '\t':
			b = b[:len(b)-1]
			continue
		}
		break
	}
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}
