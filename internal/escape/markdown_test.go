package escape

import "testing"

// @mentions become code spans (GitHub pings no one from code); addresses
// and words with @ inside stay as they are.
func TestMarkdownInlineMentions(t *testing.T) {
	for in, want := range map[string]string{
		"hi @octocat":             "hi `@octocat`",
		"@octocat, see":           "`@octocat`, see",
		"(@github/security-team)": "(`@github/security-team`)",
		"@a_b-c and @d":           "`@a_b-c` and `@d`",
		"mail team@example.com":   "mail team@example.com",
		"a_@b":                    "a\\_@b",
		"@ alone and @":           "@ alone and @",
		"@@octocat":               "@`@octocat`",
		"(@a@b @c":                "(`@a@b` `@c`",
		"Env)@EEEEE@EE:":          "Env)`@EEEEE@EE`:",
		"é@octocat":               "é`@octocat`",
		"**@x**":                  "\\*\\*`@x`\\*\\*",
		"@x|y":                    "`@x`\\|y",
		"`@x`":                    "\\``@x`\\`",
	} {
		if got := MarkdownInline(in); got != want {
			t.Errorf("MarkdownInline(%q) = %q, want %q", in, got, want)
		}
	}
}
