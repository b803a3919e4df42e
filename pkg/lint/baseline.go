package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/journeykit/journey/pkg/diag"
)

// Baseline records known findings so that lint reports only new ones. A
// finding matches by file, rule, journey, stage and message, never by line,
// so edits elsewhere in the file do not bring it back; each recorded
// entry hides as many findings as its count.
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one recorded finding.
type BaselineEntry struct {
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

func entryOf(d diag.Diagnostic) BaselineEntry {
	return BaselineEntry{File: d.File, Rule: d.Rule, Journey: d.Journey, Stage: d.Stage, Message: d.Message}
}

// NewBaseline records the given findings.
func NewBaseline(ds []diag.Diagnostic) *Baseline {
	counts := map[BaselineEntry]int{}
	for _, d := range ds {
		counts[entryOf(d)]++
	}
	b := &Baseline{Version: 1, Findings: []BaselineEntry{}}
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

// ReadBaseline parses a baseline file.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("not a journey baseline file: %w", err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("baseline version %d is not supported (want 1)", b.Version)
	}
	return &b, nil
}

// Write stores the baseline as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}

// Filter drops the findings the baseline records.
func (b *Baseline) Filter(ds []diag.Diagnostic) []diag.Diagnostic {
	left := map[BaselineEntry]int{}
	for _, e := range b.Findings {
		n := e.Count
		if n == 0 {
			n = 1
		}
		left[e.key()] += n
	}
	var out []diag.Diagnostic
	for _, d := range ds {
		k := entryOf(d)
		if left[k] > 0 {
			left[k]--
			continue
		}
		out = append(out, d)
	}
	return out
}
