package textfmt

import (
	"bufio"
	"io"
	"strings"
	"testing"
)

func TestPercent(t *testing.T) {
	for p, want := range map[float64]string{
		0: "0.00%", 1: "100.00%", 0.5: "50.00%", 0.12345: "12.35%",
		0.00001: "<0.01%", 0.00005: "0.01%", 0.99999: ">99.99%", 0.9999: "99.99%",
	} {
		if got := Percent(p); got != want {
			t.Errorf("Percent(%v) = %q, want %q", p, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	for m, want := range map[float64]string{
		0: "0m", 0.4: "0m", 45: "45m", 59.6: "1h", 60: "1h", 320: "5h 20m",
		24 * 60: "1d", 3*24*60 + 4*60 + 10: "3d 4h", 2*24*60 + 23*60 + 40: "3d",
	} {
		if got := Duration(m); got != want {
			t.Errorf("Duration(%v) = %q, want %q", m, got, want)
		}
	}
}

func TestSeconds(t *testing.T) {
	for s, want := range map[float64]string{
		-3: "0s", 0: "0s", 45.4: "45s", 59.4: "59s", 59.5: "1m", 90: "2m", 3600: "1h", 86400 + 3600: "1d 1h",
	} {
		if got := Seconds(s); got != want {
			t.Errorf("Seconds(%v) = %q, want %q", s, got, want)
		}
	}
}

func TestWriteTable(t *testing.T) {
	var sb strings.Builder
	b := bufio.NewWriter(&sb)
	WriteTable(b, [][]string{{"Stage", "Visited", "Note"}, {"é-start", "100.00%", ""}, {"b", "5%", "x"}}, []bool{false, true, false})
	b.Flush()
	want := "Stage    Visited  Note\n" +
		"é-start  100.00%\n" +
		"b             5%  x\n"
	if sb.String() != want {
		t.Errorf("got\n%q\nwant\n%q", sb.String(), want)
	}
}

func TestWriteReport(t *testing.T) {
	v := struct {
		A int    `json:"a"`
		B string `json:"b"`
	}{1, "x<"}
	text := func(w io.Writer) error { _, err := io.WriteString(w, "text\n"); return err }
	md := func(w io.Writer) error { _, err := io.WriteString(w, "md\n"); return err }
	for format, want := range map[string]string{
		"json":     "{\n  \"a\": 1,\n  \"b\": \"x\\u003c\"\n}\n",
		"text":     "text\n",
		"":         "text\n",
		"markdown": "md\n",
	} {
		var b strings.Builder
		if err := WriteReport(&b, v, format, text, md); err != nil || b.String() != want {
			t.Errorf("%q: %q, %v; want %q", format, b.String(), err, want)
		}
	}
	if err := WriteReport(io.Discard, v, "xml", text, md); err == nil || err.Error() != `unknown format "xml"` {
		t.Errorf("xml: %v", err)
	}
}
