package report

import (
	"strings"
	"testing"

	"github.com/journeykit/journey/pkg/journey"
)

// Link targets from users' files: only http(s), mailto and relative links
// survive; protocol-relative ones and everything Markdown or a browser
// could turn into another scheme or host become "#".
func TestLinkTarget(t *testing.T) {
	for raw, want := range map[string]string{
		"https://example.com/a b(c)":   "https://example.com/a%20b%28c%29",
		"https://x.example/?a=1&b=2":   "https://x.example/?a=1&amp;b=2",
		"docs/retention.md":            "docs/retention.md",
		"/docs/a.md":                   "/docs/a.md",
		"mailto:team@example.com":      "mailto:team@example.com",
		"//evil.example":               "#",
		"//evil.example/path":          "#",
		`/\evil.example`:               "#",
		`\\evil.example`:               "#",
		"/\t/evil.example":             "#",
		" //evil.example ":             "#",
		"javascript:alert(1)":          "#",
		"JavaScript:alert(1)":          "#",
		"java\nscript:alert(1)":        "#",
		"data:text/html,x":             "#",
		"javascript&#58;alert(1)":      "javascript&amp;#58;alert%281%29",
		`javascript\:alert(1)`:         "#",
		"x.svg":                        "x.svg",
		"index.journey.svg":            "index.journey.svg",
		"https://evil.example/`@x`<b>": "https://evil.example/%60@x%60%3Cb%3E",
		"vbscript:msgbox":              "#",
		"file:///etc/passwd":           "#",
		"https:////evil.example":       "https:////evil.example",
		"ftp://files.example/x":        "#",
		"//":                           "#",
		"?q=1":                         "?q=1",
		"#section":                     "#section",
		"https://example.com/#frag":    "https://example.com/#frag",
		"http://[::1]:80/":             "http://[::1]:80/",
		"\x1bhttps://example.com":      "https://example.com",
		"https://example.com/\u202e":   "https://example.com/\u202e",
		"":                             "",
	} {
		if got := linkTarget(raw); got != want {
			t.Errorf("linkTarget(%q) = %q, want %q", raw, got, want)
		}
	}
}

// The report of a journey full of mentions and hostile links has no raw
// mention and no link off the site, in any section.
func TestReportNeutralisesMentionsAndLinks(t *testing.T) {
	j := &journey.Journey{ID: journey.Text{Value: "h"}, Title: "Ask @octocat", Description: "cc @github/security\nthanks @bob",
		Owner: journey.Text{Value: "@owner"}, Phases: []*journey.Phase{{ID: journey.Text{Value: "p"}, Name: "@phase", Goal: "@goal"}}}
	j.Stages = []*journey.Stage{{ID: journey.Text{Value: "a"}, Name: "@stage", Phase: journey.Text{Value: "p"}, Pains: []string{"@pain"}}}
	j.Links = []journey.Link{{Title: "@link", URL: "//evil.example"}, {Title: "x", URL: `/\evil.example`}}
	md := string(Markdown(j, Options{}))
	parts := strings.Split(md, "`")
	for i := 0; i < len(parts); i += 2 { // outside code spans
		for _, word := range []string{"@octocat", "@github", "@bob", "@owner", "@phase", "@goal", "@stage", "@pain", "@link"} {
			if strings.Contains(parts[i], word) {
				t.Errorf("raw mention %s in %q", word, parts[i])
			}
		}
	}
	if strings.Contains(md, "evil.example") {
		t.Errorf("a link to evil.example survived:\n%s", md)
	}
}
