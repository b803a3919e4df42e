package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/journeykit/journey/internal/safeio"
	"github.com/journeykit/journey/internal/termsafe"

	"github.com/journeykit/journey/pkg/diag"
)

// BaselineVersion is the version of the baseline files written. Version 1
// files matched on messages that held line numbers and suggestions, and on
// paths as typed: they are refused, with how to write a new one.
const BaselineVersion = 2

// Baseline records known findings so that lint reports only new ones. A
// finding matches by its file's path relative to the root (the repository
// root, else the workspace root: see load.Set.Root), rule, journey, stage
// and message, never by line, so edits elsewhere in the file, the
// spelling of a path and where lint runs from do not bring it back; each
// recorded entry hides as many findings as its count.
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one recorded finding.
type BaselineEntry struct {
	// File is relative to the root, with forward slashes.
	File    string `json:"file"`
	Rule    string `json:"rule"`
	Journey string `json:"journey,omitempty"`
	Stage   string `json:"stage,omitempty"`
	Message string `json:"message"`
	Count   int    `json:"count,omitempty"`
}

func (e BaselineEntry) key() BaselineEntry {
	e.Count = 0
	return e
}

func entryOf(paths diag.Paths, d diag.Diagnostic) BaselineEntry {
	return BaselineEntry{File: paths.Key(d.File), Rule: d.Rule, Journey: d.Journey, Stage: d.Stage, Message: d.Message}
}

// NewBaseline records the given findings, their files named relative to
// root (absolute; "" for none: paths as given, cleaned).
func NewBaseline(ds []diag.Diagnostic, root string) *Baseline {
	paths := diag.NewPaths(root)
	counts := map[BaselineEntry]int{}
	for _, d := range ds {
		counts[entryOf(paths, d)]++
	}
	b := &Baseline{Version: BaselineVersion, Findings: []BaselineEntry{}}
	for e, n := range counts {
		e.Count = n
		b.Findings = append(b.Findings, e)
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		a, c := b.Findings[i], b.Findings[j]
		if a.File != c.File {
			return a.File < c.File
		}
		if a.Rule != c.Rule {
			return a.Rule < c.Rule
		}
		if a.Stage != c.Stage {
			return a.Stage < c.Stage
		}
		return a.Message < c.Message
	})
	return b
}

// MaxBaselineSize is the largest baseline file read, in bytes: room for
// hundreds of thousands of findings.
const MaxBaselineSize = 64 << 20

// ReadBaseline parses a baseline file of at most MaxBaselineSize bytes.
// Its errors say what is wrong and where, in words (never Go's decoder's).
func ReadBaseline(r io.Reader) (*Baseline, error) {
	data, err := safeio.ReadAll(r, MaxBaselineSize)
	if err != nil {
		return nil, err
	}
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, baselineError(data, dec, err)
	}
	if dec.More() {
		return nil, baselineErrorAt(data, dec.InputOffset(), "not a journey baseline file: more follows the baseline object")
	}
	if b.Version != BaselineVersion {
		switch {
		case b.Version == 0 && b.Findings == nil:
			return nil, &BaselineError{Problem: `not a journey baseline file: no "version" and no "findings" (write one with --write-baseline)`}
		case b.Version == 1:
			return nil, &BaselineError{Problem: "baseline version 1 is no longer read: its entries name files as they were typed and hold line numbers and suggestions in messages, so they stop matching after unrelated edits; write it again with --write-baseline (version 2 survives edits, other spellings of a path and other working directories)"}
		}
		return nil, &BaselineError{Problem: fmt.Sprintf("baseline version %d is not supported (want %d)", b.Version, BaselineVersion)}
	}
	for i, e := range b.Findings {
		if e.Count < 0 {
			return nil, &BaselineError{Problem: fmt.Sprintf("findings[%d].count is %d: want a whole number of at least 1", i, e.Count)}
		}
	}
	return &b, nil
}

// baselineError turns a JSON decoding error into a message with a line and
// column.
func baselineError(data []byte, dec *json.Decoder, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return &BaselineError{Problem: "the file is empty: not a journey baseline file (write one with --write-baseline)"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return baselineErrorAt(data, int64(len(data)), "not a journey baseline file: the JSON ends too early")
	case errors.As(err, &syn):
		return baselineErrorAt(data, syn.Offset, "not a journey baseline file: not valid JSON")
	case errors.As(err, &typ):
		what := "the baseline"
		if typ.Field != "" {
			what = quote(typ.Field)
		}
		return baselineErrorAt(data, typ.Offset, fmt.Sprintf("not a journey baseline file: %s is %s, want %s", what, jsonKind(typ.Value), goKind(typ.Type)))
	}
	msg := err.Error()
	if key, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		key, _ = strconv.Unquote(key)
		return baselineErrorAt(data, dec.InputOffset(), "not a journey baseline file: unknown key "+quote(key))
	}
	return &BaselineError{Problem: "not a journey baseline file: " + termsafe.Line(strings.TrimPrefix(msg, "json: "))}
}

// BaselineError is a problem of a baseline file, at a line and column
// when it has one.
type BaselineError struct {
	Line, Column int // 1-based; 0 when the problem has no position
	Problem      string
}

func (e *BaselineError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Problem)
	}
	return e.Problem
}

// baselineErrorAt is a BaselineError at a byte offset of data (columns
// count code points).
func baselineErrorAt(data []byte, off int64, problem string) *BaselineError {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return &BaselineError{Line: line, Column: col, Problem: problem}
}

// jsonKind names a JSON value kind as encoding/json reports it.
func jsonKind(v string) string {
	switch v {
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "bool":
		return "true or false"
	case "array":
		return "a list"
	case "object":
		return "an object"
	}
	if strings.HasPrefix(v, "number ") {
		return "the number " + plain(strings.TrimPrefix(v, "number "))
	}
	return quote(v)
}

func goKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Slice:
		return "a list"
	case reflect.Struct:
		return "an object"
	}
	return t.Kind().String()
}

// Write stores the baseline as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}

// Filter drops the findings the baseline records, their files matched
// relative to root as in NewBaseline.
func (b *Baseline) Filter(ds []diag.Diagnostic, root string) []diag.Diagnostic {
	paths := diag.NewPaths(root)
	left := map[BaselineEntry]int{}
	for _, e := range b.Findings {
		n := max(e.Count, 1)
		k := e.key()
		left[k] = min(left[k], math.MaxInt-n) + n // never overflows
	}
	var out []diag.Diagnostic
	for _, d := range ds {
		k := entryOf(paths, d)
		if left[k] > 0 {
			left[k]--
			continue
		}
		out = append(out, d)
	}
	return out
}
