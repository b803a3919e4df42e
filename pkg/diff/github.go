package diff

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/journeykit/journey/internal/termsafe"
	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
)

// GitHubOptions place the annotations of WriteGitHub.
type GitHubOptions struct {
	// Root is the repository root, absolute ("" for none): the runner
	// resolves annotation paths against it. File names of both versions
	// are as the user gave them, relative to the current directory.
	Root string
	// Error makes the annotations errors (the check fails on them:
	// --fail-on) instead of warnings.
	Error bool
}

// WriteGitHub prints each breaking change as a GitHub Actions workflow
// command, so that it shows on the pull request's changed lines, then the
// summary line:
//
//	::warning file=journeys/trial.journey.yaml,line=12,col=9,title=journey diff%3A utm-changed::trial: starts-trial: touchpoints[0].utm.campaign: a -> b
//
// A removal is placed where it was removed from in the new file (the
// stage's next, touchpoints or reasons key, or the journey's stages key),
// since the pull request shows the new file's lines; its old place is in
// the message. Values are escaped as in lint's github format; a message is
// cut to maxMessageRunes code points, as in the Markdown comment.
func WriteGitHub(w io.Writer, r *Result, o GitHubOptions) error {
	b := bufio.NewWriter(w)
	paths := diag.NewPaths(o.Root)
	command := "warning"
	if o.Error {
		command = "error"
	}
	for _, d := range r.Journeys {
		for _, c := range d.Changes {
			if !c.Breaking {
				continue
			}
			file, pos, note := annotationPlace(d, c)
			if rel, ok := paths.Under(file); ok {
				file = rel
			}
			var props []string
			add := func(key, value string) {
				if value != "" && value != "0" {
					props = append(props, key+"="+diag.EscapeGitHubProperty(value))
				}
			}
			add("file", termsafe.Line(file))
			add("line", strconv.Itoa(pos.Line))
			add("col", strconv.Itoa(pos.Column))
			add("title", "journey diff: "+c.Kind)
			msg := d.Journey + ": "
			if c.Stage != "" {
				msg += c.Stage + ": "
			}
			msg += c.Message + note
			b.WriteString("::" + command)
			if len(props) > 0 {
				b.WriteString(" " + strings.Join(props, ","))
			}
			b.WriteString("::" + diag.EscapeGitHubData(oneLine(cut(msg, maxMessageRunes))) + "\n")
		}
	}
	b.WriteString(SummaryLine(r) + "\n")
	return b.Flush()
}

// annotationPlace is where a change is shown on the pull request: its own
// place when it is on the new side; for a removal from a journey that is
// still there, the key of the new file it was removed from, and a note
// naming its old place; for a removed journey, its old file.
func annotationPlace(d *JourneyDiff, c Change) (file string, pos journey.Pos, note string) {
	if c.Side != SideOld {
		return c.File, journey.Pos{Line: c.Line, Column: c.Column}, ""
	}
	if d.New == nil {
		return c.File, journey.Pos{}, ""
	}
	if c.Line > 0 {
		note = " (was at " + c.File + ":" + itoa(c.Line) + ":" + itoa(c.Column) + ")"
	}
	n := d.New
	var r journey.Range
	if s := n.Stage(c.Stage); s != nil && c.Stage != "" {
		switch {
		case c.Kind == TransitionRemoved:
			r = s.KeyRange("next")
		case c.Field == "touchpoints":
			r = s.KeyRange("touchpoints")
		case c.Field == "reasons":
			r = s.KeyRange("reasons")
		case c.Kind == MetricRemoved:
			r = s.KeyRange("metrics")
		default:
			r = s.ID.Range
		}
	} else {
		key := "stages"
		switch c.Kind {
		case PhaseRemoved:
			key = "phases"
		case PersonaRemoved:
			key = "personas"
		case ChannelRemoved:
			key = "channels"
		case MetricRemoved:
			key = "metrics"
		}
		r = n.KeyRange(key)
	}
	return n.File, r.Start, note
}
