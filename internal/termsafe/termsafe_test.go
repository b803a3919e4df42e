package termsafe

import "testing"

func TestLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text, é and 日本", "plain text, é and 日本"},
		{"s\x1b]0;TITLE\a\x1b[2J", `s\x1b]0;TITLE\x07\x1b[2J`},
		{"a\nb\tc\rd", `a\nb\tc\rd`},
		{"\u009b31m", `\u009b31m`},
		{"bad \xff byte", `bad \xff byte`},
		{"evil\u202Etxt.exe", `evil\u202etxt.exe`},
		{"del\x7f", `del\x7f`},
	} {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTextKeepsNewlinesAndTabs(t *testing.T) {
	if got, want := Text("a\n\tb\x1b[2J"), "a\n\tb\\x1b[2J"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestIsSafe(t *testing.T) {
	if !IsSafe("ok é") || IsSafe("\x1b") || IsSafe("\xff") {
		t.Error("IsSafe is wrong")
	}
}
