package diag

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/termsafe"
)

// WriteGitHub prints each finding as a GitHub Actions workflow command, so
// the runner turns it into an annotation on the pull request, then a plain
// summary line for the log:
//
//	::error file=a.journey.yaml,line=7,col=13,endLine=7,endColumn=19,title=dead-end::MESSAGE
//
// A suggestion follows the message on a second line of the annotation.
func WriteGitHub(w io.Writer, r Report) error {
	b := bufio.NewWriter(w)
	paths := NewPaths(r.Root)
	for _, d := range r.Findings {
		file := d.File
		if rel, ok := paths.Under(file); ok {
			file = rel // the runner resolves names against the repository root
		}
		props := []string{}
		add := func(key, value string) {
			if value != "" && value != "0" {
				props = append(props, key+"="+escapeGitHubProperty(value))
			}
		}
		add("file", termsafe.Line(file))
		add("line", strconv.Itoa(d.Range.Start.Line))
		add("col", strconv.Itoa(d.Range.Start.Column))
		add("endLine", strconv.Itoa(d.Range.End.Line))
		add("endColumn", strconv.Itoa(d.Range.End.Column))
		add("title", termsafe.Line(d.Rule))

		// The runner's log shows ANSI sequences, so control characters
		// are escaped as in the text output; line breaks stay, as %0A.
		message := termsafe.Text(cutMessage(d.Message))
		if d.Suggestion != nil {
			message += "\nhelp: " + termsafe.Text(cutMessage(d.Suggestion.Help()))
		}
		for _, rel := range d.Related {
			message += "\nnote: " + termsafe.Text(cutMessage(relatedText(rel)))
		}
		b.WriteString("::" + githubCommand(d.Severity))
		if len(props) > 0 {
			b.WriteString(" " + strings.Join(props, ","))
		}
		b.WriteString("::" + escapeGitHubData(message) + "\n")
	}
	b.WriteString(SummaryLine(r) + "\n")
	return b.Flush()
}

func githubCommand(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "notice"
}

// The escapes are those of @actions/core (escapeData, escapeProperty): the
// runner undoes exactly these, so any other escaping would show up verbatim.
var (
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeGitHubData(s string) string     { return githubData.Replace(s) }
func escapeGitHubProperty(s string) string { return githubProperty.Replace(s) }
