package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/journeykit/journey/internal/golden"

	"github.com/journeykit/journey/pkg/conform/sqlgen"
	"github.com/journeykit/journey/pkg/eventlog"
)

// conformCLI runs the command line as main does.
func conformCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

const (
	workedJourney = "../../pkg/conform/testdata/worked/nurture.journey.yaml"
	workedEvents  = "../../pkg/conform/testdata/worked/events.csv"
)

var workedColumns = []string{"--case", "user_id", "--event", "event_name", "--time", "occurred_at"}

func TestConformCommandJSON(t *testing.T) {
	args := append([]string{"conform", workedJourney, "--events", workedEvents, "--format", "json"}, workedColumns...)
	code, out, errOut := conformCLI(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// One bad row: said on stderr too, as the JSON goes to a pipe.
	if !strings.Contains(errOut, `1 bad row(s) skipped (first: line 33: cannot read time "yesterday"`) {
		t.Errorf("stderr: %q", errOut)
	}
	var doc struct {
		Journey string   `json:"journey"`
		Cases   int      `json:"cases"`
		Moves   int      `json:"moves"`
		Fitness *float64 `json:"fitness"`
		Edges   []struct {
			From         string   `json:"from"`
			To           string   `json:"to"`
			Observed     int      `json:"observed"`
			ObservedRate *float64 `json:"observed_rate"`
			DesignedRate *float64 `json:"designed_rate"`
		} `json:"edges"`
		OffMap []struct {
			From  string `json:"from"`
			To    string `json:"to"`
			Count int    `json:"count"`
		} `json:"off_map"`
		UnseenStages []string `json:"unseen_stages"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Journey != "ebook-nurture" || doc.Cases != 11 || doc.Moves != 17 || *doc.Fitness != 16.0/17 {
		t.Errorf("journey %s cases %d moves %d fitness %v", doc.Journey, doc.Cases, doc.Moves, *doc.Fitness)
	}
	want := []string{
		"downloads-ebook>reads-related-content 3 0.2727 0.3000",
		"downloads-ebook>inactive 6 0.5455 0.7000",
		"reads-related-content>books-sales-call 2 0.6667 null",
		"inactive>deactivated 5 0.8333 null",
	}
	var got []string
	for _, e := range doc.Edges {
		d := "null"
		if e.DesignedRate != nil {
			d = fmt.Sprintf("%.4f", *e.DesignedRate)
		}
		got = append(got, fmt.Sprintf("%s>%s %d %.4f %s", e.From, e.To, e.Observed, *e.ObservedRate, d))
	}
	if !slices.Equal(got, want) {
		t.Errorf("edges:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(doc.OffMap) != 1 || doc.OffMap[0].From != "downloads-ebook" || doc.OffMap[0].To != "books-sales-call" || doc.OffMap[0].Count != 1 {
		t.Errorf("off_map %+v", doc.OffMap)
	}
	if doc.UnseenStages == nil || len(doc.UnseenStages) != 0 {
		t.Errorf("unseen_stages %v, want []", doc.UnseenStages)
	}
}

func TestConformCommand(t *testing.T) {
	base := append([]string{"conform", workedJourney, "--events", workedEvents}, workedColumns...)
	code, out, errOut := conformCLI(t, "", base...)
	if code != 0 || !strings.Contains(out, "Fitness: 94.12% (16 of 17 moves on the map)") || errOut != "" {
		t.Errorf("text: exit %d %s\n%s", code, errOut, out)
	}
	code, out, _ = conformCLI(t, "", append(base, "--format", "markdown")...)
	if code != 0 || !strings.HasPrefix(out, "## Conformance of `ebook-nurture`") {
		t.Errorf("markdown: exit %d\n%s", code, out)
	}
	// The log from standard input.
	events, err := os.ReadFile(workedEvents)
	if err != nil {
		t.Fatal(err)
	}
	code, out2, _ := conformCLI(t, string(events), append([]string{"conform", workedJourney, "--events", "-", "--format", "markdown"}, workedColumns...)...)
	if code != 0 || strings.Replace(out2, "Events: - (", "Events: "+workedEvents+" (", 1) != out {
		t.Errorf("stdin: exit %d\n%s", code, out2)
	}
	// --min-fitness: exit 1 below.
	code, _, errOut = conformCLI(t, "", append(base, "--min-fitness", "0.95")...)
	if code != 1 || !strings.Contains(errOut, "fitness 94.12% is below --min-fitness 95.00%") {
		t.Errorf("min-fitness: exit %d %q", code, errOut)
	}
	code, _, _ = conformCLI(t, "", append(base, "--min-fitness", "0.9")...)
	if code != 0 {
		t.Errorf("min-fitness 0.9: exit %d", code)
	}
	// --strict: the bad row is an error (exit 2) with its line.
	code, _, errOut = conformCLI(t, "", append(base, "--strict")...)
	if code != 2 || !strings.Contains(errOut, `events.csv:33: cannot read time "yesterday"`) {
		t.Errorf("strict: exit %d %q", code, errOut)
	}
	// --sql prints the query of pkg/conform/sqlgen.
	code, out, _ = conformCLI(t, "", append([]string{"conform", workedJourney, "--sql", "postgres", "--table", "analytics.events"}, workedColumns...)...)
	want, _ := os.ReadFile("../../pkg/conform/sqlgen/testdata/worked.postgres.sql")
	if code != 0 || out != string(want) {
		t.Errorf("--sql: exit %d\n%s", code, out)
	}
}

func TestConformUsageErrors(t *testing.T) {
	dir := t.TempDir()
	two := filepath.Join(dir, "two")
	os.MkdirAll(two, 0o755)
	src, _ := os.ReadFile(workedJourney)
	os.WriteFile(filepath.Join(two, "a.journey.yaml"), src, 0o644)
	os.WriteFile(filepath.Join(two, "b.journey.yaml"), bytes.Replace(src, []byte("journey: ebook-nurture"), []byte("journey: other"), 1), 0o644)
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, nil, 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"conform", workedJourney}, "--events FILE is required"},
		{[]string{"conform", workedJourney, "--events", workedEvents, "--format", "xml"}, `unknown --format "xml"`},
		{[]string{"conform", workedJourney, "--events", workedEvents, "--events-format", "xls"}, `unknown --events-format "xls"`},
		{[]string{"conform", workedJourney, "--events", workedEvents, "--table", "t"}, "--table goes with --sql"},
		{[]string{"conform", workedJourney, "--sql", "postgres"}, "--sql needs --table"},
		{[]string{"conform", workedJourney, "--sql", "oracle", "--table", "t"}, `unknown --sql dialect "oracle": use postgres, bigquery, snowflake, duckdb, sqlite`},
		{[]string{"conform", workedJourney, "--sql", "sqlite", "--table", "a..b"}, "an empty part"},
		{[]string{"conform", workedJourney, "--sql", "sqlite", "--table", "t", "--events", workedEvents}, "reads no --events file"},
		{[]string{"conform", "-", "--events", "-"}, "cannot both come from standard input"},
		{[]string{"conform", workedJourney, "--events", workedEvents, "--case", ""}, "--case: the column name is empty"},
		{[]string{"conform", workedJourney, "--events", workedEvents, "--min-fitness", "2"}, "between 0 and 1"},
		{[]string{"conform", two, "--events", workedEvents}, "holds 2 journeys"},
		{[]string{"conform", workedJourney, "--events", filepath.Join(dir, "missing.csv")}, "no such file"},
		{[]string{"conform", workedJourney, "--events", empty}, "empty.csv: is empty"},
		{[]string{"conform", workedJourney, "--events", workedEvents}, `events.csv:1: the CSV header has no column "case_id"`},
	}
	for _, c := range cases {
		code, out, errOut := conformCLI(t, "", c.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d %q, want exit 2 and %q", c.args[1:], code, errOut, c.want)
		}
	}
}

func TestConformHelp(t *testing.T) {
	c := newConformCommand()
	if c.Short == "" || c.Long == "" || c.Example == "" {
		t.Error("summary, description and example are required")
	}
	code, out, _ := conformCLI(t, "", "conform", "--help")
	for _, w := range []string{"Examples:", "--events", "--case", "--sql", "--strict"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("help lacks %q:\n%s", w, out)
		}
	}
	code, out, _ = conformCLI(t, "", "__complete", "conform", workedJourney, "--sql", "")
	if code != 0 || !strings.Contains(out, "bigquery") {
		t.Errorf("completion of --sql: %s", out)
	}
}

var conformBlock = regexp.MustCompile("(?s)(<!-- BEGIN CONFORM: ([^\n]*?) -->\n)(.*?)(<!-- END CONFORM -->)")

// docs/analytics.md's "journey conform" section shows real files, real
// output and the real SQL between <!-- BEGIN CONFORM: COMMAND --> and
// <!-- END CONFORM --> markers: `cat PATH` and `journey conform ARGS`,
// run from the repository's root. The test recomputes every block and
// fails when one differs; -update rewrites them (and nothing else).
func TestConformDocExamples(t *testing.T) {
	t.Chdir("../..")
	const doc = "docs/analytics.md"
	data, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	var failures []string
	updated := conformBlock.ReplaceAllStringFunc(string(data), func(m string) string {
		parts := conformBlock.FindStringSubmatch(m)
		command, old := parts[2], parts[3]
		blocks++
		fields := strings.Fields(command)
		var body string
		switch {
		case len(fields) == 2 && fields[0] == "cat":
			content, err := os.ReadFile(fields[1])
			if err != nil {
				t.Fatal(err)
			}
			lang := strings.TrimPrefix(filepath.Ext(fields[1]), ".")
			body = "```" + lang + "\n" + string(content) + "```\n"
		case len(fields) > 2 && fields[0] == "journey" && fields[1] == "conform":
			code, out, errOut := conformCLI(t, "", fields[1:]...)
			if code != 0 {
				t.Fatalf("%s: exit %d %s", command, code, errOut)
			}
			switch {
			case slices.Contains(fields, "--sql"):
				body = "```sql\n" + out + "```\n"
			case slices.Contains(fields, "json"):
				body = "```json\n" + out + "```\n"
			default:
				body = "```text\n$ " + command + "\n" + out + "```\n"
			}
		default:
			t.Fatalf("unknown generated block %q", command)
		}
		if body != old {
			failures = append(failures, command)
		}
		return parts[1] + body + parts[4]
	})
	if blocks < 4+len(sqlgen.Dialects) {
		t.Fatalf("only %d generated blocks in %s", blocks, doc)
	}
	if golden.Update() {
		if err := os.WriteFile(doc, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, f := range failures {
		t.Errorf("%s: the block of %q is out of date (go test ./cmd/journey -run TestConformDocExamples -update)", doc, f)
	}
}

// TestConformHostileInputs (issue 11, repro 06): a named pipe is refused
// at once; an unclosed quote is one bad row with its line, the rest of
// the log is read; an endless line stops with its line number. Each is a
// message with a position, never a crash.
func TestConformHostileInputs(t *testing.T) {
	dir := t.TempDir()
	j := filepath.Join(dir, "j.journey.yaml")
	os.WriteFile(j, []byte("journey: base\ntitle: Base\nowner: marketing\nphases:\n  - {id: p, name: P}\nstages:\n  - {id: a, name: A, phase: p, entry: true, next: [b]}\n  - {id: b, name: B, phase: p, outcome: success}\n"), 0o644)

	fifo := filepath.Join(dir, "events.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err == nil {
		code, _, errOut := conformCLI(t, "", "conform", j, "--events", fifo)
		if code != 2 || !strings.Contains(errOut, "events.csv: is a named pipe (FIFO), not a regular file: only regular files are read; to read from a pipe, give --events - and redirect it to standard input") {
			t.Errorf("fifo: exit %d %q", code, errOut)
		}
	}

	log := "case_id,event,timestamp\nc1,a,1\nc1,\"b,2\n" + strings.Repeat("c2,a,1\nc2,b,2\n", 1000)
	code, out, errOut := conformCLI(t, log, "conform", j, "--events", "-", "--format", "json")
	var doc struct {
		Cases   int `json:"cases"`
		Moves   int `json:"moves"`
		BadRows int `json:"bad_rows"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 || doc.Cases != 2 || doc.Moves != 1999 || doc.BadRows != 1 ||
		!strings.Contains(errOut, `-: 1 bad row(s) skipped (first: line 3: a quoted field opened on line 3 is not closed at the end of the input: a missing or extra ")`) {
		t.Errorf("unclosed quote: exit %d %+v %q %v", code, doc, errOut, err)
	}

	code, out, errOut = conformCLI(t, "case_id,event,timestamp\nc1,a,1\n"+strings.Repeat("9", eventlog.MaxSkippedLine+1<<20), "conform", j, "--events", "-")
	if code != 2 || out != "" || errOut != "journey: -:3: the line is longer than 64 MiB: this is not a CSV or JSON Lines event log (one row per line), and reading stops here\n" {
		t.Errorf("endless line: exit %d %q", code, errOut)
	}
}
