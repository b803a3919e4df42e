package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/journeykit/journey/pkg/journey"
	"gopkg.in/yaml.v3"
)

// csvColumn is how a column named as a stage key of the format is read.
type csvColumn int

const (
	colText    csvColumn = iota // a string
	colID                       // an id
	colList                     // strings separated by ';'
	colIDList                   // ids separated by ';'
	colBool                     // true or false
	colEmotion                  // an integer -2..2
	colOutcome                  // success, failure or exit
)

// csvColumns are the stage keys a CSV column may be named after (besides
// phase_name, the phase's name). Touchpoints, metrics, reasons and
// per-persona emotions are objects: they are completed in the YAML.
var csvColumns = map[string]csvColumn{
	"id": colID, "name": colText, "phase": colID, "description": colText,
	"entry": colBool, "outcome": colOutcome, "owner": colText, "personas": colIDList,
	"channel": colID, "doing": colText, "thinking": colText, "feeling": colText,
	"backstage": colList, "support": colList, "emotion": colEmotion,
	"questions": colList, "pains": colList, "opportunities": colList, "aha": colBool,
	"events": colList, "next": colIDList, "renamed_from": colIDList,
}

// csvObjects are stage keys whose values are objects a cell cannot hold.
var csvObjects = []string{"touchpoints", "metrics", "reasons"}

// CSV maps a spreadsheet of stages to a journey file: one row per stage
// after a header row whose columns are named as the format's stage keys
// (id, name, phase, next, outcome, emotion, owner, channel, doing,
// thinking, feeling, pains...; lists separated by ';'). A column
// phase_name names the phases; other columns become x- keys. Phases are
// made from the phase column in order of first appearance.
func CSV(src []byte, o Options) ([]byte, error) {
	if len(src) > MaxInput {
		return nil, &Error{File: o.File, Msg: fmt.Sprintf("the table is more than %d MiB: split it", MaxInput>>20)}
	}
	if err := checkText(o.File, src); err != nil {
		return nil, err
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	t := &csvTable{file: o.File, lines: bytes.Split(src, []byte("\n"))}
	r := csv.NewReader(bytes.NewReader(src))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return nil, &Error{File: o.File, Line: 1, Column: 1, Msg: "the table is empty: the first row names the columns (id, name, phase, next, ...)"}
	}
	if err != nil {
		return nil, t.csvError(err)
	}
	if err := t.readHeader(r, header); err != nil {
		return nil, err
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, t.csvError(err)
		}
		if err := t.readRow(r, rec); err != nil {
			return nil, err
		}
	}
	if len(t.rows) == 0 {
		return nil, &Error{File: o.File, Line: 2, Column: 1, Msg: "the table has no row under its header: a journey needs at least one stage"}
	}
	if err := t.checkNext(); err != nil {
		return nil, err
	}
	return t.journey(o)
}

type csvCell struct {
	line, col int // of the cell, col in characters
	value     string
}

type csvRow struct {
	number int // 1-based, the header is row 1
	cells  map[string]csvCell
}

type csvTable struct {
	file   string
	lines  [][]byte
	keys   []string // the key of each column
	heads  []string // each column's header as written
	rows   []csvRow
	byID   map[string]csvRow
	phases []string           // phase ids in order of first appearance
	names  map[string]csvCell // phase id -> phase_name cell
}

// at converts encoding/csv's byte column into a character column.
func (t *csvTable) at(line, byteCol int) (int, int) {
	if line >= 1 && line <= len(t.lines) {
		l := t.lines[line-1]
		if byteCol-1 <= len(l) && byteCol >= 1 {
			return line, utf8.RuneCount(l[:byteCol-1]) + 1
		}
	}
	return line, byteCol
}

func (t *csvTable) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line, col := t.at(pe.Line, pe.Column)
		msg := pe.Err.Error()
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			msg = `a stray " in an unquoted cell: quote the whole cell and double the quote ("")`
		case errors.Is(pe.Err, csv.ErrQuote):
			msg = `a quoted cell is never closed, or has a lone " inside: close it and double inner quotes ("")`
		}
		return &Error{File: t.file, Line: line, Column: col, Msg: msg}
	}
	return &Error{File: t.file, Msg: err.Error()}
}

func (t *csvTable) cellErr(r *csv.Reader, field int, format string, args ...any) error {
	l, c := r.FieldPos(field)
	l, c = t.at(l, c)
	return &Error{File: t.file, Line: l, Column: c, Msg: fmt.Sprintf(format, args...)}
}

func (t *csvTable) readHeader(r *csv.Reader, header []string) error {
	seen := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		key := name
		switch _, known := csvColumns[name]; {
		case known || name == "phase_name":
		case slices.Contains(csvObjects, name):
			return t.cellErr(r, i, "column %q: %s are objects a cell cannot hold: remove the column and add them in the journey file after the import", h, name)
		case name == "":
			return t.cellErr(r, i, "column %d has no name: name it after a stage key (id, name, phase, next, ...) or remove it", i+1)
		case strings.HasPrefix(name, "x-"):
			if Slug(name[2:]) != name[2:] {
				return t.cellErr(r, i, "column %q is not an extension key: write x- and a lowercase slug, e.g. x-%s", h, orDefault(Slug(name[2:]), "notes"))
			}
		default:
			key = "x-" + Slug(name)
			if key == "x-" {
				return t.cellErr(r, i, "column %q cannot become an x- key (no letter or digit in its name): rename it", h)
			}
		}
		if j, dup := seen[key]; dup {
			return t.cellErr(r, i, "column %q is column %d again (both are %s): keep one", h, j+1, key)
		}
		seen[key] = i
		t.keys = append(t.keys, key)
		t.heads = append(t.heads, h)
	}
	for _, need := range []string{"id", "name", "phase"} {
		if _, ok := seen[need]; !ok {
			return &Error{File: t.file, Line: 1, Column: 1, Msg: fmt.Sprintf("the header has no %q column: a stage needs id, name and phase", need)}
		}
	}
	t.byID = map[string]csvRow{}
	t.names = map[string]csvCell{}
	return nil
}

func (t *csvTable) readRow(r *csv.Reader, rec []string) error {
	line, _ := r.FieldPos(0)
	number := len(t.rows) + 2
	if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
		return nil // a blank line
	}
	if len(rec) != len(t.keys) {
		last := len(rec) - 1
		return t.cellErr(r, last, "row %d has %d cells, the header %d columns: every row has a cell per column (an empty one is fine)", number, len(rec), len(t.keys))
	}
	if len(t.rows) >= MaxStages {
		return &Error{File: t.file, Line: line, Column: 1, Msg: fmt.Sprintf("more than %d rows: split the table into several journeys", MaxStages)}
	}
	row := csvRow{number: number, cells: map[string]csvCell{}}
	for i, v := range rec {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		l, c := r.FieldPos(i)
		l, c = t.at(l, c)
		cell := csvCell{line: l, col: c, value: v}
		key := t.keys[i]
		where := fmt.Sprintf("row %d, column %q", number, t.heads[i])
		bad := func(format string, args ...any) error {
			return &Error{File: t.file, Line: l, Column: c, Msg: where + ": " + fmt.Sprintf(format, args...)}
		}
		switch csvColumns[key] {
		case colID:
			if !IsID(v) && !strings.HasPrefix(key, "x-") && key != "phase_name" {
				return bad("%q is not an id: use lowercase letters, digits, - and _, e.g. %q", clip(v), orDefault(Slug(v), "stage"))
			}
		case colIDList:
			for _, part := range splitList(v) {
				if !IsID(part) {
					return bad("%q is not an id: use lowercase letters, digits, - and _ (several separated by ;), e.g. %q", clip(part), orDefault(Slug(part), "stage"))
				}
			}
		case colBool:
			if lv := strings.ToLower(v); lv != "true" && lv != "false" {
				return bad("%q is not true or false", clip(v))
			}
		case colEmotion:
			if n, err := strconv.Atoi(v); err != nil || n < -2 || n > 2 {
				return bad("emotion %q is not a whole number from -2 (very negative) to 2 (very positive)", clip(v))
			}
		case colOutcome:
			if v != journey.OutcomeSuccess && v != journey.OutcomeFailure && v != journey.OutcomeExit {
				return bad("outcome %q is not success, failure or exit", clip(v))
			}
		}
		row.cells[key] = cell
	}
	id, ok := row.cells["id"]
	if !ok {
		return &Error{File: t.file, Line: line, Column: 1, Msg: fmt.Sprintf("row %d has no id: every stage needs one", number)}
	}
	if prev, dup := t.byID[id.value]; dup {
		return &Error{File: t.file, Line: id.line, Column: id.col, Msg: fmt.Sprintf("row %d, column \"id\": %q is already the id of row %d: ids are unique", number, id.value, prev.number)}
	}
	for _, need := range []string{"name", "phase"} {
		if _, ok := row.cells[need]; !ok {
			return &Error{File: t.file, Line: line, Column: 1, Msg: fmt.Sprintf("row %d (%s) has no %s: every stage needs one", number, id.value, need)}
		}
	}
	phase := row.cells["phase"].value
	if !slices.Contains(t.phases, phase) {
		t.phases = append(t.phases, phase)
	}
	if pn, ok := row.cells["phase_name"]; ok {
		if prev, ok := t.names[phase]; ok && prev.value != pn.value {
			return &Error{File: t.file, Line: pn.line, Column: pn.col, Msg: fmt.Sprintf("row %d, column \"phase_name\": phase %s is named %q here and %q on line %d: give it one name", number, phase, clip(pn.value), clip(prev.value), prev.line)}
		}
		t.names[phase] = pn
	}
	t.byID[id.value] = row
	t.rows = append(t.rows, row)
	return nil
}

// checkNext refuses transitions to stages no row defines.
func (t *csvTable) checkNext() error {
	for _, row := range t.rows {
		cell, ok := row.cells["next"]
		if !ok {
			continue
		}
		for _, to := range splitList(cell.value) {
			if _, ok := t.byID[to]; !ok {
				return &Error{File: t.file, Line: cell.line, Column: cell.col, Msg: fmt.Sprintf("row %d, column \"next\": no row has the id %q%s", row.number, clip(to), suggestID(to, t.byID))}
			}
		}
	}
	return nil
}

func suggestID(id string, known map[string]csvRow) string {
	ids := make([]string, 0, len(known))
	for k := range known {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	if s := journey.Closest(id, ids); s != "" {
		return fmt.Sprintf(": did you mean %q?", s)
	}
	return ""
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (t *csvTable) journey(o Options) ([]byte, error) {
	id, title, err := journeyNames(o, "")
	if err != nil {
		return nil, err
	}
	doc := newMapping()
	doc.set("journey", scalar(id))
	doc.set("title", scalar(title))

	// Personas and channels the rows name; built-in channels need none.
	var personas, channels []string
	for _, row := range t.rows {
		if c, ok := row.cells["personas"]; ok {
			for _, p := range splitList(c.value) {
				if !slices.Contains(personas, p) {
					personas = append(personas, p)
				}
			}
		}
		if c, ok := row.cells["channel"]; ok && !slices.Contains(journey.BuiltinChannels, c.value) && !slices.Contains(channels, c.value) {
			channels = append(channels, c.value)
		}
	}
	if len(personas) > 0 {
		list := seq()
		for _, p := range personas {
			m := newMapping()
			m.Style = yaml.FlowStyle
			m.set("id", scalar(p))
			m.set("name", scalar(words(p)))
			list.Content = append(list.Content, m.Node)
		}
		doc.set("personas", list, "Personas named in the personas column. TODO: name and describe them.")
	}
	if len(channels) > 0 {
		list := seq()
		for _, c := range channels {
			m := newMapping()
			m.Style = yaml.FlowStyle
			m.set("id", scalar(c))
			m.set("name", scalar(words(c)))
			list.Content = append(list.Content, m.Node)
		}
		doc.set("channels", list, "Channels named in the channel column that are not built in. TODO: give each its kind (email, web, app, ...).")
	}

	phases := seq()
	for _, p := range t.phases {
		m := newMapping()
		m.Style = yaml.FlowStyle
		m.set("id", scalar(p))
		name := words(p)
		if c, ok := t.names[p]; ok {
			name = c.value
		}
		m.set("name", scalar(name))
		phases.Content = append(phases.Content, m.Node)
	}
	doc.set("phases", phases, todoOwner, "Phases come from the phase column, in order of first appearance.")

	stages := seq()
	for _, row := range t.rows {
		m := newMapping()
		for _, key := range t.keys {
			cell, ok := row.cells[key]
			if !ok || key == "phase_name" {
				continue
			}
			v := cell.value
			switch csvColumns[key] {
			case colList, colIDList:
				m.set(key, strs(splitList(v)))
			case colBool:
				m.set(key, boolNode(strings.EqualFold(v, "true")))
			case colEmotion:
				n, _ := strconv.Atoi(v)
				m.set(key, intNode(n))
			default:
				m.set(key, scalar(v))
			}
		}
		stages.Content = append(stages.Content, m.Node)
	}
	doc.set("stages", stages, "Stages are the table's rows.", todoStages)
	return writeJourney(o.File, doc, fmt.Sprintf("Imported from the table %s by journey import csv.", displayName(o.File)))
}
