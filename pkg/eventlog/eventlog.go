// Package eventlog reads the analytics event logs that journey conform
// replays: CSV, TSV, JSON Lines or XES (IEEE 1849), plain or gzip-compressed, from a file
// or from a reader such as standard input, as rows of three fields (a case
// id, an event name and a time; see Columns and ParseTime).
//
// It tells the format from the file name or the content, refuses with one
// clear InputError what is not a text log (other compressions, binary
// data, UTF-16, a JSON array, a decompression bomb), and reports each row
// it cannot use as a RowError with its line number, so that the caller can
// skip and count it. Memory stays bounded whatever the input: a row is at
// most MaxRecord bytes, a line longer than MaxSkippedLine stops the
// reading, and a reader is kept for a second reading up to MaxSpool.
package eventlog

import (
	"errors"
	"fmt"
	"io"
)

// Default column names.
const (
	DefaultCase  = "case_id"
	DefaultEvent = "event"
	DefaultTime  = "timestamp"
)

// Columns name the columns (CSV, TSV) or keys (JSON Lines) of the case id,
// the event name and the time.
type Columns struct {
	Case, Event, Time string
}

// WithDefaults returns the columns with the default name (DefaultCase,
// DefaultEvent, DefaultTime) in place of each empty one.
func (c Columns) WithDefaults() Columns {
	if c.Case == "" {
		c.Case = DefaultCase
	}
	if c.Event == "" {
		c.Event = DefaultEvent
	}
	if c.Time == "" {
		c.Time = DefaultTime
	}
	return c
}

// Log is an event log opened for reading from the start, once or twice.
type Log struct {
	o *opener
}

// Open prepares src for reading. Nothing is read yet: Rows opens the file
// (or starts reading the reader). A reader is kept for a second reading
// in tempDir (default os.TempDir()) past 16 MiB; Close frees it.
func Open(src Source, tempDir string) *Log {
	return &Log{o: newOpener(src, tempDir)}
}

// Close frees what was kept of a reader for a second reading.
func (l *Log) Close() { l.o.close() }

// Rows reads the log from the start in the given format (one of
// InputFormats; "" is FormatAuto), with the columns cols (empty names
// are not defaulted: see Columns.WithDefaults). A file can be read any
// number of times; a reader twice: the second reading replays what the
// first one read, then goes on with the rest. The second reading of a
// reader longer than MaxSpool is an InputError. Every error is an
// *InputError except an unknown format.
func (l *Log) Rows(format string, cols Columns) (*Rows, error) {
	name := l.o.src.Name
	raw, br, format, err := decoded(l.o, format)
	if err != nil {
		return nil, err
	}
	var rr rowReader
	switch format {
	case FormatCSV:
		rr, err = newCSVRows(name, br, ',', cols)
	case FormatTSV:
		rr, err = newCSVRows(name, br, '\t', cols)
	case FormatJSONL:
		rr = newJSONRows(br, cols)
	case FormatXES:
		rr = newXESRows(br, cols)
	default:
		err = fmt.Errorf("unknown input format %q", format)
	}
	if err != nil {
		raw.Close()
		return nil, err
	}
	return &Rows{name: name, format: format, raw: raw, rows: rr}, nil
}

// Rows are the rows of one reading of a log.
type Rows struct {
	name   string
	format string
	raw    io.Closer
	rows   rowReader
}

// Format is the format read: FormatCSV, FormatTSV, FormatJSONL or FormatXES.
func (r *Rows) Format() string { return r.format }

// Next returns the next row. At the end of the log the error is io.EOF;
// a row that cannot be used is a *RowError (skip it and call Next again);
// any other error is an *InputError that ends the reading.
func (r *Rows) Next() (Row, error) {
	row, err := r.rows.next()
	if err != nil && err != io.EOF {
		var re *RowError
		if !errors.As(err, &re) {
			return Row{}, inputError(r.name, err)
		}
	}
	return row, err
}

// Close closes the file or the reading of the reader.
func (r *Rows) Close() error { return r.raw.Close() }
