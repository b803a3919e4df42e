package conform

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Source is an event log: a file, or a reader such as standard input.
type Source struct {
	// Name is how messages name the log ("-" or "events.csv").
	Name string
	// Path is the file to read. When it is empty, Reader is read instead.
	Path string
	// Reader is read when Path is empty. Conform may have to read a log
	// twice (see Run): what it reads from Reader is kept (in memory up to
	// 16 MiB, then in a temporary file) for the second reading.
	Reader io.Reader
}

// Input formats.
const (
	FormatAuto  = "auto"
	FormatCSV   = "csv"
	FormatTSV   = "tsv"
	FormatJSONL = "jsonl"
)

// InputFormats are the values of Options.InputFormat.
var InputFormats = []string{FormatAuto, FormatCSV, FormatTSV, FormatJSONL}

// InputError is an event log that cannot be read at all: its format, its
// header, or an I/O error. Bad rows are not InputErrors (they are counted
// and reported), except with Options.Strict.
type InputError struct {
	Name string
	// Line is the 1-based line the problem is on, 0 for the whole input.
	Line int64
	Msg  string
}

func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Name, e.Msg)
}

// opener opens the raw bytes of the source, once or twice.
type opener struct {
	src     Source
	tempDir string
	spool   *spool
	pipe    *os.File
}

func newOpener(src Source, tempDir string) *opener {
	o := &opener{src: src, tempDir: tempDir}
	if src.Path == "" {
		o.spool = &spool{src: src.Reader, tempDir: tempDir}
	}
	return o
}

// open returns the raw bytes from the start. The first call on a reader
// records what is read; the second replays it. A path that is not a
// regular file (a pipe, /dev/stdin, a process substitution) is read like
// a reader.
func (o *opener) open() (io.ReadCloser, error) {
	if o.spool == nil {
		f, err := os.Open(o.src.Path)
		if err != nil {
			return nil, err
		}
		fi, err := f.Stat()
		if err == nil && fi.IsDir() {
			f.Close()
			return nil, errors.New("is a directory: give the event log file")
		}
		if err == nil && fi.Mode().IsRegular() {
			return f, nil
		}
		o.pipe = f
		o.spool = &spool{src: f, tempDir: o.tempDir}
	}
	return o.spool.open()
}

func (o *opener) close() {
	if o.spool != nil {
		o.spool.close()
	}
	if o.pipe != nil {
		o.pipe.Close()
	}
}

// spool tees a reader so that it can be read again from the start: the
// first memLimit bytes in memory, the rest in a temporary file.
type spool struct {
	src      io.Reader
	tempDir  string
	mem      []byte
	file     *os.File
	fileSize int64
	opened   int
	err      error
}

const spoolMemLimit = 16 << 20

func (s *spool) open() (io.ReadCloser, error) {
	s.opened++
	switch s.opened {
	case 1:
		return io.NopCloser(s), nil
	case 2:
		if s.err != nil {
			return nil, s.err
		}
		parts := []io.Reader{bytes.NewReader(s.mem)}
		if s.file != nil {
			parts = append(parts, io.NewSectionReader(s.file, 0, s.fileSize))
		}
		parts = append(parts, s.src)
		return io.NopCloser(io.MultiReader(parts...)), nil
	}
	return nil, errors.New("internal error: input read three times")
}

func (s *spool) Read(p []byte) (int, error) {
	n, err := s.src.Read(p)
	if n > 0 {
		if room := spoolMemLimit - len(s.mem); room > 0 {
			k := min(room, n)
			s.mem = append(s.mem, p[:k]...)
			if k < n {
				s.keep(p[k:n])
			}
		} else {
			s.keep(p[:n])
		}
	}
	return n, err
}

func (s *spool) keep(p []byte) {
	if s.err != nil {
		return
	}
	if s.file == nil {
		f, err := os.CreateTemp(s.tempDir, "journey-conform-*.input")
		if err != nil {
			s.err = fmt.Errorf("keeping standard input for a second reading: %v", err)
			return
		}
		s.file = f
	}
	n, err := s.file.Write(p)
	s.fileSize += int64(n)
	if err != nil {
		s.err = fmt.Errorf("keeping standard input for a second reading: %v", err)
	}
}

func (s *spool) close() {
	if s.file != nil {
		name := s.file.Name()
		s.file.Close()
		os.Remove(name)
		s.file = nil
	}
	s.mem = nil
}

// sniffSize is how much of the input is looked at to tell its kind.
const sniffSize = 8 << 10

// magic numbers of formats that are not event logs, or not yet.
var magics = []struct {
	magic []byte
	msg   string
}{
	{[]byte{0x28, 0xb5, 0x2f, 0xfd}, "is zstd-compressed: decompress it first (zstd -d), or export with gzip"},
	{[]byte("BZh"), "is bzip2-compressed: decompress it first (bunzip2), or export with gzip"},
	{[]byte{0xfd, '7', 'z', 'X', 'Z', 0}, "is xz-compressed: decompress it first (xz -d), or export with gzip"},
	{[]byte("PK\x03\x04"), "is a ZIP archive: unzip it and pass the CSV or JSON Lines file inside"},
	{[]byte("PAR1"), "is a Parquet file: export the events as CSV or JSON Lines"},
	{[]byte("SQLite format 3\x00"), "is an SQLite database: export the events table as CSV (sqlite3 -csv -header DB 'SELECT ...')"},
	{[]byte{0xff, 0xfe}, "is UTF-16 text: convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)"},
	{[]byte{0xfe, 0xff}, "is UTF-16 text: convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)"},
}

// decoded opens the source, decompresses gzip (told by its magic bytes),
// refuses what is not text, and tells the format.
func decoded(o *opener, opts *Options) (io.ReadCloser, *bufio.Reader, string, error) {
	name := o.src.Name
	raw, err := o.open()
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the name is said already
		}
		return nil, nil, "", &InputError{Name: name, Msg: err.Error()}
	}
	br := bufio.NewReaderSize(raw, 256<<10)
	head, _ := br.Peek(sniffSize)
	gz := false
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			raw.Close()
			return nil, nil, "", &InputError{Name: name, Msg: "is not a valid gzip file: " + err.Error()}
		}
		gz = true
		br = bufio.NewReaderSize(zr, 256<<10)
		head, err = br.Peek(sniffSize)
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull && len(head) == 0 {
			raw.Close()
			return nil, nil, "", &InputError{Name: name, Msg: "cannot decompress: " + err.Error()}
		}
	}
	fail := func(msg string) (io.ReadCloser, *bufio.Reader, string, error) {
		raw.Close()
		if gz {
			msg = "(gzip-compressed) " + msg
		}
		return nil, nil, "", &InputError{Name: name, Msg: msg}
	}
	for _, m := range magics {
		if bytes.HasPrefix(head, m.magic) {
			return fail(m.msg)
		}
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\ufeff")))) == 0 {
		return fail("is empty: expected a CSV file with a header line, or JSON Lines")
	}
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return fail(fmt.Sprintf("looks binary (a NUL byte at offset %d), not a CSV or JSON Lines event log", i))
	}
	// A UTF-8 byte order mark is not part of the first column's name.
	if bytes.HasPrefix(head, []byte("\ufeff")) {
		br.Discard(3)
		head = head[3:]
	}
	format := opts.InputFormat
	if format == "" || format == FormatAuto {
		format = detectFormat(o.src, head)
	}
	if format == FormatJSONL {
		if t := bytes.TrimLeft(head, " \t\r\n"); len(t) > 0 && t[0] == '[' {
			return fail("is a JSON array: conform reads JSON Lines, one object per line (convert with: jq -c '.[]')")
		}
	}
	return raw, br, format, nil
}

// detectFormat tells the format from the file's extension (under a .gz),
// else from its first line.
func detectFormat(src Source, head []byte) string {
	name := strings.ToLower(src.Path)
	if name == "" {
		name = strings.ToLower(src.Name)
	}
	name = strings.TrimSuffix(name, ".gz")
	switch filepath.Ext(name) {
	case ".csv":
		return FormatCSV
	case ".tsv", ".tab":
		return FormatTSV
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL
	}
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return FormatJSONL
	}
	line := t
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if bytes.IndexByte(line, '\t') >= 0 && bytes.IndexByte(line, ',') < 0 {
		return FormatTSV
	}
	return FormatCSV
}
