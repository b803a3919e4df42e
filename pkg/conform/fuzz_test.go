package conform_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
)

// FuzzReadLog: Run on any input, CSV, TSV or JSON Lines, never panics,
// and either reads it (every row counted once) or says why not.
func FuzzReadLog(f *testing.F) {
	for _, s := range []string{
		"case_id,event,timestamp\n1,a,1\n1,b,2\n",
		"case_id\tevent\ttimestamp\n1\ta\t2024-05-01\n",
		"{\"case_id\":\"1\",\"event\":\"a\",\"timestamp\":1}\n{\"case_id\":1,\"event\":\"b\",\"timestamp\":\"2024-05-01T10:00:00Z\"}\n",
		"case_id,event,timestamp\n2,b,1\n1,a,\"2\"\n1,b,x\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	m := mustMapF(f)
	f.Fuzz(func(t *testing.T, data []byte, format uint8) {
		opts := conform.Options{InputFormat: eventlog.InputFormats[int(format)%len(eventlog.InputFormats)], SortMemory: 1}
		r, err := conform.Run(m, eventlog.Source{Name: "events", Reader: bytes.NewReader(data)}, opts)
		if err != nil {
			var ie *eventlog.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("%T %v", err, err)
			}
			return
		}
		if r.Rows != r.MappedEvents+r.UnknownEvents+r.BadRows {
			t.Fatalf("rows %d != mapped %d + unknown %d + bad %d", r.Rows, r.MappedEvents, r.UnknownEvents, r.BadRows)
		}
		if r.Moves != r.MappedEvents-r.Cases {
			t.Fatalf("moves %d, mapped %d, cases %d", r.Moves, r.MappedEvents, r.Cases)
		}
	})
}

func mustMapF(f *testing.F) *conform.Map {
	return eventgen.Map(f, eventgen.FromYAML(f, `journey: j
title: J
phases: [{id: p, name: P}]
stages:
  - {id: a, name: A, phase: p, entry: true, next: [b]}
  - {id: b, name: B, phase: p, next: [a, c]}
  - {id: c, name: C, phase: p, outcome: success}
`))
}

// FuzzSort: a log sorted on disk (tiny memory, many runs, merges in
// passes) gives the report of the same log sorted in memory, whatever
// the order of its rows, with or without CollapseRepeats.
func FuzzSort(f *testing.F) {
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09"), uint16(3))
	f.Add(bytes.Repeat([]byte("abcdefgh"), 300), uint16(7))
	m := mustMapF(f)
	events := []string{"a", "b", "c", "x"}
	f.Fuzz(func(t *testing.T, data []byte, seed uint16) {
		var b strings.Builder
		b.WriteString("case_id,event,timestamp\n")
		for i := 0; i+2 < len(data) && i < 3*400; i += 3 {
			fmt.Fprintf(&b, "%d,%s,%d\n", int(data[i])%(int(seed%50)+1), events[data[i+1]%4], int(data[i+2])%7)
		}
		log := b.String()
		saved, savedRecs := *conform.MaxFanIn, *conform.MinSortRecs
		*conform.MaxFanIn, *conform.MinSortRecs = 3, 4
		defer func() { *conform.MaxFanIn, *conform.MinSortRecs = saved, savedRecs }()
		collapse := seed%2 == 1 // --collapse-repeats on every other seed
		small, err1 := conform.Run(m, eventlog.Source{Name: "-", Reader: strings.NewReader(log)}, conform.Options{SortMemory: 1, CollapseRepeats: collapse})
		big, err2 := conform.Run(m, eventlog.Source{Name: "-", Reader: strings.NewReader(log)}, conform.Options{SortMemory: 1 << 30, CollapseRepeats: collapse})
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("errors %v, %v", err1, err2)
		}
		if err1 != nil {
			return
		}
		small.InputOrder, big.InputOrder = "", ""
		if !reflect.DeepEqual(small, big) {
			t.Fatalf("sorted with little memory:\n%+v\nwith a lot:\n%+v", small, big)
		}
	})
}
