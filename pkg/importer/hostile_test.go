package importer

import (
	"errors"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// Hostile input is refused with a position, or imported, never a panic;
// the work is bounded by MaxInput and MaxStages.
func TestHostileInput(t *testing.T) {
	rng := rand.New(rand.NewSource(19))
	random := make([]byte, 1<<20)
	rng.Read(random)
	manyTasks := "journey\n section S\n" + strings.Repeat("  t: 3: a\n", MaxStages+1)
	manyRows := "id,name,phase\n"
	for i := 0; i <= MaxStages; i++ {
		manyRows += "s" + strconv.Itoa(i) + ",S,p\n"
	}
	cases := []struct {
		name    string
		convert func([]byte, Options) ([]byte, error)
		src     string
		want    string // in the message
	}{
		{"mermaid-huge", Mermaid, "journey\n section S\n" + strings.Repeat("  t: 3: a\n", MaxInput/10+1), "more than 4 MiB"},
		{"mermaid-binary", Mermaid, string(random), "1:"},
		{"mermaid-nul", Mermaid, "journey\x00\n", "U+0000"},
		{"mermaid-utf16", Mermaid, "\xff\xfej\x00o\x00", "not UTF-8"},
		{"mermaid-too-many-tasks", Mermaid, manyTasks, "more than 5000 tasks"},
		{"mermaid-long-line", Mermaid, "journey\n section S\n  " + strings.Repeat("é", 1<<20) + ": 9", "the score \"9\""},
		{"mermaid-deep-accdescr", Mermaid, "journey\n accDescr {\n" + strings.Repeat("{\n", 100000), "never closed"},
		{"mermaid-only-comments", Mermaid, strings.Repeat("%% x\n", 1000), "empty"},
		{"csv-huge", CSV, "id,name,phase\n" + strings.Repeat("a,b,c\n", MaxInput/6+1), "more than 4 MiB"},
		{"csv-binary", CSV, string(random), "1:"},
		{"csv-too-many-rows", CSV, manyRows, "more than 5000 rows"},
		{"csv-wide", CSV, "id,name,phase," + strings.Repeat("x,", 100000) + "\n", "again"},
		{"csv-deep-quotes", CSV, "id,name,phase,entry,outcome\na,\"" + strings.Repeat("\"\"", 200000) + "\",p,true,success\n", "lint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := c.convert([]byte(c.src), Options{File: "in"})
			if c.want == "lint" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				checkImported(t, "in.journey.yaml", out)
				return
			}
			var ie *Error
			if !errors.As(err, &ie) {
				t.Fatalf("want a refusal, got %T %v", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("message %q does not say %q", err, c.want)
			}
			if len(err.Error()) > 400 {
				t.Errorf("message of %d bytes", len(err.Error()))
			}
		})
	}
}
