// Package load reads journey files and workspace configurations into the
// model, keeping the start and end position of every key and value, and
// reports everything wrong with the input itself (syntax, duplicate keys,
// extra documents, runaway aliases, schema) as findings with positions.
package load

import (
	"errors"
	"fmt"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/journey"
	"gopkg.in/yaml.v3"
)

// File is one loaded file: its bytes, what could be decoded from it, and
// the problems found while loading it.
type File struct {
	// Path is the file's name as the user gave it ("<stdin>" for -).
	Path   string
	Source []byte
	// Journey is the decoded journey, or nil when the file holds none.
	Journey *journey.Journey
	// Config is set for a workspace configuration file.
	Config      *journey.Config
	Diagnostics []diag.Diagnostic
	// reload reads the file again (nil for standard input and files not
	// read from a path).
	reload func() (*File, error)
}

// ErrNoReload is Reload's error for a file that cannot be read again:
// standard input, or a file parsed from bytes.
var ErrNoReload = errors.New("the file cannot be read again")

// Reloadable reports whether Reload can read the file again.
func (f *File) Reloadable() bool { return f.reload != nil }

// Reload reads and parses the file again, as Load or Stream first did: for
// a caller that released its model or source (see Visitor).
func (f *File) Reload() (*File, error) {
	if f.reload == nil {
		return nil, ErrNoReload
	}
	nf, err := f.reload()
	if err != nil {
		return nil, err
	}
	nf.reload = f.reload
	return nf, nil
}

// ParseJourney loads one journey file from its bytes.
func ParseJourney(path string, data []byte) *File {
	f := &File{Path: path, Source: data}
	root, dec, ok := f.prepare(data, func() *validator { return journeySchema })
	if !ok {
		return f
	}
	if root == nil {
		f.add("schema", journey.Range{Start: journey.Pos{Line: 1, Column: 1}, End: journey.Pos{Line: 1, Column: 1}},
			"the file is empty: a journey needs at least `journey`, `title`, `phases` and `stages`")
		return f
	}
	f.Journey = dec.journey(path, root)
	if dec.err != nil {
		f.Journey = nil
	}
	f.setJourney()
	return f
}

// ParseConfig loads a workspace configuration file from its bytes. An empty
// file is a valid configuration with every default.
func ParseConfig(path string, data []byte) *File {
	f := &File{Path: path, Source: data, Config: &journey.Config{File: path}}
	root, dec, ok := f.prepare(data, func() *validator { return configSchema })
	if !ok || root == nil {
		return f
	}
	if c := dec.config(path, root); dec.err == nil {
		f.Config = c
	}
	return f
}

// prepare parses data, expands it within the alias budget and validates it
// against the schema. ok is false when nothing more can be read from it.
func (f *File) prepare(data []byte, schemaOf func() *validator) (root *yaml.Node, dec *decoder, ok bool) {
	p := parseYAML(f.Path, data)
	f.Diagnostics = append(f.Diagnostics, p.diags...)
	if p.root == nil || isImplicitNull(p.root) {
		return nil, nil, len(p.diags) == 0
	}
	schemaOnce.Do(compileSchemas)
	v := schemaOf()
	if v == nil {
		f.add("schema", p.src.lineRange(1), "internal error: the embedded JSON Schema does not compile: "+fmt.Sprint(errSchemaCompile))
		return p.root, &decoder{src: p.src, exp: newExpander(p.nodes)}, true
	}
	exp := newExpander(p.nodes)
	if v.fast != nil {
		valid, err := v.fast.valid(p.root, exp, 0)
		if errors.Is(err, errAliasBudget) {
			f.aliasBomb(p, exp)
			return nil, nil, false
		}
		if valid && err == nil {
			return p.root, &decoder{src: p.src, exp: newExpander(p.nodes)}, true
		}
		exp = newExpander(p.nodes)
	}
	value, err := exp.value(p.root, 0)
	if err != nil {
		f.aliasBomb(p, exp)
		return nil, nil, false
	}
	for _, problem := range v.validate(p.src, p.root, value) {
		f.add("schema", problem.at, problem.message)
		f.Diagnostics[len(f.Diagnostics)-1].Suggestion = problem.suggestion
	}
	return p.root, &decoder{src: p.src, exp: newExpander(p.nodes)}, true
}

// CheckSyntax reports what keeps data from being one sound YAML document,
// as ParseJourney and ParseConfig report it (syntax errors at their token,
// duplicate keys, further documents, nesting too deep, binary or invalid
// text, aliases that expand without bound), without reading the document
// as a journey: for commands that only need the YAML to be sound (fmt).
func CheckSyntax(path string, data []byte) []diag.Diagnostic {
	f := &File{Path: path, Source: data}
	p := parseYAML(path, data)
	f.Diagnostics = append(f.Diagnostics, p.diags...)
	if p.root == nil || len(p.diags) > 0 || p.aliases == 0 {
		return f.Diagnostics
	}
	exp := newExpander(p.nodes)
	if _, err := exp.value(p.root, 0); err != nil {
		f.aliasBomb(p, exp)
	}
	return f.Diagnostics
}

func (f *File) aliasBomb(p *parsed, exp *expander) {
	at := journey.Range{Start: start(p.root), End: start(p.root)}
	if exp.firstAlias != nil {
		at = p.src.rangeOf(exp.firstAlias)
	}
	f.add("syntax", at, fmt.Sprintf("aliases here expand the file to more than %d values: a journey file never needs this many (is it an alias bomb?)", 2*p.nodes+minAliasBudget))
}

func (f *File) add(rule string, at journey.Range, msg string) {
	f.Diagnostics = append(f.Diagnostics, diag.Diagnostic{
		File: f.Path, Range: at, Severity: diag.Error, Rule: rule, Message: msg,
	})
}

// setJourney names the file's journey on its findings.
func (f *File) setJourney() {
	if f.Journey == nil {
		return
	}
	for i := range f.Diagnostics {
		f.Diagnostics[i].Journey = f.Journey.ID.Value
	}
}

// isImplicitNull tells a document with nothing in it ("---" alone), which is
// an empty file, from one whose content is an explicit null.
func isImplicitNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == "" && n.Style == 0
}
