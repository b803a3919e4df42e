// Package importer turns journeys kept in other tools into journey files:
// Mermaid's user-journey diagram (Mermaid) and one-row-per-stage CSV from
// a spreadsheet (CSV). Both build the file as a YAML node tree and return
// it in `journey fmt`'s canonical layout, with comments that mark what a
// person still has to complete. Whatever they cannot map is refused with
// an *Error that gives its line and column; nothing is guessed silently.
package importer

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/journeykit/journey/pkg/format"
	"gopkg.in/yaml.v3"
)

// Limits of one import.
const (
	// MaxInput is the largest input read (bigger input is refused).
	MaxInput = 4 << 20
	// MaxStages is the most tasks or rows one import turns into stages.
	MaxStages = 5000
	// maxIDLen bounds the ids made from names.
	maxIDLen = 64
)

// Options name the journey an import writes.
type Options struct {
	// File is the input's name as the user typed it ("-" for standard
	// input): errors name it, and the journey id and title default to its
	// base name.
	File string
	// Journey and Title, when set, are the journey's id and title.
	Journey string
	Title   string
}

// Error is input that cannot be mapped, at a 1-based line and column
// (counted in characters).
type Error struct {
	File         string
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	name := e.File
	if name == "" || name == "-" {
		name = "<stdin>"
	}
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", name, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", name, e.Line, e.Column, e.Msg)
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+([_-][a-z0-9]+)*$`)

// IsID reports whether s is a valid id of the journey format.
func IsID(s string) bool { return idPattern.MatchString(s) }

// Slug makes an id of a name: lowercase ASCII letters (accented Latin
// letters folded) and digits, every
// other run of characters one '-'; at most 64 characters. It may be empty
// (a name without any ASCII letter or digit).
func Slug(name string) string {
	var b strings.Builder
	dash := false
loop:
	for _, r := range latin.Replace(strings.ToLower(name)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= maxIDLen {
			break loop
		}
	}
	s := b.String()
	if len(s) > maxIDLen {
		s = strings.TrimRight(s[:maxIDLen], "-_")
	}
	return s
}

// words turns an id into a name: "first-use" -> "First use".
func words(id string) string {
	s := strings.NewReplacer("-", " ", "_", " ").Replace(id)
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// ids hands out unique ids made from names.
type ids struct {
	used     map[string]bool
	fallback string // prefix of the ids of names without a slug
}

func newIDs(fallback string) *ids { return &ids{used: map[string]bool{}, fallback: fallback} }

// make returns a fresh id for name: its slug, then slug-2, slug-3...; a
// name without a slug gets the fallback prefix and a number.
func (u *ids) make(name string) string {
	base := Slug(name)
	if base == "" {
		for i := len(u.used) + 1; ; i++ {
			id := fmt.Sprintf("%s-%d", u.fallback, i)
			if !u.used[id] {
				u.used[id] = true
				return id
			}
		}
	}
	id := base
	for i := 2; u.used[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	u.used[id] = true
	return id
}

// journeyNames decides the journey's id and title: the options, else the
// given title (a Mermaid diagram's), else the file's base name.
func journeyNames(o Options, title string) (id, outTitle string, err error) {
	base := ""
	if o.File != "" && o.File != "-" {
		base = filepath.Base(o.File)
		if ext := filepath.Ext(base); ext != "" && ext != base {
			base = strings.TrimSuffix(base, ext)
		}
	}
	id = o.Journey
	if id == "" {
		id = Slug(base)
	}
	if id == "" {
		id = Slug(title)
	}
	if id == "" {
		return "", "", &Error{File: o.File, Msg: "no journey id: name one with --journey ID (a lowercase slug, e.g. onboarding)"}
	}
	if !IsID(id) {
		return "", "", &Error{File: o.File, Msg: fmt.Sprintf("--journey %q is not an id: use lowercase letters, digits, - and _, e.g. %q", o.Journey, orDefault(Slug(o.Journey), "onboarding"))}
	}
	outTitle = o.Title
	if outTitle == "" {
		outTitle = title
	}
	if outTitle == "" && base != "" {
		outTitle = words(strings.TrimSpace(base))
	}
	if strings.TrimSpace(outTitle) == "" {
		outTitle = words(id)
	}
	return id, outTitle, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// checkText refuses input that is not text: invalid UTF-8, NUL and other
// control characters than tab, newline and carriage return.
func checkText(file string, src []byte) error {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return &Error{File: file, Line: line, Column: col, Msg: "the input is not UTF-8 text (is it a binary or UTF-16 file?): save it as UTF-8"}
		case r == '\n':
			line, col = line+1, 0
		case r < 0x20 && r != '\t' && r != '\r' || r == 0x7f || r >= 0x80 && r < 0xa0:
			return &Error{File: file, Line: line, Column: col, Msg: fmt.Sprintf("control character U+%04X: remove it (is this a binary file?)", r)}
		}
		i += n
		col++
	}
	return nil
}

// YAML building.

func scalar(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
}

func intNode(v int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(v)}
}

func boolNode(v bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(v)}
}

func seq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: items}
}

func strs(vs []string) *yaml.Node {
	n := seq()
	n.Style = yaml.FlowStyle
	for _, v := range vs {
		n.Content = append(n.Content, scalar(v))
	}
	return n
}

type mapping struct{ *yaml.Node }

func newMapping() mapping {
	return mapping{&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}}
}

// set adds key: v; comment, when given, goes above the key.
func (m mapping) set(key string, v *yaml.Node, comment ...string) {
	k := scalar(key)
	if len(comment) > 0 {
		k.HeadComment = strings.Join(comment, "\n")
	}
	m.Content = append(m.Content, k, v)
}

// writeJourney writes the document in the canonical layout of journey fmt.
func writeJourney(file string, doc mapping, head string) ([]byte, error) {
	root := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc.Node}, HeadComment: head}
	out, err := yaml.Marshal(root)
	if err != nil {
		return nil, &Error{File: file, Msg: fmt.Sprintf("cannot write the journey: %v", err)}
	}
	formatted, err := format.Format("imported.journey.yaml", out)
	if err != nil {
		return nil, &Error{File: file, Msg: fmt.Sprintf("cannot lay out the journey: %v", err)}
	}
	return formatted, nil
}

// Comments that mark what the import cannot know.
const (
	todoOwner  = "TODO: add owner: TEAM (the team that owns this journey; phases and stages may name their own)."
	todoStages = "TODO: complete each stage: owner, channel, touchpoints (what the company sends or does),\nand transitions beyond the straight line (when, after, rate; failure and exit outcomes)."
)
