package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Mermaid maps Mermaid's user-journey diagram (the grammar of mermaid's
// journey.jison) to a journey file: sections become phases, tasks stages
// linked in order (the first an entry, the last a success outcome), a
// task's score 1..5 its emotion -2..2, and its actors personas (ids
// slugged from the names, names kept). `title` (or front matter's
// `title:`) is the title, `accTitle` the title when there is none,
// `accDescr` the description (another `accTitle` is kept as
// x-mermaid-acc-title); `%%` and `#` start comments and `;`
// separates statements as a newline does. A zero-width space in front of
// a task name (how the export writes a name that starts with a keyword) is
// removed.
func Mermaid(src []byte, o Options) ([]byte, error) {
	if len(src) > MaxInput {
		return nil, &Error{File: o.File, Msg: fmt.Sprintf("the diagram is more than %d MiB: split it", MaxInput>>20)}
	}
	if err := checkText(o.File, src); err != nil {
		return nil, err
	}
	d, err := parseMermaid(o.File, string(src))
	if err != nil {
		return nil, err
	}
	return d.journey(o)
}

type mermaidTask struct {
	line, col int
	name      string
	score     int
	actors    []string
}

type mermaidSection struct {
	name  string
	tasks []mermaidTask
}

type mermaidDiagram struct {
	title, accTitle, accDescr string
	sections                  []*mermaidSection
	tasks                     int
}

// cursor is a position in the diagram's text.
type cursor struct {
	file string
	line int
	text string // the current line
}

func (c cursor) errAt(byteCol int, format string, args ...any) *Error {
	col := utf8.RuneCountInString(c.text[:min(byteCol, len(c.text))]) + 1
	return &Error{File: c.file, Line: c.line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

var (
	reJourney  = regexp.MustCompile(`(?i)^journey\b`)
	reTitle    = regexp.MustCompile(`(?i)^title\s`)
	reSection  = regexp.MustCompile(`(?i)^section\s`)
	reAccTitle = regexp.MustCompile(`(?i)^accTitle\s*:\s*`)
	reAccDescr = regexp.MustCompile(`(?i)^accDescr\s*:\s*`)
	reAccBlock = regexp.MustCompile(`(?i)^accDescr\s*\{\s*`)
	reScore    = regexp.MustCompile(`^[1-5]$`)
)

// isSpace is JavaScript's \s, which Mermaid's lexer skips.
func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' }

func parseMermaid(file, src string) (*mermaidDiagram, error) {
	d := &mermaidDiagram{}
	lines := strings.Split(src, "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	if len(lines) > 0 {
		lines[0] = strings.TrimPrefix(lines[0], "\ufeff")
	}
	start := 0
	// Front matter: --- YAML --- before the diagram; its title is the
	// diagram's title, its config (how Mermaid draws) has nothing to map.
	if len(lines) > 0 && strings.TrimRightFunc(lines[0], isSpace) == "---" {
		end := -1
		for i := 1; i < len(lines); i++ {
			if strings.TrimRightFunc(lines[i], isSpace) == "---" {
				end = i
				break
			}
		}
		if end < 0 {
			return nil, &Error{File: file, Line: 1, Column: 1, Msg: "front matter opened with --- is never closed: end it with a line ---"}
		}
		var fm map[string]any
		if err := yaml.Unmarshal([]byte(strings.Join(lines[1:end], "\n")), &fm); err != nil {
			return nil, &Error{File: file, Line: 2, Column: 1, Msg: "front matter is not a YAML mapping of title and config: fix or remove it"}
		}
		for k, v := range fm {
			switch k {
			case "title":
				s, ok := v.(string)
				if !ok {
					return nil, &Error{File: file, Line: 2, Column: 1, Msg: "front matter's title is not text"}
				}
				d.title = strings.TrimSpace(s)
			case "config", "displayMode":
			default:
				return nil, &Error{File: file, Line: 2, Column: 1, Msg: fmt.Sprintf("front matter key %q has no place in a journey: remove it (title and config are read)", k)}
			}
		}
		start = end + 1
	}

	header := false
	var section *mermaidSection
	for n := start; n < len(lines); n++ {
		c := cursor{file: file, line: n + 1, text: lines[n]}
		pos := 0 // byte offset in c.text
		for pos < len(c.text) {
			// Skip whitespace and statement separators.
			r, size := utf8.DecodeRuneInString(c.text[pos:])
			if isSpace(r) || r == ';' {
				pos += size
				continue
			}
			rest := c.text[pos:]
			if isComment(rest) {
				break // a comment to the end of the line
			}
			if !header {
				m := reJourney.FindString(rest)
				if m == "" {
					return nil, c.errAt(pos, "a Mermaid user-journey diagram starts with the word journey; this is not one (flowcharts and other diagrams cannot be imported)")
				}
				header = true
				pos += len(m)
				continue
			}
			switch {
			case reJourney.MatchString(rest):
				return nil, c.errAt(pos, "a second journey keyword: one file holds one diagram")
			case reAccBlock.MatchString(rest):
				body := rest[len(reAccBlock.FindString(rest)):]
				var text []string
				startLine := c
				for {
					if i := strings.IndexByte(body, '}'); i >= 0 {
						text = append(text, body[:i])
						pos = len(c.text) - len(body) + i + 1
						break
					}
					text = append(text, body)
					n++
					if n >= len(lines) {
						return nil, startLine.errAt(pos, "accDescr { is never closed: end the description with }")
					}
					c = cursor{file: file, line: n + 1, text: lines[n]}
					body = c.text
				}
				for i := range text {
					text[i] = strings.TrimSpace(text[i])
				}
				d.accDescr = strings.TrimSpace(strings.Join(text, "\n"))
				continue
			case reAccTitle.MatchString(rest):
				d.accTitle = strings.TrimSpace(rest[len(reAccTitle.FindString(rest)):])
				pos = len(c.text)
				continue
			case reAccDescr.MatchString(rest):
				d.accDescr = strings.TrimSpace(rest[len(reAccDescr.FindString(rest)):])
				pos = len(c.text)
				continue
			case reTitle.MatchString(rest):
				v, end := upTo(rest[6:], "#;")
				d.title = strings.TrimSpace(v)
				pos += 6 + end
				continue
			case reSection.MatchString(rest):
				v, end := upTo(rest[8:], "#:;")
				name := strings.TrimSpace(v)
				if end < len(rest[8:]) && rest[8+end] == ':' {
					return nil, c.errAt(pos+8+end, "a section name ends at ':', which Mermaid does not allow: remove the ':' from the section's name")
				}
				if name == "" {
					return nil, c.errAt(pos, "a section without a name: name it after the word section")
				}
				section = &mermaidSection{name: name}
				d.sections = append(d.sections, section)
				pos += 8 + end
				continue
			}
			// A task: NAME: SCORE[: ACTOR, ACTOR]
			nameText, end := upTo(rest, "#:;")
			name := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(nameText), "\u200b"))
			if end == len(rest) || rest[end] != ':' {
				return nil, c.errAt(pos, "%q is not a statement of a journey diagram: a task is written NAME: SCORE: ACTOR, ACTOR (score 1 to 5)", clip(strings.TrimSpace(nameText)))
			}
			if name == "" {
				return nil, c.errAt(pos, "a task without a name: write its name before the ':'")
			}
			if section == nil {
				return nil, c.errAt(pos, "task %q comes before any section: add a line section NAME above it (sections become the journey's phases)", clip(name))
			}
			dataStart := pos + end + 1
			data, dend := upTo(c.text[dataStart:], "#;")
			pieces := strings.Split(data, ":")
			scoreText := strings.TrimSpace(pieces[0])
			if !reScore.MatchString(scoreText) {
				col := dataStart + (len(pieces[0]) - len(strings.TrimLeftFunc(pieces[0], isSpace)))
				if scoreText == "" {
					return nil, c.errAt(col, "task %q has no score: write NAME: SCORE with a score from 1 to 5", clip(name))
				}
				return nil, c.errAt(col, "task %q has the score %q: a score is a whole number from 1 (very negative) to 5 (very positive)", clip(name), clip(scoreText))
			}
			if len(pieces) > 2 {
				col := dataStart + len(pieces[0]) + 1 + len(pieces[1])
				return nil, c.errAt(col, "task %q has a third ':' part, which Mermaid ignores: write NAME: SCORE: ACTOR, ACTOR", clip(name))
			}
			score, _ := strconv.Atoi(scoreText)
			t := mermaidTask{line: c.line, col: utf8.RuneCountInString(c.text[:pos]) + 1, name: name, score: score}
			if len(pieces) == 2 {
				seen := map[string]bool{}
				for _, a := range strings.Split(pieces[1], ",") {
					a = strings.TrimSpace(a)
					if a != "" && !seen[a] {
						seen[a] = true
						t.actors = append(t.actors, a)
					}
				}
			}
			if d.tasks++; d.tasks > MaxStages {
				return nil, c.errAt(pos, "more than %d tasks: split the diagram into several journeys", MaxStages)
			}
			section.tasks = append(section.tasks, t)
			pos = dataStart + dend
		}
	}
	if !header {
		return nil, &Error{File: file, Line: 1, Column: 1, Msg: "the input is empty: a Mermaid user-journey diagram starts with the word journey"}
	}
	if d.tasks == 0 {
		return nil, &Error{File: file, Line: len(lines), Column: 1, Msg: "the diagram has no task: a journey needs at least one stage (write NAME: SCORE: ACTOR under a section)"}
	}
	return d, nil
}

// isComment reports whether a statement starting at s is a comment to
// the end of the line for Mermaid's lexer: '#', '%' (but not "%{"), or one
// character other than '}' followed by "%%".
func isComment(s string) bool {
	if strings.HasPrefix(s, "#") || strings.HasPrefix(s, "%") && !strings.HasPrefix(s, "%{") {
		return true
	}
	r, n := utf8.DecodeRuneInString(s)
	return r != '}' && strings.HasPrefix(s[n:], "%%")
}

// upTo returns s up to the first of the stop characters, and where that is.
func upTo(s, stop string) (string, int) {
	i := strings.IndexAny(s, stop)
	if i < 0 {
		return s, len(s)
	}
	return s[:i], i
}

// clip shortens text quoted in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	return string([]rune(s)[:57]) + "..."
}

func (d *mermaidDiagram) journey(o Options) ([]byte, error) {
	title := d.title
	if title == "" {
		title = d.accTitle
	}
	id, title, err := journeyNames(o, title)
	if err != nil {
		return nil, err
	}
	doc := newMapping()
	doc.set("journey", scalar(id))
	doc.set("title", scalar(title))
	if d.accDescr != "" {
		doc.set("description", scalar(d.accDescr))
	}
	if d.accTitle != "" && d.accTitle != title {
		// The accessible title, when it is not the title, has no key of
		// its own in the format: kept as an extension.
		doc.set("x-mermaid-acc-title", scalar(d.accTitle))
	}

	personaIDs := newIDs("persona")
	personaOf := map[string]string{} // actor name -> persona id
	personas := seq()
	for _, s := range d.sections {
		for _, t := range s.tasks {
			for _, a := range t.actors {
				if _, ok := personaOf[a]; ok {
					continue
				}
				pid := personaIDs.make(a)
				personaOf[a] = pid
				p := newMapping()
				p.set("id", scalar(pid))
				p.set("name", scalar(a))
				personas.Content = append(personas.Content, p.Node)
			}
		}
	}
	if len(personas.Content) > 0 {
		doc.set("personas", personas, "Personas are the diagram's actors. TODO: describe them (description, goals, needs, pains).")
	}

	phaseIDs := newIDs("phase")
	stageIDs := newIDs("stage")
	phases := seq()
	type stage struct {
		id    string
		phase string
		t     mermaidTask
	}
	var stages []stage
	for _, s := range d.sections {
		pid := phaseIDs.make(s.name)
		p := newMapping()
		p.Style = yaml.FlowStyle
		p.set("id", scalar(pid))
		p.set("name", scalar(s.name))
		phases.Content = append(phases.Content, p.Node)
		for _, t := range s.tasks {
			stages = append(stages, stage{id: stageIDs.make(t.name), phase: pid, t: t})
		}
	}
	doc.set("phases", phases, todoOwner, "Phases are the diagram's sections.")

	list := seq()
	for i, st := range stages {
		m := newMapping()
		m.set("id", scalar(st.id))
		m.set("name", scalar(st.t.name))
		m.set("phase", scalar(st.phase))
		if i == 0 {
			m.set("entry", boolNode(true))
		}
		if i == len(stages)-1 {
			m.set("outcome", scalar("success"))
		}
		if len(st.t.actors) > 0 {
			var ps []string
			for _, a := range st.t.actors {
				ps = append(ps, personaOf[a])
			}
			m.set("personas", strs(ps))
		}
		m.set("emotion", intNode(st.t.score-3))
		if i+1 < len(stages) {
			m.set("next", strs([]string{stages[i+1].id}))
		}
		list.Content = append(list.Content, m.Node)
	}
	doc.set("stages", list, "Stages are the diagram's tasks in order; emotion is the task's score - 3.", todoStages)
	return writeJourney(o.File, doc, fmt.Sprintf("Imported from the Mermaid user-journey diagram %s by journey import mermaid.", displayName(o.File)))
}

func displayName(file string) string {
	if file == "" || file == "-" {
		return "on standard input"
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, file)
}
