package lsp

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/journeykit/journey/pkg/diag"
	"github.com/journeykit/journey/pkg/format"
	"github.com/journeykit/journey/pkg/journey"
)

var idRE = regexp.MustCompile(`^[a-z0-9]+([_-][a-z0-9]+)*$`)

func (st *state) prepareRename(p TextDocumentPositionParams) (any, *rpcError) {
	f := st.file(p.TextDocument.URI)
	if f == nil {
		return nil, nil
	}
	o, _ := f.at(p.Position)
	if o == nil {
		return nil, errorf(codeRequestFailed, "there is no stage, phase, persona, channel or journey id here")
	}
	if o.sym.scope == builtinScope {
		return nil, errorf(codeRequestFailed, "%q is a built-in channel: it cannot be renamed", o.sym.id)
	}
	return o.file.text().rangeToLSP(o.rng), nil
}

func (st *state) rename(p RenameParams) (*WorkspaceEdit, *rpcError) {
	f := st.file(p.TextDocument.URI)
	if f == nil {
		return nil, errorf(codeRequestFailed, "the document is not part of a journey workspace")
	}
	o, ix := f.at(p.Position)
	if o == nil {
		return nil, errorf(codeRequestFailed, "there is no stage, phase, persona, channel or journey id here")
	}
	sym, name := o.sym, p.NewName
	if sym.scope == builtinScope {
		return nil, errorf(codeRequestFailed, "%q is a built-in channel: it cannot be renamed", sym.id)
	}
	if !idRE.MatchString(name) {
		return nil, errorf(codeRequestFailed, "%q is not a valid id: use lowercase letters a-z, digits, and single '-' or '_' between them (e.g. books-demo)", name)
	}
	if name == sym.id {
		return &WorkspaceEdit{Changes: map[string][]TextEdit{}}, nil
	}
	taken := symbol{sym.kind, sym.scope, name}
	for _, i := range ix.bySym[taken] {
		if ix.occs[i].def {
			return nil, errorf(codeRequestFailed, "%s %q already exists", sym.kind, name)
		}
	}
	if sym.kind == kindChannel && isBuiltinChannel(name) {
		return nil, errorf(codeRequestFailed, "%q is a built-in channel: choose another id", name)
	}
	edit := &WorkspaceEdit{Changes: map[string][]TextEdit{}}
	for _, i := range ix.bySym[sym] {
		oc := ix.occs[i]
		edit.Changes[oc.file.uri] = append(edit.Changes[oc.file.uri], TextEdit{Range: oc.file.text().rangeToLSP(oc.rng), NewText: name})
	}
	if sym.kind == kindStage && st.renamedFrom() {
		if s, sf := ix.stageOf(f.set, sym); s != nil {
			if e, ok := renamedFromEdit(sf, s, sym.id); ok {
				edit.Changes[sf.uri] = append(edit.Changes[sf.uri], e)
			}
		}
	}
	return edit, nil
}

func lineEnding(src []byte) string {
	if i := bytes.IndexAny(src, "\r\n"); i >= 0 && src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n' {
		return "\r\n"
	}
	return "\n"
}

// leading is the indentation of the line holding p.
func leading(t *text, p journey.Pos) string {
	a, b := t.lineBounds(p.Line - 1)
	line := t.src[a:b]
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	return string(line[:n])
}

// endOfLine is the LSP position at the end of the line holding p.
func endOfLine(t *text, p journey.Pos) Position {
	_, b := t.lineBounds(p.Line - 1)
	return t.position(b)
}

// insertAt is an edit inserting s at position p.
func insertAt(p Position, s string) TextEdit {
	return TextEdit{Range: Range{Start: p, End: p}, NewText: s}
}

// renamedFromEdit adds old to the stage's renamed_from, so that journey
// diff reports a rename.
func renamedFromEdit(f *sfile, s *journey.Stage, old string) (TextEdit, bool) {
	t := f.text()
	nl := lineEnding(f.src)
	for _, r := range s.RenamedFrom {
		if r.Value == old {
			return TextEdit{}, false
		}
	}
	if fld, ok := s.Meta.Field("renamed_from"); ok {
		vo := t.posOffset(fld.Value.Start)
		if vo < len(f.src) && f.src[vo] == '[' {
			if n := len(s.RenamedFrom); n > 0 {
				return insertAt(t.toLSP(s.RenamedFrom[n-1].Range.End), ", "+old), true
			}
			return insertAt(t.position(vo+1), old), true
		}
		if n := len(s.RenamedFrom); n > 0 {
			lastItem := s.RenamedFrom[n-1].Range
			return insertAt(endOfLine(t, lastItem.End), nl+leading(t, lastItem.Start)+"- "+old), true
		}
		return TextEdit{}, false
	}
	id, ok := s.Meta.Field("id")
	if !ok {
		return TextEdit{}, false
	}
	so := t.posOffset(s.Meta.Range.Start)
	if so < len(f.src) && f.src[so] == '{' {
		end := t.posOffset(s.Meta.Range.End)
		if end > 0 && f.src[end-1] == '}' {
			return insertAt(t.position(end-1), ", renamed_from: ["+old+"]"), true
		}
		return TextEdit{}, false
	}
	indent := strings.Repeat(" ", id.Key.Start.Column-1)
	return insertAt(endOfLine(t, id.Value.End), nl+indent+"renamed_from: ["+old+"]"), true
}

func (st *state) format(uri string) ([]TextEdit, *rpcError) {
	f := st.file(uri)
	if f == nil {
		return nil, errorf(codeRequestFailed, "the document is not part of a journey workspace")
	}
	out, err := format.Format(f.display, f.src)
	if err != nil {
		var fe *format.Error
		if errors.As(err, &fe) {
			return nil, errorf(codeRequestFailed, "journey fmt leaves this file as it is: %v", err)
		}
		return nil, errorf(codeRequestFailed, "journey fmt: %v", err)
	}
	if bytes.Equal(out, f.src) {
		return []TextEdit{}, nil
	}
	t := f.text()
	return []TextEdit{{Range: Range{Start: Position{}, End: t.position(len(f.src))}, NewText: string(out)}}, nil
}

// codeActions offers fixes for the findings at a range.
func (st *state) codeActions(p CodeActionParams) []CodeAction {
	out := []CodeAction{}
	f := st.file(p.TextDocument.URI)
	if f == nil {
		return out
	}
	t := f.text()
	from, to := t.ourPos(t.offset(p.Range.Start)), t.ourPos(t.offset(p.Range.End))
	sn := st.snapshot()
	one := func(title string, d diag.Diagnostic, edits ...TextEdit) {
		out = append(out, CodeAction{
			Title: title, Kind: "quickfix",
			Diagnostics: []Diagnostic{st.toLSPDiagnostic(sn, f, d)},
			Edit:        &WorkspaceEdit{Changes: map[string][]TextEdit{f.uri: edits}},
		})
	}
	for _, d := range f.set.findings[f.abs] {
		if to.Before(d.Range.Start) || d.Range.End.Before(from) {
			continue
		}
		if s := d.Suggestion; s != nil {
			txt := s.Text
			if !s.Literal && !idRE.MatchString(txt) {
				txt = strconv.Quote(txt)
			}
			one("Change to "+s.Text, d, TextEdit{Range: t.rangeToLSP(s.Range), NewText: txt})
			out[len(out)-1].IsPreferred = true
		}
		j := f.nav
		if j == nil || f.isConfig() {
			continue
		}
		switch {
		case d.Rule == "unknown-reference" && strings.HasPrefix(d.Message, "unknown stage ") && !strings.Contains(d.Message, " in journey "):
			id := quotedArg(d.Message)
			phase := ""
			if from := j.Stage(d.Stage); from != nil {
				phase = from.Phase.Value
			}
			if e, ok := addStageEdit(f, j, id, phase); ok && idRE.MatchString(id) {
				one("Add stage "+id, d, e)
			}
		case d.Rule == "unknown-reference" && strings.HasPrefix(d.Message, "unknown phase "):
			id := quotedArg(d.Message)
			if e, ok := addPhaseEdit(f, j, id); ok && idRE.MatchString(id) {
				one("Add phase "+id, d, e)
			}
		case d.Rule == "dead-end" || d.Rule == "no-outcome":
			for _, s := range j.Stages {
				if s.IsOutcome() || len(s.Next) > 0 || (d.Stage != "" && s.ID.Value != d.Stage) {
					continue
				}
				for _, kind := range []string{journey.OutcomeSuccess, journey.OutcomeFailure, journey.OutcomeExit} {
					if e, ok := addKeyEdit(f, s, "outcome: "+kind); ok {
						one("Mark "+s.ID.Value+" as an outcome: "+kind, d, e)
					}
				}
			}
		}
	}
	return out
}

// quotedArg is the first Go-quoted string of a message.
func quotedArg(msg string) string {
	i := strings.IndexByte(msg, '"')
	if i < 0 {
		return ""
	}
	s, err := strconv.QuotedPrefix(msg[i:])
	if err != nil {
		return ""
	}
	v, _ := strconv.Unquote(s)
	return v
}

// addKeyEdit adds `key: value` to a block stage, below its id.
func addKeyEdit(f *sfile, s *journey.Stage, line string) (TextEdit, bool) {
	t := f.text()
	id, ok := s.Meta.Field("id")
	so := t.posOffset(s.Meta.Range.Start)
	if !ok || so < len(f.src) && f.src[so] == '{' {
		return TextEdit{}, false
	}
	return insertAt(endOfLine(t, id.Value.End), lineEnding(f.src)+strings.Repeat(" ", id.Key.Start.Column-1)+line), true
}

// addStageEdit appends a stage to the journey's block list of stages.
func addStageEdit(f *sfile, j *journey.Journey, id, phase string) (TextEdit, bool) {
	if len(j.Stages) == 0 {
		return TextEdit{}, false
	}
	t := f.text()
	lastStage := j.Stages[len(j.Stages)-1]
	so := t.posOffset(lastStage.Meta.Range.Start)
	if so < len(f.src) && f.src[so] == '{' {
		return TextEdit{}, false
	}
	col := lastStage.Meta.Range.Start.Column - 1
	if col < 2 {
		return TextEdit{}, false
	}
	nl := lineEnding(f.src)
	dash := strings.Repeat(" ", col-2)
	key := strings.Repeat(" ", col)
	end := endOfStage(t, lastStage)
	if phase == "" || !idRE.MatchString(phase) {
		phase = lastStage.Phase.Value
	}
	body := nl + nl + dash + "- id: " + id + nl + key + "name: " + id
	if idRE.MatchString(phase) {
		body += nl + key + "phase: " + phase
	}
	return insertAt(end, body), true
}

// endOfStage is the end of the last line of a stage's object with text.
func endOfStage(t *text, s *journey.Stage) Position {
	end := t.posOffset(s.Meta.Range.End)
	// The range may end at the start of the next line: step back over
	// blank lines.
	for end > 0 && (t.src[end-1] == '\n' || t.src[end-1] == '\r' || t.src[end-1] == ' ') {
		end--
	}
	return t.position(end)
}

// addPhaseEdit appends a phase to the journey's list of phases.
func addPhaseEdit(f *sfile, j *journey.Journey, id string) (TextEdit, bool) {
	if len(j.Phases) == 0 {
		return TextEdit{}, false
	}
	t := f.text()
	lastPhase := j.Phases[len(j.Phases)-1]
	so := t.posOffset(lastPhase.Meta.Range.Start)
	nl := lineEnding(f.src)
	if so < len(f.src) && f.src[so] == '{' {
		return insertAt(endOfLine(t, lastPhase.Meta.Range.End), nl+leading(t, lastPhase.Meta.Range.Start)+"- {id: "+id+", name: "+id+"}"), true
	}
	col := lastPhase.Meta.Range.Start.Column - 1
	if col < 2 {
		return TextEdit{}, false
	}
	end := t.posOffset(lastPhase.Meta.Range.End)
	for end > 0 && (t.src[end-1] == '\n' || t.src[end-1] == '\r' || t.src[end-1] == ' ') {
		end--
	}
	return insertAt(t.position(end), nl+strings.Repeat(" ", col-2)+"- id: "+id+nl+strings.Repeat(" ", col)+"name: "+id), true
}
