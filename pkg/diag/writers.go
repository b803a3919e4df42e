package diag

import (
	"fmt"
	"io"
	"strings"

	"github.com/journeykit/journey/pkg/journey"
)

// Formats lists the names Write accepts, in the order help text shows them.
var Formats = []string{"text", "json", "github", "sarif", "junit"}

// Write prints r in the named format. Text options only matter for "text".
func Write(w io.Writer, format string, r Report, o TextOptions) error {
	switch format {
	case "text":
		return WriteText(w, r, o)
	case "json":
		return WriteJSON(w, r)
	case "github":
		return WriteGitHub(w, r)
	case "sarif":
		return WriteSARIF(w, r)
	case "junit":
		return WriteJUnit(w, r)
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
