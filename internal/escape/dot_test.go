package escape

import (
	"strings"
	"testing"
)

func TestDOTString(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:                `"plain"`,
		`say "hi"`:             `"say \"hi\""`,
		`back\slash \N`:        `"back\\slash \\N"`,
		"two\nlines\tand tab":  `"two\nlines and tab"`,
		"esc\x1b[31m red\x00":  `"esc[31m red"`,
		"bad \xff":             "\"bad \uFFFD\"",
		`"}; node [label=evil`: `"\"}; node [label=evil"`,
	} {
		if got := DOTString(in); got != want {
			t.Errorf("DOTString(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestDOTHTML(t *testing.T) {
	got := DOTHTML("<b>&\"x\"</b>\nnext\tcol")
	if want := "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt; next col"; got != want {
		t.Errorf("DOTHTML = %q, want %q", got, want)
	}
}

// A Mermaid label keeps nothing Mermaid reads as markup: no quote,
// bracket, pipe, backtick or angle bracket survives raw.
func TestMermaid(t *testing.T) {
	in := "A \"quoted\" [link](x) {y} |z| `c` <b>#1 & 2</b>\nline"
	got := Mermaid(in)
	if strings.ContainsAny(got[:strings.Index(got, "<br>")]+got[strings.Index(got, "<br>")+4:], "\"[](){}|`<>") {
		t.Errorf("Mermaid(%q) = %q keeps markup", in, got)
	}
	if !strings.Contains(got, "#quot;quoted#quot;") || !strings.Contains(got, "<br>line") {
		t.Errorf("Mermaid(%q) = %q", in, got)
	}
}
