package report

import (
	"net/url"
	"strings"

	"github.com/journeykit/journey/internal/escape"
)

// linkTarget keeps http(s), mailto and relative links and neutralises
// others: javascript:, data:, and protocol-relative links (//host, which a
// browser opens on another site; /\\host too, and with the tabs and
// newlines a browser drops from a URL). A report is pasted into wikis and
// pull requests. Backslashes and & are encoded, so that Markdown's own
// escapes and entities cannot turn the checked text into a scheme.
func linkTarget(raw string) string {
	raw = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, strings.TrimSpace(escape.Clean(raw)))
	if len(raw) >= 2 && (raw[0] == '/' || raw[0] == '\\') && (raw[1] == '/' || raw[1] == '\\') {
		return "#"
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") || u.Scheme == "" && u.Host != "" {
		return "#"
	}
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\\", "%5C", "&", "&amp;", "`", "%60").Replace(raw)
}
