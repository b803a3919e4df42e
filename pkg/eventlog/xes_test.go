package eventlog

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

const xesLog = `<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <global scope="event"><string key="concept:name" value="__INVALID__"/></global>
  <classifier name="Activity" keys="concept:name"/>
  <string key="concept:name" value="ebook nurture export"/>
  <trace>
    <string key="concept:name" value="case-1"/>
    <event>
      <string key="concept:name" value="downloads-ebook"/>
      <date key="time:timestamp" value="2024-03-01T10:00:00.000+01:00"/>
      <string key="lifecycle:transition" value="complete"/>
    </event>
    <event>
      <date key="time:timestamp" value="2024-03-02T10:00:00Z"/>
      <string key="concept:name" value="reads &amp; clicks"/>
      <list key="nested"><string key="concept:name" value="not this"/></list>
    </event>
  </trace>
  <trace>
    <event>
      <string key="concept:name" value="downloads-ebook"/>
      <date key="time:timestamp" value="2024-03-05T08:30:00Z"/>
    </event>
    <string key="concept:name" value="case-2"/>
  </trace>
  <trace>
    <event><string key="concept:name" value="orphan"/></event>
  </trace>
</log>
`

func readAllRows(t *testing.T, name string, data []byte, cols Columns) ([]Row, []error, error) {
	t.Helper()
	l := Open(Source{Name: name, Reader: bytes.NewReader(data)}, t.TempDir())
	defer l.Close()
	rows, err := l.Rows(FormatAuto, cols.WithDefaults())
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []Row
	var bad []error
	for {
		r, err := rows.Next()
		if err == io.EOF {
			return out, bad, nil
		}
		var re *RowError
		if errors.As(err, &re) {
			bad = append(bad, err)
			continue
		}
		if err != nil {
			return out, bad, err
		}
		out = append(out, r)
	}
}

func TestXES(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(xesLog))
	zw.Close()
	for _, c := range []struct {
		name string
		data []byte
	}{{"log.xes", []byte(xesLog)}, {"log.xes.gz", gz.Bytes()}, {"no-extension", []byte(xesLog)}} {
		rows, bad, err := readAllRows(t, c.name, c.data, Columns{})
		if err != nil || len(bad) != 0 {
			t.Fatalf("%s: %v %v", c.name, err, bad)
		}
		var got []string
		for _, r := range rows {
			got = append(got, fmt.Sprintf("%d %s|%s|%s", r.Line, r.Case, r.Event, r.Time))
		}
		want := []string{
			"9 case-1|downloads-ebook|2024-03-01T10:00:00.000+01:00",
			"14 case-1|reads & clicks|2024-03-02T10:00:00Z",
			"21 case-2|downloads-ebook|2024-03-05T08:30:00Z",
			"28 |orphan|",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n%s\nwant\n%s", c.name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	// Other keys through the column options.
	rows, _, err := readAllRows(t, "log.xes", []byte(xesLog), Columns{Event: "lifecycle:transition"})
	if err != nil || rows[0].Event != "complete" || rows[1].Event != "" {
		t.Errorf("--event lifecycle:transition: %v %+v", err, rows)
	}
}

// Hostile XML is refused with a position, within bounded memory.
func TestXESHostile(t *testing.T) {
	bomb := `<?xml version="1.0"?>
<!DOCTYPE log [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<log><trace><string key="concept:name" value="&c;"/></trace></log>
`
	deep := "<log>" + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</log>"
	huge := `<log><trace><string key="concept:name" value="` + strings.Repeat("x", MaxRecord+10) + `"/></trace></log>`
	for _, c := range []struct {
		name, data, want string
	}{
		{"entity bomb", bomb, "log.xes:3: is not well-formed XML: invalid character entity &c;"},
		{"deep", deep, "log.xes:1: elements are nested more than 64 deep"},
		{"huge attribute", huge, "a tag or text is longer than 1 MiB"},
		{"cut short", "<log><trace><event>", "log.xes:1: is not well-formed XML: unexpected EOF"},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><log/>`, "encoded as ISO-8859-1"},
		{"not xml", "<log><trace></log>", "is not well-formed XML"},
	} {
		_, _, err := readAllRows(t, "log.xes", []byte(c.data), Columns{})
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an InputError with %q", c.name, err, c.want)
		}
	}
}

// benchLog writes n events in 1,000 cases as CSV and as XES.
func benchLog(n int) (csvData, xesData []byte) {
	var c, x bytes.Buffer
	c.WriteString("case_id,event,timestamp\n")
	x.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1.0\">\n")
	perCase := n / 1000
	for k := 0; k < 1000; k++ {
		fmt.Fprintf(&x, "<trace><string key=\"concept:name\" value=\"case-%d\"/>\n", k)
		for i := 0; i < perCase; i++ {
			ts := fmt.Sprintf("2024-03-%02dT10:%02d:00Z", 1+i%28, i%60)
			fmt.Fprintf(&c, "case-%d,event-%d,%s\n", k, i%7, ts)
			fmt.Fprintf(&x, "<event><string key=\"concept:name\" value=\"event-%d\"/><date key=\"time:timestamp\" value=\"%s\"/></event>\n", i%7, ts)
		}
		x.WriteString("</trace>\n")
	}
	x.WriteString("</log>\n")
	return c.Bytes(), x.Bytes()
}

func benchRead(b *testing.B, name string, data []byte) {
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		l := Open(Source{Name: name, Reader: bytes.NewReader(data)}, b.TempDir())
		rows, err := l.Rows(FormatAuto, Columns{}.WithDefaults())
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err := rows.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		l.Close()
		if n != 100_000 {
			b.Fatalf("%d events read", n)
		}
	}
}

// BenchmarkReadCSV100k and BenchmarkReadXES100k read the same 100,000
// events; compare their ns/op (events per second = 100,000 / s per op).
func BenchmarkReadCSV100k(b *testing.B) {
	c, _ := benchLog(100_000)
	benchRead(b, "events.csv", c)
}

func BenchmarkReadXES100k(b *testing.B) {
	_, x := benchLog(100_000)
	benchRead(b, "events.xes", x)
}
