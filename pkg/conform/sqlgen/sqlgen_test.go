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
	// A table named like a step of the query needs its schema.
	for _, q := range []func(Options) (string, error){
		func(o Options) (string, error) { return Query(m, o) },
		func(o Options) (string, error) {
			return PathQuery(m, Touches{Names: make([][]string, 2), Success: make([]bool, 2)}, o)
		},
	} {
		for _, table := range []string{"mapped", "MAPPED", `"mapped"`} {
			if _, err := q(Options{Dialect: "sqlite", Table: table}); err == nil || !strings.Contains(err.Error(), "SCHEMA.") {
				t.Errorf("table %s: %v", table, err)
			}
		}
		if _, err := q(Options{Dialect: "sqlite", Table: "main.mapped"}); err != nil {
			t.Errorf("table main.mapped: %v", err)
		}
	}
	if _, err := Query(m, Options{Dialect: "sqlite", Table: "stage_visits"}); err == nil {
		t.Error("table stage_visits accepted")
	}
	// A journey without edges: an empty edge_map of the right types.
	one := eventgen.Map(t, eventgen.FromYAML(t, "journey: j\ntitle: J\nphases: [{id: p, name: P}]\nstages:\n  - {id: a, name: A, phase: p, entry: true, outcome: success}\n"))
	if q, err := Query(one, Options{Dialect: "postgres", Table: "events"}); err != nil || !strings.Contains(q, "CAST(NULL AS DOUBLE PRECISION) AS designed_rate FROM stage_map WHERE 1 = 0") {
		t.Errorf("no edges: %v\n%s", err, q)
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
// skip (unknown events, a missing time), and conform's reports on it:
// plain and with CollapseRepeats.
type engineCase struct {
	csvPath   string
	cols      [3]string
	report    *conform.Report
	collapsed *conform.Report
	m         *conform.Map
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
	// Repeats to collapse, at the same time too: start, start, try, try, try
	// (two stages' events at one time), then won.
	fmt.Fprint(f, "zz-rep,signup,2030-01-04T00:00:00Z\nzz-rep,shared,2030-01-04T00:00:00Z\nzz-rep,try,2030-01-04T01:00:00Z\n")
	fmt.Fprint(f, "zz-rep,try,2030-01-04T01:00:00Z\nzz-rep,try,2030-01-04T02:00:00Z\nzz-rep,paid,2030-01-04T03:00:00Z\n")
	f.Close()
	m := eventgen.Map(t, j)
	r, err := conform.Run(m, eventlog.Source{Path: path}, conform.Options{Case: cols[0], Event: cols[1], Time: cols[2]})
	if err != nil {
		t.Fatal(err)
	}
	if r.UnknownEvents != 2 || r.BadRows != 1 || len(r.OffMap) < 3 || r.Moves < 20_000 {
		t.Fatalf("the test data lacks variety: unknown %d bad %d off-map %d moves %d", r.UnknownEvents, r.BadRows, len(r.OffMap), r.Moves)
	}
	rc, err := conform.Run(m, eventlog.Source{Path: path}, conform.Options{Case: cols[0], Event: cols[1], Time: cols[2], CollapseRepeats: true})
	if err != nil {
		t.Fatal(err)
	}
	if rc.CollapsedEvents < 1000 || *rc.Fitness == *r.Fitness {
		t.Fatalf("the test data lacks repeats: %d collapsed, fitness %v and %v", rc.CollapsedEvents, *rc.Fitness, *r.Fitness)
	}
	return &engineCase{csvPath: path, cols: cols, report: r, collapsed: rc, m: m}
}

func (c *engineCase) query(t *testing.T, dialect, table string, collapse bool) string {
	t.Helper()
	q, err := Query(c.m, Options{Dialect: dialect, Table: table, Case: c.cols[0], Event: c.cols[1], Time: c.cols[2], CollapseRepeats: collapse})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// engineColumns are the columns of Query's rows.
const engineColumns = "from,to,count,median_seconds,p90_seconds,on_map,designed_rate,observed_rate,fitness"

// compare checks an engine's rows against conform's report (the collapsed
// one with collapse): the same moves with the same counts, the same times
// up to rounding, on_map as the report has the move among its edges or
// its off-map moves, designed_rate and observed_rate as the report's edge
// (null designed rates included), and the report's fitness on every row.
func (c *engineCase) compare(t *testing.T, engine string, rows [][]string, collapse bool) {
	t.Helper()
	rep := c.report
	if collapse {
		rep = c.collapsed
		engine += " (collapsed)"
	}
	type want struct {
		median, p90   *float64
		onMap         bool
		designed, obs *float64
	}
	wants := map[[2]string]want{}
	reached := map[string]int64{}
	for _, s := range rep.Stages {
		reached[s.Stage] = s.Reached
	}
	for _, e := range rep.Edges {
		wants[[2]string{e.From, e.To}] = want{e.MedianSeconds, e.P90Seconds, true, e.DesignedRate, e.ObservedRate}
	}
	for _, o := range rep.OffMap {
		r := float64(o.Count) / float64(reached[o.From])
		wants[[2]string{o.From, o.To}] = want{o.MedianSeconds, o.P90Seconds, false, nil, &r}
	}
	near := func(v float64, w *float64, tol float64) bool {
		return w != nil && math.Abs(v-*w) <= tol*math.Max(1, math.Abs(*w))
	}
	got := map[[2]string]int64{}
	var total int64
	for _, row := range rows {
		if len(row) != 9 {
			t.Fatalf("%s: row %q: want %s", engine, row, engineColumns)
		}
		k := [2]string{row[0], row[1]}
		n, err := strconv.ParseInt(row[2], 10, 64)
		if err != nil {
			t.Fatalf("%s: count %q", engine, row[2])
		}
		got[k] = n
		total += n
		w, ok := wants[k]
		if !ok {
			t.Errorf("%s: %s -> %s is not in conform's report", engine, k[0], k[1])
			continue
		}
		for i, x := range []*float64{w.median, w.p90} {
			v, err := strconv.ParseFloat(row[3+i], 64)
			if err != nil || !near(v, x, 1e-6) {
				t.Errorf("%s: %s -> %s: %s %q, conform %v", engine, k[0], k[1], []string{"median", "p90"}[i], row[3+i], deref(x))
			}
		}
		onMap := map[string]bool{"t": true, "true": true, "1": true, "f": false, "false": false, "0": false}
		if b, ok := onMap[strings.ToLower(row[5])]; !ok || b != w.onMap {
			t.Errorf("%s: %s -> %s: on_map %q, conform %v", engine, k[0], k[1], row[5], w.onMap)
		}
		if row[6] == "" {
			if w.designed != nil {
				t.Errorf("%s: %s -> %s: designed_rate null, conform %v", engine, k[0], k[1], *w.designed)
			}
		} else if v, err := strconv.ParseFloat(row[6], 64); err != nil || !near(v, w.designed, 1e-12) {
			t.Errorf("%s: %s -> %s: designed_rate %q, conform %v", engine, k[0], k[1], row[6], deref(w.designed))
		}
		if v, err := strconv.ParseFloat(row[7], 64); err != nil || !near(v, w.obs, 1e-12) {
			t.Errorf("%s: %s -> %s: observed_rate %q, conform %v", engine, k[0], k[1], row[7], deref(w.obs))
		}
		if v, err := strconv.ParseFloat(row[8], 64); err != nil || !near(v, rep.Fitness, 1e-12) {
			t.Errorf("%s: %s -> %s: fitness %q, conform %v", engine, k[0], k[1], row[8], deref(rep.Fitness))
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(eventgen.Moves(rep)) {
		t.Errorf("%s counts differ from conform's:\n got %v\nwant %v", engine, got, eventgen.Moves(rep))
	}
	if total != rep.Moves {
		t.Errorf("%s: %d moves, conform %d", engine, total, rep.Moves)
	}
	t.Logf("%s: %d kinds of moves, %d moves, fitness %.6f: counts, rates and fitness as conform's", engine, len(got), total, *rep.Fitness)
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
	if strings.Join(rows[0], ",") != engineColumns {
		t.Fatalf("header %q", rows[0])
	}
	return rows[1:]
}

// sqlIdent quotes an identifier with double quotes for a setup script.
func sqlIdent(s string) string { return doubleQuote(s) }
