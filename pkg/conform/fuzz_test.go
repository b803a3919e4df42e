package conform

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
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
		var re *rowError
		if errors.As(err, &re) {
			if re.line < 1 || re.line > int64(bytes.Count(data, []byte("\n"))+1) {
				t.Fatalf("bad row at line %d of %d", re.line, bytes.Count(data, []byte("\n"))+1)
			}
			bad = append(bad, re.line)
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

// FuzzReadLog: Run on any input, CSV, TSV or JSON Lines, never panics,
// and either reads it (every row counted once) or says why not.
func FuzzReadLog(f *testing.F) {
	for _, s := range []string{
		"case_id,event,timestamp\n1,a,1\n1,b,2\n",
		"case_id\tevent\ttimestamp\n1\ta\t2024-05-01\n",
		"{\"case_id\":\"1\",\"event\":\"a\",\"timestamp\":1}\n{\"case_id\":1,\"event\":\"b\",\"timestamp\":\"2024-05-01T10:00:00Z\"}\n",
		"case_id,event,timestamp\n2,b,1\n1,a,\"2\"\n1,b,x\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	m := mustMapF(f)
	f.Fuzz(func(t *testing.T, data []byte, format uint8) {
		opts := Options{InputFormat: InputFormats[int(format)%len(InputFormats)], SortMemory: 1}
		r, err := Run(m, Source{Name: "events", Reader: bytes.NewReader(data)}, opts)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("%T %v", err, err)
			}
			return
		}
		if r.Rows != r.MappedEvents+r.UnknownEvents+r.BadRows {
			t.Fatalf("rows %d != mapped %d + unknown %d + bad %d", r.Rows, r.MappedEvents, r.UnknownEvents, r.BadRows)
		}
		if r.Moves != r.MappedEvents-r.Cases {
			t.Fatalf("moves %d, mapped %d, cases %d", r.Moves, r.MappedEvents, r.Cases)
		}
	})
}

func mustMapF(f *testing.F) *Map {
	return mustMap(f, journeyFromYAML(f, `journey: j
title: J
phases: [{id: p, name: P}]
stages:
  - {id: a, name: A, phase: p, entry: true, next: [b]}
  - {id: b, name: B, phase: p, next: [a, c]}
  - {id: c, name: C, phase: p, outcome: success}
`))
}

// FuzzParseTime: parseTime never panics; a time it reads as RFC 3339
// agrees with package time, and a time printed by package time is read
// back to the millisecond.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-05-01T10:00:00Z", "2024-05-01 10:00:00.123+02:00", "1700000000", "1700000000123", "-1.5", "2024-05-01", "9999-12-31T23:59:59.999999999-23:59", "+"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, ms int64) {
		if got, err := parseTime(s); err == nil {
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
		if got, err := parseTime(text); err != nil || got != ms {
			t.Fatalf("%s: %d, %v, want %d", text, got, err, ms)
		}
	})
}

// FuzzSort: a log sorted on disk (tiny memory, many runs, merges in
// passes) gives the report of the same log sorted in memory, whatever
// the order of its rows.
func FuzzSort(f *testing.F) {
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09"), uint16(3))
	f.Add(bytes.Repeat([]byte("abcdefgh"), 300), uint16(7))
	m := mustMapF(f)
	events := []string{"a", "b", "c", "x"}
	f.Fuzz(func(t *testing.T, data []byte, seed uint16) {
		var b strings.Builder
		b.WriteString("case_id,event,timestamp\n")
		for i := 0; i+2 < len(data) && i < 3*400; i += 3 {
			fmt.Fprintf(&b, "%d,%s,%d\n", int(data[i])%(int(seed%50)+1), events[data[i+1]%4], int(data[i+2])%7)
		}
		log := b.String()
		saved, savedRecs := maxFanIn, minSortRecs
		maxFanIn, minSortRecs = 3, 4
		defer func() { maxFanIn, minSortRecs = saved, savedRecs }()
		small, err1 := Run(m, Source{Name: "-", Reader: strings.NewReader(log)}, Options{SortMemory: 1})
		big, err2 := Run(m, Source{Name: "-", Reader: strings.NewReader(log)}, Options{SortMemory: 1 << 30})
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("errors %v, %v", err1, err2)
		}
		if err1 != nil {
			return
		}
		small.InputOrder, big.InputOrder = "", ""
		if !reflect.DeepEqual(small, big) {
			t.Fatalf("sorted with little memory:\n%+v\nwith a lot:\n%+v", small, big)
		}
	})
}
