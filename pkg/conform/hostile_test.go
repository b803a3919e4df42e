package conform_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
)

func gz(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func truncatedGzip() string {
	var b strings.Builder
	b.WriteString("case_id,event,timestamp\n")
	for i := range 20000 {
		b.WriteString(strings.Repeat("1", i%7+1) + ",a,1\n")
	}
	z := gz([]byte(b.String()))
	return string(z[:len(z)/2])
}

// TestHostileLogs: logs that cannot be read give one clear error that
// names the file (and the line); bad rows are skipped, counted and
// reported with their line numbers.
func TestHostileLogs(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.TwoStages))
	big := strings.Repeat("x", eventlog.MaxRecord-100) // long fields, within the cap
	fatal := []struct {
		name, log string
		opts      conform.Options
		want      []string
	}{
		{"empty file", "", conform.Options{}, []string{"events: is empty: expected a CSV file with a header line, or JSON Lines"}},
		{"blank file", " \n\r\n\t\n", conform.Options{}, []string{"is empty"}},
		{"missing column", "user_id,event,timestamp\nu,a,1\n", conform.Options{}, []string{"events:1: the CSV header has no column \"case_id\"", "choose the column with --case", `the columns are "user_id", "event", "timestamp"`}},
		{"missing column, close name", "case_id,evnt,timestamp\n", conform.Options{}, []string{`no column "event" (did you mean "evnt"?)`, "--event"}},
		{"chosen column missing", "case_id,event,timestamp\n", conform.Options{Time: "ts"}, []string{`no column "ts"`, "--time"}},
		{"semicolons", "case_id;event;timestamp\n1;a;1\n", conform.Options{}, []string{"only one column", "separated by something else than commas"}},
		{"binary", "case_id,event\x00\x01\x02,timestamp\n", conform.Options{}, []string{"looks binary (a NUL byte at offset 13)"}},
		{"binary gzip", string(gz([]byte("\x00\x01\x02\x03"))), conform.Options{}, []string{"(gzip-compressed) looks binary"}},
		{"not gzip", "\x1f\x8b\x08garbage", conform.Options{}, []string{"is not a valid gzip file"}},
		{"truncated gzip", truncatedGzip(), conform.Options{}, []string{"unexpected EOF"}},
		{"zstd", "\x28\xb5\x2f\xfd rest", conform.Options{}, []string{"is zstd-compressed: decompress it first"}},
		{"parquet", "PAR1....", conform.Options{}, []string{"is a Parquet file"}},
		{"utf-16", "\xff\xfec\x00a\x00", conform.Options{}, []string{"is UTF-16 text"}},
		{"json array", `[{"case_id":"1"}]`, conform.Options{}, []string{"is a JSON array", "jq -c '.[]'"}},
		{"header with an open quote", "case_id,\"event,timestamp\n1,a,1\n", conform.Options{}, []string{"events:1: cannot read the header line"}},
		{"header over the cap", "case_id,event," + strings.Repeat("t", eventlog.MaxRecord) + "\n1,a,1\n", conform.Options{}, []string{"events:1: cannot read the header line: the line is longer than 1 MiB"}},
		{"endless line", "case_id,event,timestamp\n1,a,1\n" + strings.Repeat("z", eventlog.MaxSkippedLine+eventlog.MaxRecord) + "\n1,b,2\n", conform.Options{}, []string{"events:3: the line is longer than 64 MiB: this is not a CSV or JSON Lines event log", "reading stops here"}},
		{"every row bad", "case_id,event,timestamp\n1,a,never\n2,a,soon\n", conform.Options{}, []string{"no row could be read", `line 2: cannot read time "never"`, `line 3: cannot read time "soon"`}},
		{"every json row bad", "{\"id\":1}\n{\"id\":2}\n", conform.Options{InputFormat: eventlog.FormatJSONL}, []string{"no row could be read", `line 1: no event name in "event"`}},
		{"strict", "case_id,event,timestamp\n1,a,1\n1,b,later\n", conform.Options{Strict: true}, []string{`events:3: cannot read time "later"`, "--strict"}},
		{"strict short row", "case_id,event,timestamp\n1,a\n", conform.Options{Strict: true}, []string{"events:2: has 2 field(s), the header has 3"}},
	}
	for _, c := range fatal {
		t.Run(c.name, func(t *testing.T) {
			_, err := runString(t, m, c.log, c.opts)
			var ie *eventlog.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T), want an eventlog.InputError", err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}

	bad := []struct {
		name, log string
		opts      conform.Options
		bad       []conform.BadRow
		check     func(t *testing.T, r *conform.Report)
	}{
		{
			name: "bad times", log: "case_id,event,timestamp\n1,a,2024-05-01T10:00:00Z\n1,b,2024-13-01T00:00:00Z\n1,b,\n1,b,2024-05-01T11:00:00Z\n",
			bad: []conform.BadRow{{3, `cannot read time "2024-13-01T00:00:00Z": expected RFC 3339 like 2024-05-01T10:00:00Z`}, {4, `no time in "timestamp"`}},
			check: func(t *testing.T, r *conform.Report) {
				if r.Moves != 1 || r.Edges[0].Observed != 1 || *r.Edges[0].MedianSeconds != 3600 {
					t.Errorf("the good rows still count: %+v", r.Edges[0])
				}
			},
		},
		{
			name: "quoted newlines keep line numbers", log: "case_id,event,timestamp\n1,a,1\n\"1\",\"two\nlines\",2\n1,b,three\n1,b,4\n",
			bad: []conform.BadRow{{5, `cannot read time "three": expected RFC 3339 (2024-05-01T10:00:00Z) or Unix seconds or milliseconds`}},
			check: func(t *testing.T, r *conform.Report) {
				if r.UnknownEvents != 1 || r.UnknownEventNames[0].Event != "two\nlines" || r.Moves != 1 {
					t.Errorf("unknown %v, moves %d", r.UnknownEventNames, r.Moves)
				}
			},
		},
		{
			name: "quotes", log: "case_id,event,timestamp\n1,a\"b,1\n2,\"a\"x,1\n3,a,1\n",
			bad: []conform.BadRow{{2, `a " inside a field that does not start with a quote (column 4): quote the whole field and double the " inside it`}, {3, `a quoted field is not closed where expected (column 5): a missing or extra "`}},
		},
		{
			name: "unclosed quote", log: "case_id,event,timestamp\n1,a,1\n2,\"a,1\n3,a,1\n",
			// The rows after the broken one are read again on their own.
			bad: []conform.BadRow{{3, `a quoted field opened on line 3 is not closed at the end of the input: a missing or extra "`}},
			check: func(t *testing.T, r *conform.Report) {
				if r.Rows != 3 || r.Cases != 2 || r.MappedEvents != 2 {
					t.Errorf("rows %d cases %d mapped %d", r.Rows, r.Cases, r.MappedEvents)
				}
			},
		},
		{
			name: "unclosed quote closed later", log: "case_id,event,timestamp\n1,a,1\n2,\"a,1\n3,a,1\n4,\"b\",2\n4,a,1\n",
			bad: []conform.BadRow{{3, `a quoted field opened on line 3 is not closed where expected (line 5, column 3): a missing or extra "`}},
			check: func(t *testing.T, r *conform.Report) {
				if r.Rows != 5 || r.Cases != 3 || r.Moves != 1 {
					t.Errorf("rows %d cases %d moves %d", r.Rows, r.Cases, r.Moves)
				}
			},
		},
		{
			name: "a line over the cap", log: "case_id,event,timestamp\n1,a,1\n1," + strings.Repeat("y", eventlog.MaxRecord) + ",2\n1,b,3\n",
			bad: []conform.BadRow{{3, "the line is longer than 1 MiB: skipped"}},
			check: func(t *testing.T, r *conform.Report) {
				if r.Rows != 3 || r.Moves != 1 || r.Edges[0].Observed != 1 {
					t.Errorf("rows %d moves %d", r.Rows, r.Moves)
				}
			},
		},
		{
			name: "short and empty fields", log: "case_id,event,timestamp\n1,a\n,a,1\n1,,1\n1,a,1,extra\n",
			bad: []conform.BadRow{{2, "has 2 field(s), the header has 3"}, {3, `no case id in "case_id"`}, {4, `no event name in "event"`}},
		},
		{
			name: "a 1 MB field", log: "case_id,event,timestamp\n" + big + ",a,1\n" + big + ",b,2\n1," + big + ",1\n1,a," + big + "\n",
			bad: []conform.BadRow{{5, `cannot read time "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"… (1048476 bytes): expected RFC 3339 (2024-05-01T10:00:00Z) or Unix seconds or milliseconds`}},
			check: func(t *testing.T, r *conform.Report) {
				if r.Cases != 1 || r.Moves != 1 || r.UnknownEvents != 1 || len(r.UnknownEventNames[0].Event) > 300 {
					t.Errorf("cases %d moves %d unknown %d (%d bytes)", r.Cases, r.Moves, r.UnknownEvents, len(r.UnknownEventNames[0].Event))
				}
			},
		},
		{
			name: "json lines", opts: conform.Options{InputFormat: eventlog.FormatJSONL},
			log: "{\"case_id\":\"1\",\"event\":\"a\",\"timestamp\":1}\r\n\r\n  \n{\"case_id\":1,\"event\":\"b\"}\nnot json\n{\"case_id\":\"1\",\"event\":\"b\",\"timestamp\":\"2\",\"props\":{\"x\":[1,2]}}\n{\"case_id\":\"1\",\"event\":[\"b\"]}\n{\"case_id\":\"1\",\"event\":\"b\",\"timestamp\":3}",
			bad: []conform.BadRow{{4, `no time in "timestamp"`}, {5, `invalid JSON at column 1: not a JSON object, found 'n'`}, {7, `"event" is an array (["b"]), not a string or a number`}},
			check: func(t *testing.T, r *conform.Report) {
				if r.Moves != 2 || r.OffMap[0] != (conform.OffMapMove{From: "b", To: "b", Count: 1, MedianSeconds: r.OffMap[0].MedianSeconds, P90Seconds: r.OffMap[0].P90Seconds}) {
					t.Errorf("moves %d off-map %+v", r.Moves, r.OffMap)
				}
			},
		},
		{
			name: "byte order mark", log: "\ufeffcase_id,event,timestamp\n1,a,1\n1,b,2\n",
			check: func(t *testing.T, r *conform.Report) {
				if r.Moves != 1 {
					t.Errorf("moves %d", r.Moves)
				}
			},
		},
		{
			name: "header in other case", log: "Case_ID , EVENT,Timestamp\n1,a,1\n1,b,2\n",
			check: func(t *testing.T, r *conform.Report) {
				if r.Moves != 1 {
					t.Errorf("moves %d", r.Moves)
				}
			},
		},
		{
			name: "tsv", log: "case_id\tevent\ttimestamp\n1\ta\t1\n1\tb\t2\n",
			check: func(t *testing.T, r *conform.Report) {
				if r.Moves != 1 || r.InputFormat != eventlog.FormatTSV {
					t.Errorf("moves %d format %s", r.Moves, r.InputFormat)
				}
			},
		},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			r, err := runString(t, m, c.log, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if r.BadRows != int64(len(c.bad)) || (len(c.bad) > 0 && !reflect.DeepEqual(r.BadRowSamples, c.bad)) {
				t.Errorf("bad rows %d:\n got %q\nwant %q", r.BadRows, r.BadRowSamples, c.bad)
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}

	// CRLF line ends give the same report as LF.
	lf := "case_id,event,timestamp\n1,a,1\n1,b,2\n2,a,5\n2,b,oops\n2,a,9\n"
	r1 := mustRun(t, m, lf, conform.Options{})
	r2 := mustRun(t, m, strings.ReplaceAll(lf, "\n", "\r\n"), conform.Options{})
	if !reflect.DeepEqual(r1, r2) {
		t.Errorf("CRLF differs:\n%+v\n%+v", r1, r2)
	}
	if r1.BadRows != 1 || r1.BadRowSamples[0].Line != 5 {
		t.Errorf("bad row %+v", r1.BadRowSamples)
	}

	// Only the first 10 bad rows are kept with their message.
	many := "case_id,event,timestamp\n1,a,1\n" + strings.Repeat("1,a,x\n", 25)
	r := mustRun(t, m, many, conform.Options{})
	if r.BadRows != 25 || len(r.BadRowSamples) != 10 || r.BadRowSamples[9].Line != 12 {
		t.Errorf("bad rows %d, samples %d", r.BadRows, len(r.BadRowSamples))
	}

	// A directory.
	_, err := conform.Run(m, eventlog.Source{Path: t.TempDir()}, conform.Options{})
	if err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	// A file that does not exist.
	_, err = conform.Run(m, eventlog.Source{Path: filepath.Join(t.TempDir(), "nope.csv")}, conform.Options{})
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}

// TestUnknownEventNamesBounded: the distinct unknown event names kept are
// bounded; the rest are counted.
func TestUnknownEventNamesBounded(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.TwoStages))
	var b strings.Builder
	b.WriteString("case_id,event,timestamp\n")
	for i := range 50 {
		b.WriteString("1,e" + strings.Repeat("x", i) + ",1\n")
	}
	r := mustRun(t, m, b.String(), conform.Options{UnknownEventNames: 10})
	if r.UnknownEvents != 50 || len(r.UnknownEventNames) != 10 || !strings.Contains(strings.Join(r.Notes, " "), "40 events with later names") {
		t.Errorf("unknown %d names %d notes %v", r.UnknownEvents, len(r.UnknownEventNames), r.Notes)
	}
}

// TestFIFORefused: a path must name a regular file. A named pipe is
// refused at once (opening it would block until a writer comes, and it
// could never end); a pipe is read as standard input.
func TestFIFORefused(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.TwoStages))
	fifo := filepath.Join(t.TempDir(), "events.csv")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := conform.Run(m, eventlog.Source{Path: fifo, Name: "events.csv"}, conform.Options{})
		done <- err
	}()
	select {
	case err := <-done:
		want := "events.csv: is a named pipe (FIFO), not a regular file: only regular files are read; to read from a pipe, give --events - and redirect it to standard input"
		var ie *eventlog.InputError
		if !errors.As(err, &ie) || err.Error() != want {
			t.Errorf("error %v\nwant %s", err, want)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("Run blocked on a FIFO")
	}
}
