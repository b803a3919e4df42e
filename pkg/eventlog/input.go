package eventlog

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

	"github.com/journeykit/journey/internal/safeio"
)

// Source is an event log: a file, or a reader such as standard input.
type Source struct {
	// Name is how messages name the log ("-" or "events.csv").
	Name string
	// Path is the file to read. When it is empty, Reader is read instead.
	Path string
	// Reader is read when Path is empty. A Log may be read twice (see
	// Log.Rows): what is read from Reader is kept (in memory up to 16 MiB,
	// then in a temporary file, up to MaxSpool) for the second reading.
	Reader io.Reader
}

// Input formats.
const (
	FormatAuto  = "auto"
	FormatCSV   = "csv"
	FormatTSV   = "tsv"
	FormatJSONL = "jsonl"
	FormatXES   = "xes"
)

// InputFormats are the input formats Log.Rows reads; FormatAuto tells
// the format from the file name, else from the content.
var InputFormats = []string{FormatAuto, FormatCSV, FormatTSV, FormatJSONL, FormatXES}

// InputError is an event log that cannot be read at all: its format, its
// header, or an I/O error. Bad rows are RowErrors, not InputErrors: the
// caller counts and reports them (journey conform --strict makes the first
// one an InputError).
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

// inputError makes a read error an InputError for the log name.
func inputError(name string, err error) error {
	var ie *InputError
	if errors.As(err, &ie) {
		if ie.Name == "" {
			ie.Name = name
		}
		return ie
	}
	var el *errEndlessLine
	if errors.As(err, &el) {
		return &InputError{Name: name, Line: el.line, Msg: fmt.Sprintf("the line is longer than %s: this is not a CSV or JSON Lines event log (one row per line), and reading stops here", safeio.Bytes(MaxSkippedLine))}
	}
	var gb *gzipBombError
	if errors.As(err, &gb) {
		return &InputError{Name: name, Msg: gb.Error()}
	}
	return &InputError{Name: name, Msg: err.Error()}
}

// opener opens the raw bytes of the source, once or twice.
type opener struct {
	src     Source
	tempDir string
	spool   *spool
}

func newOpener(src Source, tempDir string) *opener {
	o := &opener{src: src, tempDir: tempDir}
	if src.Path == "" {
		o.spool = &spool{src: src.Reader, tempDir: tempDir}
	}
	return o
}

// open returns the raw bytes from the start. The first call on a reader
// records what is read; the second replays it. A path must name a regular
// file: a pipe, a device or a socket is refused (it could block, or never
// end); standard input (Source.Reader) is how a pipe is read.
func (o *opener) open() (io.ReadCloser, error) {
	if o.spool == nil {
		f, _, err := safeio.Open(o.src.Path)
		if err != nil {
			var nr *safeio.NotRegularError
			if errors.As(err, &nr) && nr.Kind != "a directory" {
				return nil, fmt.Errorf("%v; to read from a pipe, give --events - and redirect it to standard input", err)
			}
			if errors.As(err, &nr) {
				return nil, errors.New("is a directory: give the event log file")
			}
			return nil, err
		}
		return f, nil
	}
	return o.spool.open()
}

func (o *opener) close() {
	if o.spool != nil {
		o.spool.close()
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
	// dropped: more than MaxSpool went by, and nothing more is kept
	dropped  bool
	unlinked bool
}

const spoolMemLimit = 16 << 20

// MaxSpool is how much of standard input is kept (on disk) for a second
// reading: a log on standard input that is not sorted by case and longer
// than this cannot be sorted (save it to a file instead).
const MaxSpool = 4 << 30

// maxSpool is MaxSpool (a variable for tests).
var maxSpool int64 = MaxSpool

func (s *spool) open() (io.ReadCloser, error) {
	s.opened++
	switch s.opened {
	case 1:
		return io.NopCloser(s), nil
	case 2:
		if s.dropped {
			return nil, fmt.Errorf("is not sorted by case and is longer than %s, the most of standard input kept for a second reading: save the log to a file and pass it with --events FILE, or export it ordered by case", safeio.Bytes(maxSpool))
		}
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
	if s.err != nil || s.dropped {
		return
	}
	if s.fileSize+int64(len(p)) > maxSpool-spoolMemLimit {
		s.dropped = true
		s.close()
		return
	}
	if s.file == nil {
		f, err := os.CreateTemp(s.tempDir, "journey-conform-*.input")
		if err != nil {
			s.err = fmt.Errorf("keeping standard input for a second reading: %v", err)
			return
		}
		s.file = f
		// Unlink at once where the system allows it: nothing is left
		// behind even if the process is killed.
		if os.Remove(f.Name()) == nil {
			s.unlinked = true
		}
	}
	n, err := s.file.Write(p)
	s.fileSize += int64(n)
	if err != nil {
		s.err = fmt.Errorf("keeping standard input for a second reading: %v", err)
	}
}

func (s *spool) close() {
	s.mem = nil
	if s.file != nil {
		name := s.file.Name()
		s.file.Close()
		if !s.unlinked {
			os.Remove(name)
		}
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
func decoded(o *opener, format string) (io.ReadCloser, *bufio.Reader, string, error) {
	name := o.src.Name
	raw, err := o.open()
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the name is said already
		}
		return nil, nil, "", &InputError{Name: name, Msg: err.Error()}
	}
	in := &countingReader{r: raw}
	br := bufio.NewReaderSize(in, 256<<10)
	head, _ := br.Peek(sniffSize)
	gz := false
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			raw.Close()
			return nil, nil, "", &InputError{Name: name, Msg: "is not a valid gzip file: " + err.Error()}
		}
		gz = true
		br = bufio.NewReaderSize(&gzipLimit{r: zr, in: in}, 256<<10)
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
	case ".xes":
		return FormatXES
	}
	t := bytes.TrimLeft(head, " \t\r\n")
	if bytes.HasPrefix(t, []byte("<?xml")) || bytes.HasPrefix(t, []byte("<log")) {
		return FormatXES
	}
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

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// A gzip-compressed log may expand to GzipMaxBase bytes plus GzipMaxRatio
// times its compressed size (counted as it is read); more is refused as a
// decompression bomb. Event logs compress 5 to 20 times.
const (
	GzipMaxBase  = 1 << 30
	GzipMaxRatio = 100
)

// gzipMaxBase is GzipMaxBase (a variable for tests).
var gzipMaxBase int64 = GzipMaxBase

type gzipBombError struct{ in, out int64 }

func (e *gzipBombError) Error() string {
	return fmt.Sprintf("(gzip-compressed) expands to more than %d times its compressed size (%s from %s, past the %s allowed): a decompression bomb? If it is a real log, decompress it first (gunzip) and pass the file",
		GzipMaxRatio, safeio.Bytes(e.out), safeio.Bytes(e.in), safeio.Bytes(gzipMaxBase+GzipMaxRatio*e.in))
}

// gzipLimit stops the decompressed output at the bound above.
type gzipLimit struct {
	r   io.Reader
	in  *countingReader
	out int64
}

func (g *gzipLimit) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.out += int64(n)
	if g.out > gzipMaxBase+GzipMaxRatio*g.in.n {
		return 0, &gzipBombError{in: g.in.n, out: g.out}
	}
	return n, err
}
