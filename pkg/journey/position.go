// Package journey is the in-memory model of journey maps: journeys, stages,
// transitions, workspaces and the source positions of everything in them.
// It does no I/O and knows nothing about YAML or output formats.
package journey

import "fmt"

// Pos is a 1-based line and column in a source file. Columns count Unicode
// code points, not bytes.
type Pos struct {
	Line   int
	Column int
}

// IsZero reports whether the position is unset.
func (p Pos) IsZero() bool { return p.Line == 0 }

// Before reports whether p comes strictly before q.
func (p Pos) Before(q Pos) bool {
	return p.Line < q.Line || (p.Line == q.Line && p.Column < q.Column)
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// Range is a half-open span of source text: End is the position just after
// the last character.
type Range struct {
	Start Pos
	End   Pos
}

// IsZero reports whether the range is unset.
func (r Range) IsZero() bool { return r.Start.IsZero() }

// Text is a string value from a file together with where it was written.
type Text struct {
	Value string
	Range Range
}

// Field records where one key of a mapping and its value were written.
type Field struct {
	Name  string
	Key   Range
	Value Range
}

// Meta carries the positions of one object of the file.
type Meta struct {
	// Range spans the whole object.
	Range Range
	// Fields holds the position of every key written in the object, in
	// file order. A slice, not a map: objects have few keys, and a journey
	// has many objects.
	Fields []Field
}

// Field returns the position of key, if it was written in the object.
func (m Meta) Field(key string) (Field, bool) {
	for _, f := range m.Fields {
		if f.Name == key {
			return f, true
		}
	}
	return Field{}, false
}

// Has reports whether key was written in the object.
func (m Meta) Has(key string) bool {
	_, ok := m.Field(key)
	return ok
}

// ValueRange is the range of key's value, or the object's start when the
// key is absent.
func (m Meta) ValueRange(key string) Range {
	if f, ok := m.Field(key); ok {
		return f.Value
	}
	return m.Start()
}

// KeyRange is the range of key itself, or the object's start when the key
// is absent.
func (m Meta) KeyRange(key string) Range {
	if f, ok := m.Field(key); ok {
		return f.Key
	}
	return m.Start()
}

// Start is an empty range at the first character of the object.
func (m Meta) Start() Range {
	return Range{Start: m.Range.Start, End: m.Range.Start}
}
