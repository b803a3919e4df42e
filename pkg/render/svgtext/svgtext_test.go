package svgtext

import (
	"strings"
	"testing"
)

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
