package load

import (
	"fmt"
	"strings"
	"testing"
)

// CheckSyntax gives exactly the syntax findings ParseJourney gives.
func TestCheckSyntaxAgreesWithParseJourney(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for c := 'b'; c <= 'h'; c++ {
		bomb += fmt.Sprintf("%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c, c-1, c-1, c-1, c-1, c-1, c-1, c-1, c-1, c-1, c-1)
	}
	for name, src := range map[string]string{
		"valid":          formatExample,
		"syntax error":   "journey: a\ntitle: a: b\n",
		"duplicate key":  "journey: a\ntitle: x\njourney: b\n",
		"second doc":     "journey: a\n---\njourney: b\n",
		"deep":           strings.Repeat("[", 150) + strings.Repeat("]", 150) + "\n",
		"NUL":            "journey: a\x00\n",
		"invalid UTF-8":  "journey: \xff\n",
		"alias bomb":     bomb,
		"harmless alias": "journey: &j a\ntitle: *j\n",
		"empty":          "",
	} {
		var want []string
		for _, d := range ParseJourney("t.journey.yaml", []byte(src)).Diagnostics {
			if d.Rule == "syntax" {
				want = append(want, fmt.Sprintf("%v %s", d.Range, d.Message))
			}
		}
		var got []string
		for _, d := range CheckSyntax("t.journey.yaml", []byte(src)) {
			got = append(got, fmt.Sprintf("%v %s", d.Range, d.Message))
		}
		if (len(want) == 0) != (name == "valid" || name == "harmless alias" || name == "empty") {
			t.Errorf("%s: syntax findings %q", name, want)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\ngot  %q\nwant %q", name, got, want)
		}
	}
}
