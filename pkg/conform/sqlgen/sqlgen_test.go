package sqlgen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/golden"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
)

// goldenSQL are the queries kept in testdata: the worked example of
// docs/analytics.md, and awkward names (quotes and backslashes in event
// names, table and columns).
var goldenSQL = []struct {
	name, journey string
	opts          Options
}{
	{"worked", "../testdata/worked/nurture.journey.yaml", Options{Table: "analytics.events", Case: "user_id", Event: "event_name", Time: "occurred_at"}},
	{"awkward", "testdata/engines.journey.yaml", Options{Table: `"My Schema".events.v2`, Case: `user "id"`, Event: "event name", Time: "time`stamp"}},
}

func TestGoldenSQL(t *testing.T) {
	for _, g := range goldenSQL {
		m := eventgen.Map(t, eventgen.Load(t, g.journey))
		for _, d := range Dialects {
			o := g.opts
			o.Dialect = d
			if d == "bigquery" && g.name == "awkward" {
				o.Table = "my-project.analytics.events"
			}
			got, err := Query(m, o)
			if err != nil {
				t.Fatalf("%s %s: %v", g.name, d, err)
			}
			path := filepath.Join("testdata", g.name+"."+d+".sql")
			golden.Check(t, path, []byte(got))
		}
	}
}

func TestSQLNames(t *testing.T) {
	m := eventgen.Map(t, eventgen.FromYAML(t, eventgen.TwoStages))
	tables := []struct{ table, dialect, want string }{
		{"events", "postgres", `FROM "events" AS e`},
		{"analytics.events", "postgres", `FROM "analytics"."events" AS e`},
		{`db.analytics."Events ""2024"""`, "snowflake", `FROM "db"."analytics"."Events ""2024""" AS e`},
		{`"a.b".c`, "duckdb", `FROM "a.b"."c" AS e`},
		{"my-project.analytics.events", "bigquery", "FROM `my-project.analytics.events` AS e"},
		{"`my-project`.analytics.events", "bigquery", "FROM `my-project.analytics.events` AS e"},
		{"main.events", "sqlite", `FROM "main"."events" AS e`},
	}
	for _, c := range tables {
		q, err := Query(m, Options{Dialect: c.dialect, Table: c.table})
		if err != nil || !strings.Contains(q, c.want) {
			t.Errorf("%s %s: %v\n%s", c.dialect, c.table, err, q)
		}
	}
	bad := map[string]string{
		"":            "name the events table",
		"a..b":        "an empty part",
		"a.":          "an empty part",
		`"a`:          "is not closed",
		`"a"b`:        "text after a quoted name",
		"a.b.c.d":     "at most three parts",
		"a\x00b":      "NUL",
		`x."y"."z"."`: "",
	}
	for table, want := range bad {
		_, err := Query(m, Options{Dialect: "postgres", Table: table})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("table %q: %v, want %q", table, err, want)
		}
	}
	if _, err := Query(m, Options{Dialect: "oracle", Table: "t"}); err == nil || !strings.Contains(err.Error(), "postgres, bigquery, snowflake, duckdb, sqlite") {
		t.Errorf("unknown dialect: %v", err)
	}
	// String literals.
	for d, want := range map[string]string{
		"postgres":  `'it''s \ok'`,
		"sqlite":    `'it''s \ok'`,
		"duckdb":    `'it''s \ok'`,
		"snowflake": `'it''s \\ok'`,
		"bigquery":  `'it\'s \\ok'`,
	} {
		if got := dialects[d].str(`it's \ok`); got != want {
			t.Errorf("%s string: %s, want %s", d, got, want)
		}
	}
	if got := bigqueryString("a\nb\x01"); got != `'a\nb\u0001'` {
		t.Errorf("bigquery control characters: %s", got)
	}
}

// engineCase is the data every engine test loads: a generated log of the
// engines journey with awkward column names, plus rows the query must
// skip (unknown events, a missing time).
type engineCase struct {
	csvPath string
	cols    [3]string
	report  *conform.Report
	m       *conform.Map
}

func newEngineCase(t *testing.T) *engineCase {
	t.Helper()
	j := eventgen.Load(t, "testdata/engines.journey.yaml")
	cols := [3]string{`user "id"`, "event name", "time`stamp"}
	o := eventgen.Options{
		Seed: 99, Events: 30_000, MinGapSeconds: 1, JitterSeconds: 7200, Columns: cols,
		Inject: []eventgen.Injection{{From: "start", To: "won", Rate: 0.05}, {From: "try", To: "start", Rate: 0.02, DelaySeconds: 60}},
	}
	path, _ := eventgen.WriteFile(t, j, "events.csv", o)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Skipped by both: unknown events and a mapped event without a time.
	fmt.Fprint(f, "1,page_view,2030-01-01T00:00:00Z\n2,page_view,2030-01-01T00:00:00Z\n3,signup,\n")
	// Events of a case at the same time, against the file order of their
	// stages: both order them start, try, won (then by event name).
	fmt.Fprint(f, "zz-tie-1,paid,2030-01-02T00:00:00Z\nzz-tie-1,signup,2030-01-02T00:00:00Z\nzz-tie-1,try,2030-01-02T01:00:00Z\n")
	fmt.Fprint(f, "zz-tie-2,try,2030-01-03T00:00:00Z\nzz-tie-2,shared,2030-01-03T00:00:00Z\nzz-tie-2,signup,2030-01-03T00:00:00Z\n")
	f.Close()
	m := eventgen.Map(t, j)
	r, err := conform.Run(m, eventlog.Source{Path: path}, conform.Options{Case: cols[0], Event: cols[1], Time: cols[2]})
	if err != nil {
		t.Fatal(err)
	}
	if r.UnknownEvents != 2 || r.BadRows != 1 || len(r.OffMap) < 3 || r.Moves < 20_000 {
		t.Fatalf("the test data lacks variety: unknown %d bad %d off-map %d moves %d", r.UnknownEvents, r.BadRows, len(r.OffMap), r.Moves)
	}
	return &engineCase{csvPath: path, cols: cols, report: r, m: m}
}

func (c *engineCase) query(t *testing.T, dialect, table string) string {
	t.Helper()
	q, err := Query(c.m, Options{Dialect: dialect, Table: table, Case: c.cols[0], Event: c.cols[1], Time: c.cols[2]})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// compare checks an engine's rows (from, to, count, median, p90) against
// conform's report: the same moves with the same counts, and the same
// times up to rounding.
func (c *engineCase) compare(t *testing.T, engine string, rows [][]string) {
	t.Helper()
	type timing struct{ median, p90 *float64 }
	want := eventgen.Moves(c.report)
	times := map[[2]string]timing{}
	for _, e := range c.report.Edges {
		times[[2]string{e.From, e.To}] = timing{e.MedianSeconds, e.P90Seconds}
	}
	for _, o := range c.report.OffMap {
		times[[2]string{o.From, o.To}] = timing{o.MedianSeconds, o.P90Seconds}
	}
	got := map[[2]string]int64{}
	var total int64
	for _, row := range rows {
		if len(row) != 5 {
			t.Fatalf("%s: row %q: want from, to, count, median_seconds, p90_seconds", engine, row)
		}
		k := [2]string{row[0], row[1]}
		n, err := strconv.ParseInt(row[2], 10, 64)
		if err != nil {
			t.Fatalf("%s: count %q", engine, row[2])
		}
		got[k] = n
		total += n
		tm := times[k]
		for i, w := range []*float64{tm.median, tm.p90} {
			v, err := strconv.ParseFloat(row[3+i], 64)
			if err != nil || w == nil || math.Abs(v-*w) > 1e-6*math.Max(1, math.Abs(*w)) {
				t.Errorf("%s: %s -> %s: %s %q, conform %v", engine, k[0], k[1], []string{"median", "p90"}[i], row[3+i], deref(w))
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s counts differ from conform's:\n got %v\nwant %v", engine, got, want)
	}
	if total != c.report.Moves {
		t.Errorf("%s: %d moves, conform %d", engine, total, c.report.Moves)
	}
	t.Logf("%s: %d kinds of moves, %d moves, same counts as conform", engine, len(got), total)
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func parseCSV(t *testing.T, out []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(rows) == 0 {
		t.Fatal("no output")
	}
	if strings.Join(rows[0], ",") != "from,to,count,median_seconds,p90_seconds" {
		t.Fatalf("header %q", rows[0])
	}
	return rows[1:]
}

// sqlIdent quotes an identifier with double quotes for a setup script.
func sqlIdent(s string) string { return doubleQuote(s) }
