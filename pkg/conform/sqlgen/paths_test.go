package sqlgen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/journeykit/journey/internal/eventgen"
	"github.com/journeykit/journey/internal/golden"
	"github.com/journeykit/journey/pkg/attribution"
	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
)

// goldenPathSQL are the path queries of journey attribute --sql kept in
// testdata: the worked example of docs/analytics.md by channel, and the
// engines journey by touchpoint-less stages with awkward names.
var goldenPathSQL = []struct {
	name, journey, by string
	opts              Options
}{
	{"paths-worked", "../../attribution/testdata/worked/shop.journey.yaml", "channel", Options{Table: "analytics.events", Case: "customer", Time: "time"}},
	{"paths-awkward", "testdata/engines.journey.yaml", "stage", Options{Table: `"My Schema".events.v2`, Case: `user "id"`, Event: "event name", Time: "time`stamp"}},
}

func touchesOf(t *testing.T, path, by string) (*conform.Map, Touches) {
	t.Helper()
	j := eventgen.Load(t, path)
	m := eventgen.Map(t, j)
	md, err := attribution.NewModel(j, m, by)
	if err != nil {
		t.Fatal(err)
	}
	names, success := md.StageTouches()
	return m, Touches{Names: names, Success: success}
}

func TestGoldenPathSQL(t *testing.T) {
	for _, g := range goldenPathSQL {
		m, touches := touchesOf(t, g.journey, g.by)
		for _, d := range Dialects {
			o := g.opts
			o.Dialect = d
			if d == "bigquery" && g.name == "paths-awkward" {
				o.Table = "my-project.analytics.events"
			}
			got, err := PathQuery(m, touches, o)
			if err != nil {
				t.Fatalf("%s %s: %v", g.name, d, err)
			}
			golden.Check(t, filepath.Join("testdata", g.name+"."+d+".sql"), []byte(got))
		}
	}
	m, touches := touchesOf(t, goldenPathSQL[0].journey, "channel")
	if _, err := PathQuery(m, Touches{Names: touches.Names[:1], Success: touches.Success}, Options{Dialect: "postgres", Table: "t"}); err == nil {
		t.Error("touches for fewer stages than the map: no error")
	}
	if _, err := PathQuery(m, touches, Options{Dialect: "postgres", Table: "a..b"}); err == nil || !strings.Contains(err.Error(), "an empty part") {
		t.Errorf("bad table: %v", err)
	}
}

// pathQuery is the path query of the engine case (by stage: the engines
// journey has no channels).
func (c *engineCase) pathQuery(t *testing.T, dialect, table string) string {
	t.Helper()
	m, touches := touchesOf(t, "testdata/engines.journey.yaml", "stage")
	q, err := PathQuery(m, touches, Options{Dialect: dialect, Table: table, Case: c.cols[0], Event: c.cols[1], Time: c.cols[2]})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// comparePaths checks an engine's rows (path, cases, conversions) against
// the path counts journey attribute finds in the same log.
func (c *engineCase) comparePaths(t *testing.T, engine string, rows [][]string) {
	t.Helper()
	if len(rows) == 0 || strings.Join(rows[0], ",") != "path,cases,conversions" {
		t.Fatalf("%s: header %q", engine, rows)
	}
	j := eventgen.Load(t, "testdata/engines.journey.yaml")
	_, counter, err := attribution.Run(j, eventlog.Source{Path: c.csvPath}, attribution.Options{By: "stage", KeepPaths: true,
		Conform: conform.Options{Case: c.cols[0], Event: c.cols[1], Time: c.cols[2]}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	var cases int64
	for _, p := range counter.Paths() {
		want[strings.Join(p.Path, PathSeparator)] = fmt.Sprintf("%d/%d", p.Cases, p.Conversions)
		cases += p.Cases
	}
	got := map[string]string{}
	for _, row := range rows[1:] {
		if len(row) != 3 {
			t.Fatalf("%s: row %q: want path, cases, conversions", engine, row)
		}
		n, err1 := strconv.ParseInt(row[1], 10, 64)
		k, err2 := strconv.ParseInt(row[2], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: row %q", engine, row)
		}
		got[row[0]] = fmt.Sprintf("%d/%d", n, k)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s path counts differ from journey attribute's:\n got %v\nwant %v", engine, got, want)
	}
	if len(want) < 20 || cases != c.report.Cases {
		t.Errorf("%s: %d paths over %d cases (conform: %d cases): too little variety", engine, len(want), cases, c.report.Cases)
	}
	t.Logf("%s: %d paths over %d cases, same counts as journey attribute", engine, len(want), cases)
}

// parseRows reads an engine's CSV output, header included.
func parseRows(t *testing.T, out []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	return rows
}
