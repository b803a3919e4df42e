package eventlog

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/journeykit/journey/internal/safeio"
)

// XES (IEEE 1849, the process-mining standard) keys read by default: the
// trace's concept:name is the case, the event's concept:name the event and
// its time:timestamp the time. --case, --event and --time name other keys.
const (
	XESCase  = "concept:name"
	XESEvent = "concept:name"
	XESTime  = "time:timestamp"
)

// Bounds of the XES reader. encoding/xml never expands entities that a
// document declares (an undeclared entity is an error), so an "XML bomb"
// is refused at its first reference; a single tag or text longer than
// MaxRecord, nesting deeper than maxXESDepth and a trace with more than
// MaxTraceEvents events before its name are refused too, so memory stays
// bounded.
const (
	maxXESDepth = 64
	// MaxTraceEvents is the most events of one trace held while its
	// concept:name is not known yet (it is written after them).
	MaxTraceEvents = 1 << 20
)

// xesRows streams the events of an XES log: <log> holds <trace>s, each
// with its own attributes (<string key="concept:name" value="..."/>) and
// <event>s with theirs. Only the attributes written directly in a trace
// or an event count; nested and global ones are skipped.
type xesRows struct {
	dec   *xml.Decoder
	guard *tokenGuard
	keys  [3]string // case key (on the trace), event key and time key (on events)

	depth   int
	inTrace bool
	inEvent bool
	caseID  string
	named   bool  // the trace's case key was met
	pending []Row // events of the trace met before its name
	ready   []Row
	event   Row
	done    bool
}

func newXESRows(br *bufio.Reader, cols Columns) *xesRows {
	keys := [3]string{cols.Case, cols.Event, cols.Time}
	for i, d := range []string{DefaultCase, DefaultEvent, DefaultTime} {
		if keys[i] == "" || keys[i] == d {
			keys[i] = [3]string{XESCase, XESEvent, XESTime}[i]
		}
	}
	g := &tokenGuard{r: br}
	dec := xml.NewDecoder(g)
	dec.Strict = true
	// Any declared encoding other than UTF-8 is refused with a message
	// rather than decoded.
	dec.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("the log is encoded as %s: journey reads XES in UTF-8 (convert it with iconv)", label)
	}
	return &xesRows{dec: dec, guard: g, keys: keys}
}

func (x *xesRows) next() (Row, error) {
	for {
		if len(x.ready) > 0 {
			r := x.ready[0]
			x.ready = x.ready[1:]
			return r, nil
		}
		if x.done {
			return Row{}, io.EOF
		}
		tok, err := x.dec.Token()
		if err == io.EOF {
			x.done = true // inside an element, the decoder reports a syntax error instead
			continue
		}
		if err != nil {
			var big *tooLongError
			if errors.As(err, &big) {
				return Row{}, x.fail(fmt.Sprintf("a tag or text is longer than %s: not an XES event log this reader accepts", safeio.Bytes(MaxRecord)))
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return Row{}, &InputError{Line: int64(se.Line), Msg: "is not well-formed XML: " + se.Msg}
			}
			return Row{}, err
		}
		if err := x.token(tok); err != nil {
			return Row{}, err
		}
	}
}

// token takes one XML token.
func (x *xesRows) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		x.depth++
		if x.depth > maxXESDepth {
			return x.fail(fmt.Sprintf("elements are nested more than %d deep: not an XES event log", maxXESDepth))
		}
		switch {
		case x.depth == 2 && t.Name.Local == "trace":
			x.inTrace, x.caseID, x.named, x.pending = true, "", false, x.pending[:0]
		case x.depth == 3 && x.inTrace && t.Name.Local == "event":
			line, _ := x.dec.InputPos()
			x.inEvent, x.event = true, Row{Line: int64(line)}
		case x.depth == 3 && x.inTrace:
			if key, value, ok := attribute(t); ok && key == x.keys[0] {
				x.caseID, x.named = value, true
			}
		case x.depth == 4 && x.inEvent:
			if key, value, ok := attribute(t); ok {
				if key == x.keys[1] {
					x.event.Event = value
				}
				if key == x.keys[2] {
					x.event.Time = value
				}
			}
		}
	case xml.EndElement:
		switch {
		case x.depth == 3 && x.inEvent:
			x.inEvent = false
			if x.named {
				x.event.Case = x.caseID
				x.ready = append(x.ready, x.event)
			} else {
				if len(x.pending) >= MaxTraceEvents {
					return x.fail(fmt.Sprintf("a trace has more than %d events before its %s: write the trace's attributes before its events", MaxTraceEvents, x.keys[0]))
				}
				x.pending = append(x.pending, x.event)
			}
		case x.depth == 2 && x.inTrace:
			x.inTrace = false
			for _, e := range x.pending {
				if x.named {
					e.Case = x.caseID
					x.ready = append(x.ready, e)
				} else {
					x.ready = append(x.ready, Row{Line: e.Line, Event: e.Event, Time: e.Time}) // the case check reports it
				}
			}
			x.pending = x.pending[:0]
		}
		x.depth--
	case xml.Directive:
		// A DOCTYPE may declare entities; encoding/xml does not expand
		// them, and a reference to one is a syntax error.
	}
	return nil
}

// attribute reads an XES attribute element (<string key=".." value=".."/>,
// <date .../>, <int .../>, ...).
func attribute(t xml.StartElement) (key, value string, ok bool) {
	switch t.Name.Local {
	case "string", "date", "int", "float", "boolean", "id":
	default:
		return "", "", false
	}
	for _, a := range t.Attr {
		switch a.Name.Local {
		case "key":
			key = a.Value
		case "value":
			value = a.Value
		}
	}
	return key, value, key != ""
}

func (x *xesRows) fail(msg string) error {
	line, _ := x.dec.InputPos()
	return &InputError{Line: int64(line), Msg: msg}
}

// tokenGuard stops the XML decoder, which holds a whole tag or text in
// memory, when more than MaxRecord bytes pass without a '<': no tag or
// text of a real log is that long.
type tokenGuard struct {
	r     io.Reader
	since int
}

type tooLongError struct{}

func (*tooLongError) Error() string { return "token too long" }

func (g *tokenGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for _, c := range p[:n] {
		if c == '<' {
			g.since = 0
			continue
		}
		if g.since++; g.since > MaxRecord {
			return 0, &tooLongError{}
		}
	}
	return n, err
}
