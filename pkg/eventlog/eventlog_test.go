package eventlog

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// readAll reads every row of one reading of l: the good rows, and the
// bad ones as "line: message".
func readAll(t *testing.T, l *Log, format string) (rows []Row, bad []string, err error) {
	t.Helper()
	rs, err := l.Rows(format, Columns{}.WithDefaults())
	if err != nil {
		return nil, nil, err
	}
	defer rs.Close()
	for {
		r, err := rs.Next()
		if err == io.EOF {
			return rows, bad, nil
		}
		var re *RowError
		if errors.As(err, &re) {
			bad = append(bad, re.Error())
			continue
		}
		if err != nil {
			return rows, bad, err
		}
		rows = append(rows, r)
	}
}

// TestRows: the rows of CSV, TSV and JSON Lines, the format told from the
// content, bad rows with their lines; a reader read twice gives the same
// rows.
func TestRows(t *testing.T) {
	for _, c := range []struct {
		name, log, format string
		rows              []Row
		bad               []string
	}{
		{"csv", "case_id,event,timestamp\n1,a,2024-05-01\n\n2,\"b,c\",3\n3,a\n", FormatCSV,
			[]Row{{2, "1", "a", "2024-05-01"}, {4, "2", "b,c", "3"}}, []string{"line 5: has 2 field(s), the header has 3"}},
		{"tsv", "timestamp\tcase_id\tevent\n1\tc\te\n", FormatTSV, []Row{{2, "c", "e", "1"}}, nil},
		{"jsonl", "{\"case_id\":1,\"event\":\"a\",\"timestamp\":null}\n[1]\n", FormatJSONL,
			[]Row{{1, "1", "a", ""}}, []string{"line 2: a JSON array, not an object: JSON Lines has one object per line"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := Open(Source{Name: "-", Reader: strings.NewReader(c.log)}, t.TempDir())
			defer l.Close()
			for reading := 1; reading <= 2; reading++ {
				rs, err := l.Rows(FormatAuto, Columns{}.WithDefaults())
				if err != nil {
					t.Fatal(err)
				}
				if rs.Format() != c.format {
					t.Errorf("reading %d: format %s, want %s", reading, rs.Format(), c.format)
				}
				rs.Close()
			}
			rows, bad, err := readAll(t, Open(Source{Name: "-", Reader: strings.NewReader(c.log)}, ""), "")
			if err != nil || !reflect.DeepEqual(rows, c.rows) || !reflect.DeepEqual(bad, c.bad) {
				t.Errorf("rows %q bad %q err %v, want %q %q", rows, bad, err, c.rows, c.bad)
			}
		})
	}
	// A third reading of a reader is an error; a file is read again.
	l := Open(Source{Name: "-", Reader: strings.NewReader("case_id,event,timestamp\n")}, "")
	defer l.Close()
	for range 2 {
		if _, _, err := readAll(t, l, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := readAll(t, l, ""); err == nil {
		t.Error("a reader read three times")
	}
	// An unknown format.
	if _, err := Open(Source{Name: "-", Reader: strings.NewReader("a\n")}, "").Rows("xml", Columns{}); err == nil || err.Error() != `unknown input format "xml"` {
		t.Errorf("error %v", err)
	}
}

// TestGzipBomb: the output of gzip is capped; past it, one clear error.
func TestGzipBomb(t *testing.T) {
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write([]byte("case_id,event,timestamp\n"))
	row := []byte("c,a,1700000000\n")
	for range (16 << 20) / len(row) {
		w.Write(row)
	}
	w.Close()
	saved := gzipMaxBase
	gzipMaxBase = 1 << 20
	defer func() { gzipMaxBase = saved }()
	_, _, err := readAll(t, Open(Source{Name: "events.csv.gz", Reader: bytes.NewReader(z.Bytes())}, ""), "")
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "events.csv.gz: (gzip-compressed) expands to more than 100 times its compressed size") ||
		!strings.Contains(err.Error(), "decompress it first (gunzip)") {
		t.Fatalf("error %v", err)
	}
	// Within the cap, the same log is read.
	gzipMaxBase = 1 << 30
	rows, bad, err := readAll(t, Open(Source{Name: "events.csv.gz", Reader: bytes.NewReader(z.Bytes())}, ""), "")
	if err != nil || len(bad) != 0 || len(rows) != (16<<20)/len(row) {
		t.Fatalf("%v: %d rows, bad %q", err, len(rows), bad)
	}
}

// TestSpoolBounded: standard input is kept for a second reading up to
// maxSpool; past it, the second reading is refused with what to do (the
// first reading goes on to the end of the input whatever its length).
func TestSpoolBounded(t *testing.T) {
	saved := maxSpool
	maxSpool = 17 << 20
	defer func() { maxSpool = saved }()
	unit := []byte("1,a,1\n1,b,2\n")
	for _, c := range []struct {
		units  int
		second bool
	}{
		{20 << 20 / len(unit), false},
		{16 << 20 / len(unit), true},
	} {
		in := io.MultiReader(strings.NewReader("case_id,event,timestamp\n"), bytes.NewReader(bytes.Repeat(unit, c.units)))
		l := Open(Source{Name: "-", Reader: in}, t.TempDir())
		rows, _, err := readAll(t, l, "")
		if err != nil || len(rows) != 2*c.units {
			t.Fatalf("first reading: %v, %d rows", err, len(rows))
		}
		rows, _, err = readAll(t, l, "")
		if c.second && (err != nil || len(rows) != 2*c.units) {
			t.Fatalf("second reading: %v, %d rows", err, len(rows))
		}
		var ie *InputError
		if !c.second && (!errors.As(err, &ie) || err.Error() != "-: is not sorted by case and is longer than 17 MiB, the most of standard input kept for a second reading: save the log to a file and pass it with --events FILE, or export it ordered by case") {
			t.Fatalf("error %v", err)
		}
		l.Close()
	}
}

func TestParseTime(t *testing.T) {
	const base = 1714557600000 // 2024-05-01T10:00:00Z
	good := map[string]int64{
		"2024-05-01T10:00:00Z":             base,
		"2024-05-01T10:00:00z":             base,
		"2024-05-01t10:00:00Z":             base,
		"2024-05-01 10:00:00":              base,
		"2024-05-01 10:00:00 UTC":          base,
		"2024-05-01T10:00Z":                base,
		"2024-05-01T12:00:00+02:00":        base,
		"2024-05-01T12:00:00+0200":         base,
		"2024-05-01 12:00:00+02":           base,
		"2024-05-01 03:00:00.000 -0700":    base,
		"2024-05-01T10:00:00.123Z":         base + 123,
		"2024-05-01T10:00:00.1239999Z":     base + 123,
		"2024-05-01T10:00:00,5Z":           base + 500,
		"2024-05-01":                       base - 10*3600*1000,
		" 2024-05-01T10:00:00Z ":           base,
		"1714557600":                       base,
		"1714557600.25":                    base + 250,
		"1714557600123":                    base + 123,
		"1714557600123456":                 base + 123,
		"1714557600123456789":              base + 123,
		"0":                                0,
		"-86400":                           -86400000,
		"1969-12-31T23:59:59Z":             -1000,
		"2000-02-29T00:00:00Z":             951782400000,
		"2024-05-01T10:00:00.000000+00:00": base,
	}
	for in, want := range good {
		got, err := ParseTime(in)
		if err != nil || got != want {
			t.Errorf("ParseTime(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	bad := []string{"", "yesterday", "2024-13-01T00:00:00Z", "2024-02-30", "2023-02-29", "2024-05-01T25:00:00Z",
		"2024-05-01T10:60:00Z", "2024-05-01T10:00:61Z", "2024-05-01T10:00:00+25:00", "2024-05-01T10:00:00 PST",
		"2024-05-01T10:00:00.Z", "1.7e9", "12abc", "99999999999999999999", "2024/05/01", "10:00:00", "2024-05-01T10"}
	for _, in := range bad {
		if got, err := ParseTime(in); err == nil {
			t.Errorf("ParseTime(%q) = %d, want an error", in, got)
		}
	}
}

func TestJSONFields(t *testing.T) {
	keys := [3]string{"case_id", "event", "timestamp"}
	good := map[string][3]string{
		`{"case_id":"a","event":"x","timestamp":"t"}`:                               {"a", "x", "t"},
		`{"event":"x","case_id":42,"timestamp":1714557600.5,"extra":{"a":[1,"}"]}}`: {"42", "x", "1714557600.5"},
		` { "case_id" : "a\"b" , "event" : "caf\u00e9 \ud83d\ude00\n" } `:           {`a"b`, "café 😀\n", ""},
		`{"case_id":null,"event":"x","timestamp":"t","case_id":"later"}`:            {"later", "x", "t"},
		`{}`:                                     {"", "", ""},
		`{"a":true,"b":false,"c":null,"d":-1e5}`: {"", "", ""},
	}
	for in, want := range good {
		var vals [3]string
		if err := jsonFields(in, &keys, &vals); err != nil || vals != want {
			t.Errorf("%s: %q %v, want %q", in, vals, err, want)
		}
	}
	bad := map[string]string{
		`["a"]`:                          "a JSON array",
		`{"case_id":"a"`:                 "expected ',' or '}'",
		`{"case_id":"a"} x`:              "text after the object",
		`{"case_id":{"id":1}}`:           `"case_id" is an object`,
		`{"event":true}`:                 `"event" is a boolean`,
		`{"case_id":"a\x"}`:              "invalid escape",
		`{"case_id":"a`:                  "not closed",
		"{\"case_id\":\"a\tb\"}":         "control character",
		`{case_id:1}`:                    "expected a key",
		`{"a":01x}`:                      "expected ',' or '}'",
		`{"a":[1,2}`:                     `a '}' where ']' closes`,
		`{"a":[1,2`:                      "not closed",
		`hello`:                          "not a JSON object",
		`{"a":-}`:                        "a number",
		`{"timestamp":[1]}`:              `"timestamp" is an array`,
		`{"x":1,}`:                       "expected a key",
		`{"x" 1}`:                        "expected ':'",
		`{"x":tru}`:                      "expected a value",
		`{"x":1.}`:                       "digits after the decimal point",
		`{"x":1e}`:                       "digits of an exponent",
		`{"case_id":"\ud83d","event":1}`: "",
	}
	for in, want := range bad {
		var vals [3]string
		err := jsonFields(in, &keys, &vals)
		if want == "" {
			if err != nil || vals[0] != "\ufffd" {
				t.Errorf("%s: %q %v: a lone surrogate is U+FFFD", in, vals[0], err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", in, err, want)
		}
	}
}
