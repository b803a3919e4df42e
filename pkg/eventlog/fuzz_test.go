package eventlog

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

// csvRecords reads every record with csvRows: the fields of good records
// and the lines of bad ones.
func csvRecords(t *testing.T, data []byte) (recs [][]string, bad []int64) {
	c := &csvRows{ls: newLineSource(bufio.NewReaderSize(bytes.NewReader(data), 16)), comma: ','}
	for {
		err := c.read()
		if err == io.EOF {
			return recs, bad
		}
		var re *RowError
		if errors.As(err, &re) {
			if re.Line < 1 || re.Line > int64(bytes.Count(data, []byte("\n"))+1) {
				t.Fatalf("bad row at line %d of %d", re.Line, bytes.Count(data, []byte("\n"))+1)
			}
			bad = append(bad, re.Line)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		rec := make([]string, c.fields())
		for i := range rec {
			rec[i] = c.field(i)
		}
		recs = append(recs, rec)
	}
}

// FuzzCSVReader: the CSV reader never panics, every bad row has a line
// of the input, and where encoding/csv reads the whole input without an
// error, the reader gives the same records.
func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{
		"a,b,c\n1,2,3\n",
		"a,\"b\nc\",d\r\n\"x\"\"y\",,\n",
		"1,\"a,1\n3,a,1\n4,\"b\",2\n",
		"\"\n\"\n\n\"",
		"a,b\"c\n\"a\"b\n",
		"\r\n\r\n,\r",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, bad := csvRecords(t, data)
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		var want [][]string
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return // encoding/csv has no answer to compare with
			}
			want = append(want, rec)
		}
		if len(bad) > 0 || !reflect.DeepEqual(recs, want) {
			t.Fatalf("records\n%q (bad rows %v)\nencoding/csv:\n%q", recs, bad, want)
		}
	})
}

// FuzzParseTime: ParseTime never panics; a time it reads as RFC 3339
// agrees with package time, and a time printed by package time is read
// back to the millisecond.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-05-01T10:00:00Z", "2024-05-01 10:00:00.123+02:00", "1700000000", "1700000000123", "-1.5", "2024-05-01", "9999-12-31T23:59:59.999999999-23:59", "+"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, ms int64) {
		if got, err := ParseTime(s); err == nil {
			if tm, terr := time.Parse(time.RFC3339Nano, s); terr == nil && tm.Year() >= 0 && tm.UnixMilli() != got && !strings.ContainsAny(s, "tz") {
				t.Fatalf("%q: %d, package time says %d", s, got, tm.UnixMilli())
			}
		} else if strings.ContainsAny(err.Error(), "\x00\x1b") {
			t.Fatalf("control characters in %q", err)
		}
		ms %= 253402300800000 // up to year 9999
		if ms < 0 {
			ms = -ms
		}
		text := time.UnixMilli(ms).UTC().Format(time.RFC3339Nano)
		if got, err := ParseTime(text); err != nil || got != ms {
			t.Fatalf("%s: %d, %v, want %d", text, got, err, ms)
		}
	})
}
