package diag

import (
	"fmt"
	"io"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
)

// Writer is one output format of findings. Writers is the only list of
// them: the --format flag, its help and completion, the golden tests,
// action.yml's input and the docs are checked against it.
type Writer struct {
	Name string
	// Use says in a few words what the format is for.
	Use   string
	Write func(io.Writer, Report, TextOptions) error
}

// Writers lists every output format, in the order help text shows them.
var Writers = []Writer{
	{"text", "people: one block per finding with the source line", WriteText},
	{"json", "scripts: the contract's findings and summary", func(w io.Writer, r Report, _ TextOptions) error { return WriteJSON(w, r) }},
	{"github", "GitHub Actions annotations on the pull request", func(w io.Writer, r Report, _ TextOptions) error { return WriteGitHub(w, r) }},
	{"sarif", "SARIF 2.1.0 for code scanning", func(w io.Writer, r Report, _ TextOptions) error { return WriteSARIF(w, r) }},
	{"junit", "JUnit XML for CI test reports", func(w io.Writer, r Report, _ TextOptions) error { return WriteJUnit(w, r) }},
}

// Formats lists the names of Writers.
var Formats = func() []string {
	names := make([]string, len(Writers))
	for i, w := range Writers {
		names[i] = w.Name
	}
	return names
}()

// FormatList is Formats in words: "text, json, github, sarif or junit".
func FormatList() string {
	return strings.Join(Formats[:len(Formats)-1], ", ") + " or " + Formats[len(Formats)-1]
}

// Write prints r in the named format. Text options only matter for "text".
func Write(w io.Writer, format string, r Report, o TextOptions) error {
	for _, wr := range Writers {
		if wr.Name == format {
			return wr.Write(w, r, o)
		}
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// span returns the start and end of d's range with an unset or inverted end
// replaced by the start, so every writer can print a closed range.
func span(d Diagnostic) (start, end journey.Pos) {
	return spanOf(d.Range)
}

// spanOf is span for any range.
func spanOf(r journey.Range) (start, end journey.Pos) {
	start, end = r.Start, r.End
	if end.IsZero() || end.Before(start) {
		end = start
	}
	return start, end
}

// SummaryLine is the closing line of the text and GitHub outputs, such as
// "2 errors, 1 warning, 0 infos in 3 files" or "no findings in 1 file".
func SummaryLine(r Report) string {
	files := plural(r.Files, "file", "files")
	if len(r.Findings) == 0 {
		return "no findings in " + files
	}
	s := Summarize(r.Files, r.Findings)
	return fmt.Sprintf("%s, %s, %s in %s",
		plural(s.Errors, "error", "errors"),
		plural(s.Warnings, "warning", "warnings"),
		plural(s.Infos, "info", "infos"),
		files)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
