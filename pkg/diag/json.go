package diag

import (
	"encoding/json"
	"io"
)

// jsonReport is the contract shape of `journey lint --format json`. Structs,
// not maps, keep the key order fixed so output is byte-stable.
type jsonReport struct {
	Findings []jsonFinding `json:"findings"`
	Summary  Summary       `json:"summary"`
}

type jsonFinding struct {
	File       string          `json:"file"`
	Line       int             `json:"line"`
	Column     int             `json:"column"`
	EndLine    int             `json:"end_line"`
	EndColumn  int             `json:"end_column"`
	Severity   Severity        `json:"severity"`
	Rule       string          `json:"rule"`
	Message    string          `json:"message"`
	Journey    string          `json:"journey"`
	Stage      string          `json:"stage,omitempty"`
	Suggestion *jsonSuggestion `json:"suggestion,omitempty"`
	Related    []jsonRelated   `json:"related,omitempty"`
}

type jsonSuggestion struct {
	Text      string `json:"text"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
}

type jsonRelated struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
	Message   string `json:"message"`
}

// WriteJSON prints the findings and their summary as indented JSON.
func WriteJSON(w io.Writer, r Report) error {
	out := jsonReport{
		Findings: make([]jsonFinding, 0, len(r.Findings)), // [] rather than null
		Summary:  Summarize(r.Files, r.Findings),
	}
	for _, d := range r.Findings {
		start, end := span(d)
		f := jsonFinding{
			File:      d.File,
			Line:      start.Line,
			Column:    start.Column,
			EndLine:   end.Line,
			EndColumn: end.Column,
			Severity:  d.Severity,
			Rule:      d.Rule,
			Message:   d.Message,
			Journey:   d.Journey,
			Stage:     d.Stage,
		}
		if s := d.Suggestion; s != nil {
			start, end := spanOf(s.Range)
			f.Suggestion = &jsonSuggestion{Text: s.Text, Line: start.Line, Column: start.Column, EndLine: end.Line, EndColumn: end.Column}
		}
		for _, rel := range d.Related {
			start, end := spanOf(rel.Range)
			f.Related = append(f.Related, jsonRelated{File: rel.File, Line: start.Line, Column: start.Column,
				EndLine: end.Line, EndColumn: end.Column, Message: rel.Message})
		}
		out.Findings = append(out.Findings, f)
	}
	return encodeJSON(w, out)
}

// encodeJSON writes v indented by two spaces with a final newline, leaving
// <, > and & as they are: the output is read by people and tools, never
// embedded in HTML.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
