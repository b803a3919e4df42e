package escape

import (
	"encoding/xml"
	"testing"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                 "plain",
		"tab\tand\nnewline":     "tab\tand\nnewline",
		"bell\x07esc\x1b[31m":   "bellesc[31m",
		"del\x7f":               "del",
		"bad \xff utf8":         "bad \uFFFD utf8",
		"non-char \uFFFE\uFFFF": "non-char ",
		"café ünï 日本":           "café ünï 日本",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// Whatever a user's file holds, XML makes character data and
// attribute values that an XML parser reads back as the cleaned text.
func TestXMLRoundTrips(t *testing.T) {
	for _, s := range []string{
		`<script>alert('x')</script> & "q"`,
		"line\nbreak\ttab",
		"\x00\x1b]0;title\x07\xff",
		"]]> <!-- --> &amp;",
	} {
		doc := `<t a="` + XML(s) + `">` + XML(s) + `</t>`
		var v struct {
			A    string `xml:"a,attr"`
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatalf("%q: %v\n%s", s, err, doc)
		}
		if want := Clean(s); v.A != want || v.Text != want {
			t.Errorf("%q: read back attr %q, text %q; want %q", s, v.A, v.Text, want)
		}
	}
}
