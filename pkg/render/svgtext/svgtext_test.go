package svgtext

import (
	"encoding/xml"
	"strings"
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

// Whatever a user's file holds, XMLText makes character data and
// attribute values that an XML parser reads back as the cleaned text.
func TestXMLTextRoundTrips(t *testing.T) {
	for _, s := range []string{
		`<script>alert('x')</script> & "q"`,
		"line\nbreak\ttab",
		"\x00\x1b]0;title\x07\xff",
		"]]> <!-- --> &amp;",
	} {
		doc := `<t a="` + XMLText(s) + `">` + XMLText(s) + `</t>`
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

func TestTruncate(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"a longer label here", 10, "a longer…"},
		{"ünïcödé ünïcödé", 8, "ünïcödé…"},
	} {
		if got := Truncate(c.in, c.max); got != c.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestTextWidthAndWrap(t *testing.T) {
	narrow, wide := TextWidth("iiii", 12, false), TextWidth("WWWW", 12, false)
	if narrow <= 0 || wide <= narrow {
		t.Errorf("widths: iiii %.1f, WWWW %.1f: the embedded font is not measured", narrow, wide)
	}
	if bold, regular := TextWidth("Welcome", 12, true), TextWidth("Welcome", 12, false); bold <= regular {
		t.Errorf("bold %.1f not wider than regular %.1f", bold, regular)
	}
	text := "Send the welcome e-mail with a link to the onboarding checklist"
	lines := Wrap(text, 12, 120, false)
	if len(lines) < 3 || strings.Join(lines, " ") != text {
		t.Errorf("Wrap: %q", lines)
	}
	for _, l := range lines {
		if w := TextWidth(l, 12, false); w > 120 {
			t.Errorf("line %q is %.1f wide, more than 120", l, w)
		}
	}
	long := strings.Repeat("x", 200)
	cut := Wrap(long, 12, 60, false)
	if strings.Join(cut, "") != long || len(cut) < 2 {
		t.Errorf("a word longer than a line is not cut: %q", cut)
	}
	if got := Wrap("first\n\nthird\n\n", 12, 200, false); strings.Join(got, "|") != "first||third" {
		t.Errorf("newlines: %q", got)
	}
}
