package conform

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
)

// rawRow is one row of the log: the three chosen fields as text.
type rawRow struct {
	line                int64
	caseID, event, time string
}

// rowError is a row that cannot be used; the row is skipped and counted.
type rowError struct {
	line int64
	msg  string
}

func (e *rowError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// rowReader yields the rows of a log: io.EOF at its end, a *rowError for a
// bad row (reading goes on), any other error stops.
type rowReader interface {
	next() (rawRow, error)
}

// columns are the names of the chosen columns (or JSON keys).
type columns struct{ caseID, event, time string }

func (c columns) names() [3]string { return [3]string{c.caseID, c.event, c.time} }

func (c columns) flags() [3]string { return [3]string{"--case", "--event", "--time"} }

// csvRows reads CSV or TSV with a header line.
type csvRows struct {
	r      *csv.Reader
	idx    [3]int
	need   int
	width  int
	header []string
}

func newCSVRows(name string, br *bufio.Reader, comma rune, cols columns) (*csvRows, error) {
	r := csv.NewReader(br)
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, &InputError{Name: name, Msg: "is empty: expected a header line naming the columns"}
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &InputError{Name: name, Line: int64(pe.StartLine), Msg: "cannot read the header line: " + csvMessage(pe)}
		}
		return nil, &InputError{Name: name, Msg: err.Error()}
	}
	header = append([]string(nil), header...)
	c := &csvRows{r: r, width: len(header), header: header}
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

func csvMessage(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf(`a " inside a field that does not start with a quote (column %d): quote the whole field and double the " inside it`, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		if pe.Line != pe.StartLine {
			return fmt.Sprintf("a quoted field opened on line %d is not closed where expected (line %d, column %d): a missing or extra \"", pe.StartLine, pe.Line, pe.Column)
		}
		return fmt.Sprintf(`a quoted field is not closed where expected (column %d): a missing or extra "`, pe.Column)
	}
	return pe.Err.Error()
}

func (c *csvRows) next() (rawRow, error) {
	rec, err := c.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return rawRow{}, &rowError{line: int64(pe.StartLine), msg: csvMessage(pe)}
		}
		return rawRow{}, err
	}
	line, _ := c.r.FieldPos(0)
	if len(rec) < c.need {
		return rawRow{}, &rowError{line: int64(line), msg: fmt.Sprintf("has %d field(s), the header has %d", len(rec), c.width)}
	}
	return rawRow{line: int64(line), caseID: rec[c.idx[0]], event: rec[c.idx[1]], time: rec[c.idx[2]]}, nil
}

// maxLine is the longest JSON line read; a longer one is a bad row.
const maxLine = 64 << 20

// jsonRows reads JSON Lines: one object per line.
type jsonRows struct {
	br   *bufio.Reader
	line int64
	keys [3]string
	buf  []byte
}

func newJSONRows(br *bufio.Reader, cols columns) *jsonRows {
	return &jsonRows{br: br, keys: cols.names()}
}

func (j *jsonRows) next() (rawRow, error) {
	for {
		data, err := j.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			j.buf = append(j.buf[:0], data...)
			for err == bufio.ErrBufferFull {
				data, err = j.br.ReadSlice('\n')
				if len(j.buf) < maxLine {
					j.buf = append(j.buf, data...)
				}
			}
			data = j.buf
		}
		if err != nil && err != io.EOF {
			return rawRow{}, err
		}
		if len(data) == 0 && err == io.EOF {
			return rawRow{}, io.EOF
		}
		j.line++
		if len(data) >= maxLine {
			return rawRow{}, &rowError{line: j.line, msg: fmt.Sprintf("line longer than %d MiB", maxLine>>20)}
		}
		data = trimLine(data)
		if len(data) == 0 {
			if err == io.EOF {
				return rawRow{}, io.EOF
			}
			continue
		}
		var vals [3]string
		if perr := jsonFields(string(data), &j.keys, &vals); perr != nil {
			return rawRow{}, &rowError{line: j.line, msg: perr.Error()}
		}
		return rawRow{line: j.line, caseID: vals[0], event: vals[1], time: vals[2]}, nil
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
