// Package sqlgen writes the SQL that computes, inside a warehouse, what
// conform.Run computes from an exported log: every move between
// consecutive mapped events of a case, with its count, the median and p90
// of the time between the two events, whether the map has it, its
// designed and observed rates and the fitness, for PostgreSQL, BigQuery,
// Snowflake, DuckDB and SQLite (journey conform --sql).
package sqlgen

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/journeykit/journey/pkg/conform"
	"github.com/journeykit/journey/pkg/eventlog"
)

// Dialects are the SQL engines Query writes for.
var Dialects = []string{"postgres", "bigquery", "snowflake", "duckdb", "sqlite"}

// Options say which engine, table and columns the query is for.
type Options struct {
	// Dialect is one of Dialects.
	Dialect string
	// Table is the events table: NAME, SCHEMA.NAME, or
	// PROJECT.DATASET.TABLE for BigQuery. A part may be quoted already
	// ("My Schema".events); other parts are quoted as they are written.
	Table string
	// Case, Event and Time are the columns (defaults as in conform.Options). The
	// time column holds timestamps: TIMESTAMP or TIMESTAMPTZ (postgres,
	// duckdb), TIMESTAMP (bigquery), TIMESTAMP_NTZ/LTZ/TZ (snowflake),
	// ISO 8601 text such as 2024-05-01T10:00:00Z (sqlite).
	Case, Event, Time string
	// CollapseRepeats merges consecutive events of one stage in a case
	// into one visit at the time of its first event, as
	// conform.Options.CollapseRepeats does (Query only).
	CollapseRepeats bool
}

// dialect knows the differences between the engines.
type dialect struct {
	name string
	// ident quotes one identifier.
	ident func(string) string
	// str writes a string literal.
	str func(string) string
	// order is the expression of the time column that orders events and
	// that seconds subtracts.
	order func(col string) string
	// seconds is the time between two order values, in seconds.
	seconds func(from, to string) string
	// div and mod are integer division and remainder.
	div, mod func(a, b string) string
	// float is the type of a double-precision number.
	float string
}

func doubleQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func standardString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func slashDiv(a, b string) string { return "(" + a + ") / " + b }
func percentMod(a, b string) string {
	return "(" + a + ") % " + b
}

var dialects = map[string]*dialect{
	"postgres": {
		name: "postgres", float: "DOUBLE PRECISION", ident: doubleQuote, str: standardString,
		order:   func(c string) string { return c },
		seconds: func(f, t string) string { return "EXTRACT(EPOCH FROM (" + t + " - " + f + "))" },
		div:     slashDiv, mod: percentMod,
	},
	"duckdb": {
		name: "duckdb", float: "DOUBLE", ident: doubleQuote, str: standardString,
		order:   func(c string) string { return c },
		seconds: func(f, t string) string { return "(epoch_ms(" + t + ") - epoch_ms(" + f + ")) / 1000.0" },
		div:     func(a, b string) string { return "(" + a + ") // " + b },
		mod:     percentMod,
	},
	"sqlite": {
		name: "sqlite", float: "REAL", ident: doubleQuote, str: standardString,
		order:   func(c string) string { return "julianday(" + c + ")" },
		seconds: func(f, t string) string { return "ROUND((" + t + " - " + f + ") * 86400000.0) / 1000.0" },
		div:     slashDiv, mod: percentMod,
	},
	"snowflake": {
		name: "snowflake", float: "DOUBLE", ident: doubleQuote,
		str: func(s string) string {
			// Snowflake reads backslash escapes inside single quotes.
			return "'" + strings.NewReplacer(`\`, `\\`, "'", "''").Replace(s) + "'"
		},
		order:   func(c string) string { return c },
		seconds: func(f, t string) string { return "DATEDIFF(millisecond, " + f + ", " + t + ") / 1000" },
		div:     func(a, b string) string { return "FLOOR((" + a + ") / " + b + ")" },
		mod:     percentMod,
	},
	"bigquery": {
		name: "bigquery", float: "FLOAT64", ident: backtick, str: bigqueryString,
		order:   func(c string) string { return c },
		seconds: func(f, t string) string { return "TIMESTAMP_DIFF(" + t + ", " + f + ", MILLISECOND) / 1000" },
		div:     func(a, b string) string { return "DIV(" + a + ", " + b + ")" },
		mod:     func(a, b string) string { return "MOD(" + a + ", " + b + ")" },
	},
}

func backtick(s string) string {
	return "`" + strings.NewReplacer(`\`, `\\`, "`", "\\`").Replace(s) + "`"
}

func bigqueryString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// splitTable splits a table name on dots outside quotes and returns the
// parts unquoted.
func splitTable(name string) ([]string, error) {
	var parts []string
	var cur strings.Builder
	quoted := false // the current part was written in quotes
	for i := 0; i < len(name); {
		c := name[i]
		switch {
		case (c == '"' || c == '`') && cur.Len() == 0 && !quoted:
			q := c
			j := i + 1
			for {
				if j >= len(name) {
					return nil, fmt.Errorf("--table %s: a quote %c is not closed", name, q)
				}
				if name[j] == q {
					if j+1 < len(name) && name[j+1] == q {
						cur.WriteByte(q)
						j += 2
						continue
					}
					break
				}
				cur.WriteByte(name[j])
				j++
			}
			quoted = true
			i = j + 1
			if i < len(name) && name[i] != '.' {
				return nil, fmt.Errorf("--table %s: text after a quoted name; separate the parts with dots", name)
			}
		case c == '.':
			if cur.Len() == 0 {
				return nil, fmt.Errorf("--table %s: an empty part; write NAME, SCHEMA.NAME or DATABASE.SCHEMA.NAME", name)
			}
			parts = append(parts, cur.String())
			cur.Reset()
			quoted = false
			i++
		default:
			if quoted {
				return nil, fmt.Errorf("--table %s: text after a quoted name; separate the parts with dots", name)
			}
			cur.WriteByte(c)
			i++
		}
	}
	if cur.Len() == 0 {
		return nil, fmt.Errorf("--table %q: an empty part; write NAME, SCHEMA.NAME or DATABASE.SCHEMA.NAME", name)
	}
	parts = append(parts, cur.String())
	if len(parts) > 3 {
		return nil, fmt.Errorf("--table %s: at most three parts (DATABASE.SCHEMA.NAME)", name)
	}
	return parts, nil
}

func checkName(flag, name string) error {
	if name == "" {
		return fmt.Errorf("%s: the name is empty", flag)
	}
	if strings.ContainsRune(name, 0) {
		return fmt.Errorf("%s: a name cannot hold a NUL byte", flag)
	}
	return nil
}

// Query writes one statement that computes, inside the engine, every
// observed move between consecutive mapped events of a case (on the map
// or off it) as rows of from, to, count, median_seconds, p90_seconds,
// on_map, designed_rate, observed_rate and fitness (the same on every
// row), most frequent first; the rates and the fitness are conform.Run's
// (Report's edges and fitness). It follows the definitions of conform.Run: the
// events of a case are ordered by time; ties are broken by the stage's
// position in the journey file, then by the event name, as Run breaks
// them, so that Run and Query find the same moves (the event name only
// makes the order total: two events of one stage make the same moves in
// either order). The event-to-stage mapping is inlined as a list of
// values. The median and p90 interpolate between ranks as
// conform.Quantile does.
func Query(m *conform.Map, o Options) (string, error) {
	d, table, err := target(&o, queryNames)
	if err != nil {
		return "", err
	}
	caseCol, eventCol, timeCol := "e."+d.ident(o.Case), "e."+d.ident(o.Event), "e."+d.ident(o.Time)

	var b strings.Builder
	fmt.Fprintf(&b, "-- journey conform --sql %s: the moves between consecutive stages of journey %s,\n", d.name, m.Journey)
	b.WriteString("-- on the map or off it, with their count and the median and p90 of the time between the two events,\n")
	b.WriteString("-- whether the map has the move (on_map), its designed and observed rate, and the fitness (on every row).\n")
	if o.CollapseRepeats {
		b.WriteString("-- Consecutive events of one stage in a case are one visit, at the time of its first event (--collapse-repeats).\n")
	}
	switch d.name {
	case "sqlite":
		b.WriteString("-- The time column holds ISO 8601 text (2024-05-01T10:00:00Z), as SQLite's date functions read it.\n")
	case "bigquery":
		b.WriteString("-- The time column is a TIMESTAMP.\n")
	default:
		b.WriteString("-- The time column is a timestamp.\n")
	}
	b.WriteString("WITH\n")
	// The mapping.
	rows := make([]string, len(m.Events))
	for i, e := range m.Events {
		rows[i] = fmt.Sprintf("(%s, %s, %d)", d.str(e.Event), d.str(m.Stages[e.Stage]), e.Stage+1)
	}
	d.literalTable(&b, "stage_map", []column{{"event_name", "STRING"}, {"stage", "STRING"}, {"stage_ord", "INT64"}}, rows)
	// The edges of the map, with their designed rates.
	if len(m.Edges) == 0 {
		fmt.Fprintf(&b, "edge_map AS (\n  SELECT stage AS from_stage, stage AS to_stage, CAST(NULL AS %s) AS designed_rate FROM stage_map WHERE 1 = 0\n),\n", d.float)
	} else {
		edges := make([]string, len(m.Edges))
		for i, e := range m.Edges {
			rate := "NULL"
			if e.Rate != nil && !math.IsNaN(*e.Rate) && !math.IsInf(*e.Rate, 0) {
				rate = strconv.FormatFloat(*e.Rate, 'g', -1, 64)
			}
			edges[i] = fmt.Sprintf("(%s, %s, CAST(%s AS %s))", d.str(m.Stages[e.From]), d.str(m.Stages[e.To]), rate, d.float)
		}
		d.literalTable(&b, "edge_map", []column{{"from_stage", "STRING"}, {"to_stage", "STRING"}, {"designed_rate", "FLOAT64"}}, edges)
	}
	valid := timeCol + " IS NOT NULL"
	if d.name == "sqlite" {
		valid = d.order(timeCol) + " IS NOT NULL AND " + caseCol + " <> ''"
	}
	fmt.Fprintf(&b, `mapped AS (
  SELECT %s AS case_key, %s AS ts, m.stage, m.stage_ord, m.event_name
  FROM %s AS e
  JOIN stage_map AS m ON m.event_name = %s
  WHERE %s IS NOT NULL AND %s
),
`, caseCol, d.order(timeCol), table, eventCol, caseCol, valid)
	const window = "OVER (PARTITION BY case_key ORDER BY ts, stage_ord, event_name)"
	visits := "mapped"
	if o.CollapseRepeats {
		// An event of the same stage as the one before it is part of the
		// same visit: it is dropped, the visit keeps its first time.
		visits = "stage_visits"
		fmt.Fprintf(&b, `previous_stages AS (
  SELECT case_key, ts, stage, stage_ord, event_name,
    LAG(stage) %s AS previous_stage
  FROM mapped
),
stage_visits AS (
  SELECT case_key, ts, stage, stage_ord, event_name
  FROM previous_stages
  WHERE previous_stage IS NULL OR previous_stage <> stage
),
`, window)
	}
	fmt.Fprintf(&b, `reached_stages AS (
  SELECT stage, COUNT(*) AS times
  FROM %s
  GROUP BY stage
),
moves AS (
  SELECT
    LAG(stage) %s AS from_stage,
    stage AS to_stage,
    LAG(ts) %s AS from_ts,
    ts AS to_ts
  FROM %s
),
timed AS (
  SELECT from_stage, to_stage, %s AS seconds
  FROM moves
  WHERE from_stage IS NOT NULL
),
ranked AS (
  SELECT from_stage, to_stage, seconds,
    ROW_NUMBER() OVER (PARTITION BY from_stage, to_stage ORDER BY seconds) AS rn,
    COUNT(*) OVER (PARTITION BY from_stage, to_stage) - 1 AS last_rn
  FROM timed
),
`, visits, window, window, visits, d.seconds("from_ts", "to_ts"))
	quantile := func(num, den int) string {
		pos := "last_rn"
		if num != 1 {
			pos = fmt.Sprintf("%d * last_rn", num)
		}
		lo, rem := d.div(pos, fmt.Sprint(den)), d.mod(pos, fmt.Sprint(den))
		return fmt.Sprintf(`SUM(CASE
        WHEN rn = %[1]s + 1 THEN (1 - %[2]s / %[3]d.0) * seconds
        WHEN rn = %[1]s + 2 THEN %[2]s / %[3]d.0 * seconds
        ELSE 0 END)`, lo, rem, den)
	}
	fmt.Fprintf(&b, `move_counts AS (
  SELECT from_stage, to_stage, COUNT(*) AS n,
    %s AS median_seconds,
    %s AS p90_seconds
  FROM ranked
  GROUP BY from_stage, to_stage
)
SELECT
  c.from_stage AS %s,
  c.to_stage AS %s,
  c.n AS %s,
  c.median_seconds AS median_seconds,
  c.p90_seconds AS p90_seconds,
  g.from_stage IS NOT NULL AS on_map,
  g.designed_rate AS designed_rate,
  CAST(c.n AS %[6]s) / CAST(r.times AS %[6]s) AS observed_rate,
  CAST(SUM(CASE WHEN g.from_stage IS NULL THEN 0 ELSE c.n END) OVER () AS %[6]s)
    / CAST(SUM(c.n) OVER () AS %[6]s) AS fitness
FROM move_counts AS c
JOIN reached_stages AS r ON r.stage = c.from_stage
LEFT JOIN edge_map AS g ON g.from_stage = c.from_stage AND g.to_stage = c.to_stage
ORDER BY %[5]s DESC, %[3]s, %[4]s;
`, quantile(1, 2), quantile(9, 10), d.ident("from"), d.ident("to"), d.ident("count"), d.float)
	return b.String(), nil
}

// queryNames and pathNames are the names of the steps (WITH) of Query
// and PathQuery: a table named like one of them, without a schema, would
// be read as the step.
var (
	queryNames = []string{"stage_map", "edge_map", "mapped", "previous_stages", "stage_visits", "reached_stages", "moves", "timed", "ranked", "move_counts"}
	pathNames  = []string{"touch_map", "mapped", "ordered", "cases"}
)

// target checks the options (filling in the default columns) and returns
// the dialect and the quoted table name; steps are the names of the
// query's steps, which a table name without a schema must not be.
func target(o *Options, steps []string) (*dialect, string, error) {
	d := dialects[o.Dialect]
	if d == nil {
		return nil, "", fmt.Errorf("unknown SQL dialect %q: use %s", o.Dialect, strings.Join(Dialects, ", "))
	}
	c := eventlog.Columns{Case: o.Case, Event: o.Event, Time: o.Time}.WithDefaults()
	o.Case, o.Event, o.Time = c.Case, c.Event, c.Time
	if strings.TrimSpace(o.Table) == "" {
		return nil, "", errors.New("--table: name the events table")
	}
	for _, c := range [][2]string{{"--table", o.Table}, {"--case", o.Case}, {"--event", o.Event}, {"--time", o.Time}} {
		if err := checkName(c[0], c[1]); err != nil {
			return nil, "", err
		}
	}
	parts, err := splitTable(o.Table)
	if err != nil {
		return nil, "", err
	}
	if len(parts) == 1 && slices.Contains(steps, strings.ToLower(parts[0])) {
		return nil, "", fmt.Errorf("--table %s: the query has a step of that name; name the table with its schema (SCHEMA.%s)", o.Table, parts[0])
	}
	if d.name == "bigquery" {
		return d, backtick(strings.Join(parts, ".")), nil
	}
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = d.ident(p)
	}
	return d, strings.Join(q, "."), nil
}

// IsDialect reports whether name is one of Dialects.
func IsDialect(name string) bool { return slices.Contains(Dialects, name) }

// column is a column of a literal table: its name and its BigQuery type.
type column struct{ name, bigqueryType string }

// literalTable writes the CTE name holding rows (each "(v1, v2, ...)") in
// the dialect's syntax: BigQuery has no VALUES table, so an UNNEST of
// typed structs; Snowflake names VALUES' columns column1, column2, ...;
// the others name them in the CTE.
func (d dialect) literalTable(b *strings.Builder, name string, cols []column, rows []string) {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	body := strings.Join(rows, ",\n    ")
	switch d.name {
	case "bigquery":
		typed := make([]string, len(cols))
		for i, c := range cols {
			typed[i] = c.name + " " + c.bigqueryType
		}
		fmt.Fprintf(b, "%s AS (\n  SELECT * FROM UNNEST(ARRAY<STRUCT<%s>>[\n    %s\n  ])\n),\n", name, strings.Join(typed, ", "), body)
	case "snowflake":
		generic := make([]string, len(cols))
		for i := range cols {
			generic[i] = fmt.Sprintf("column%d", i+1)
		}
		fmt.Fprintf(b, "%s (%s) AS (\n  SELECT %s FROM VALUES\n    %s\n),\n", name, strings.Join(names, ", "), strings.Join(generic, ", "), body)
	default:
		fmt.Fprintf(b, "%s (%s) AS (\n  VALUES\n    %s\n),\n", name, strings.Join(names, ", "), body)
	}
}
