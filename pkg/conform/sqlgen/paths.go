package sqlgen

import (
	"fmt"
	"strings"

	"github.com/journeykit/journey/pkg/conform"
)

// PathSeparator joins the touches of a path in the rows of PathQuery.
const PathSeparator = " > "

// Touches says, for each stage of a conform.Map (by its index in
// Map.Stages), which touches reaching it makes, in order, and whether it
// is a `success` outcome (journey attribute; see package attribution).
type Touches struct {
	Names   [][]string
	Success []bool
}

// PathQuery writes one statement that computes, inside the engine, the
// path counts journey attribute credits the conversions from: one row
// per distinct path (the touches of a case in order, joined by
// PathSeparator; an empty string for a case without touches) with the number of cases
// that took it and how many of them converted (reached a success stage),
// most frequent first. A case's events are mapped and ordered as Query
// orders them (time, then the stage's position in the journey file, then
// the event name); the touches of one stage come in their order.
func PathQuery(m *conform.Map, t Touches, o Options) (string, error) {
	d, table, err := target(&o, pathNames)
	if err != nil {
		return "", err
	}
	if len(t.Names) != len(m.Stages) || len(t.Success) != len(m.Stages) {
		return "", fmt.Errorf("the touches name %d stages, the map has %d", len(t.Names), len(m.Stages))
	}
	caseCol, eventCol, timeCol := "e."+d.ident(o.Case), "e."+d.ident(o.Event), "e."+d.ident(o.Time)

	var b strings.Builder
	fmt.Fprintf(&b, "-- journey attribute --sql %s: the paths of journey %s (the touches of each case, in order,\n", d.name, m.Journey)
	b.WriteString("-- joined by ' > '), with the number of cases that took each and how many of them converted.\n")
	switch d.name {
	case "sqlite":
		b.WriteString("-- The time column holds ISO 8601 text (2024-05-01T10:00:00Z), as SQLite's date functions read it.\n")
	case "bigquery":
		b.WriteString("-- The time column is a TIMESTAMP.\n")
	default:
		b.WriteString("-- The time column is a timestamp.\n")
	}
	b.WriteString("WITH\n")
	// One row per event and touch; an event of a stage without touches
	// has one row with a NULL touch (its case still counts).
	var rows []string
	null := "NULL"
	if d.name == "bigquery" {
		null = "CAST(NULL AS STRING)"
	}
	for _, e := range m.Events {
		succ := 0
		if t.Success[e.Stage] {
			succ = 1
		}
		names := t.Names[e.Stage]
		if len(names) == 0 {
			rows = append(rows, fmt.Sprintf("(%s, %d, %s, 0, %d)", d.str(e.Event), e.Stage+1, null, succ))
		}
		for k, n := range names {
			rows = append(rows, fmt.Sprintf("(%s, %d, %s, %d, %d)", d.str(e.Event), e.Stage+1, d.str(n), k+1, succ))
		}
	}
	d.literalTable(&b, "touch_map", []column{{"event_name", "STRING"}, {"stage_ord", "INT64"}, {"touch", "STRING"}, {"touch_ord", "INT64"}, {"success", "INT64"}}, rows)
	valid := timeCol + " IS NOT NULL"
	if d.name == "sqlite" {
		valid = d.order(timeCol) + " IS NOT NULL AND " + caseCol + " <> ''"
	}
	fmt.Fprintf(&b, `mapped AS (
  SELECT %s AS case_key, %s AS ts, m.stage_ord, m.event_name, m.touch, m.touch_ord, m.success
  FROM %s AS e
  JOIN touch_map AS m ON m.event_name = %s
  WHERE %s IS NOT NULL AND %s
),
`, caseCol, d.order(timeCol), table, eventCol, caseCol, valid)
	const order = "ts, stage_ord, event_name, touch_ord"
	sep := d.str(PathSeparator)
	switch d.name {
	case "sqlite":
		// SQLite before 3.44 has no ORDER BY inside group_concat; as a
		// window function it concatenates in the window's order.
		fmt.Fprintf(&b, `ordered AS (
  SELECT case_key,
    group_concat(touch, %s) OVER (PARTITION BY case_key ORDER BY %s
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS path,
    MAX(success) OVER (PARTITION BY case_key) AS converted,
    ROW_NUMBER() OVER (PARTITION BY case_key ORDER BY %s) AS rn
  FROM mapped
),
cases AS (
  SELECT case_key, path, converted FROM ordered WHERE rn = 1
)
`, sep, order, order)
	case "snowflake":
		fmt.Fprintf(&b, `cases AS (
  SELECT case_key, LISTAGG(touch, %s) WITHIN GROUP (ORDER BY %s) AS path, MAX(success) AS converted
  FROM mapped
  GROUP BY case_key
)
`, sep, order)
	default:
		fmt.Fprintf(&b, `cases AS (
  SELECT case_key, STRING_AGG(touch, %s ORDER BY %s) AS path, MAX(success) AS converted
  FROM mapped
  GROUP BY case_key
)
`, sep, order)
	}
	fmt.Fprintf(&b, `SELECT
  COALESCE(path, '') AS %s,
  COUNT(*) AS %s,
  SUM(converted) AS %s
FROM cases
GROUP BY COALESCE(path, '')
ORDER BY %s DESC, %s;
`, d.ident("path"), d.ident("cases"), d.ident("conversions"), d.ident("cases"), d.ident("path"))
	return b.String(), nil
}
