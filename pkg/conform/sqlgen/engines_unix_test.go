//go:build unix

package sqlgen

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// skipEngine skips a test whose engine is missing, or fails it when
// JOURNEY_REQUIRE_ENGINES (a comma-separated list set by .ci/run for the
// engines it installed) names the engine: in CI a missing engine is a
// broken install, not a reason to pass.
func skipEngine(t *testing.T, engine, msg string) {
	t.Helper()
	if slices.Contains(strings.Split(os.Getenv("JOURNEY_REQUIRE_ENGINES"), ","), engine) {
		t.Fatalf("%s (JOURNEY_REQUIRE_ENGINES requires %s)", msg, engine)
	}
	t.Skip(msg)
}

// findTool looks for a program on PATH, then under the given globs (the
// newest match), and returns "" when it is nowhere.
func findTool(name string, globs ...string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	var found []string
	for _, g := range globs {
		m, _ := filepath.Glob(g)
		found = append(found, m...)
	}
	if len(found) == 0 {
		return ""
	}
	slices.Sort(found)
	return found[len(found)-1]
}

// TestSQLPostgres runs the generated query on a real PostgreSQL: the test
// makes a throw-away cluster with initdb in a temporary directory (as the
// user postgres, or nobody, when the test runs as root), starts it on a
// Unix socket only, loads the generated log with \copy into a table with
// awkward names, and compares the query's rows with conform's report.
// PostgreSQL comes from Debian's packages: apt-get install -y postgresql.
func TestSQLPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server: skipped with -short")
	}
	pgGlob := "/usr/lib/postgresql/*/bin/"
	initdb, pgctl := findTool("initdb", pgGlob+"initdb"), findTool("pg_ctl", pgGlob+"pg_ctl")
	psql := findTool("psql", pgGlob+"psql")
	if initdb == "" || pgctl == "" || psql == "" {
		skipEngine(t, "postgres", "PostgreSQL is not installed (initdb, pg_ctl, psql): apt-get install -y postgresql to run this test")
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root.
		for _, name := range []string{"postgres", "nobody"} {
			if u, err := user.Lookup(name); err == nil {
				uid, _ := strconv.Atoi(u.Uid)
				gid, _ := strconv.Atoi(u.Gid)
				cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
				break
			}
		}
		if cred == nil {
			skipEngine(t, "postgres", "running as root and there is no user postgres or nobody to run PostgreSQL as")
		}
	}
	c := newEngineCase(t)
	dir, err := os.MkdirTemp("", "journey-conform-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	run := func(name string, args ...string) ([]byte, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "LC_ALL=C", "PGTZ=UTC")
		if cred != nil && name != psql {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.Bytes(), err
	}
	if out, err := run(initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	const port = "54329"
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -p %s -c fsync=off", dir, port)
	if out, err := run(pgctl, "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	t.Cleanup(func() { run(pgctl, "-D", data, "-m", "immediate", "stop") })

	// The log is read by psql (\copy), as the current user.
	table := `analytics."My Events"`
	setup := fmt.Sprintf(`CREATE SCHEMA analytics;
CREATE TABLE %s (%s text, %s text, %s timestamptz);
\copy %s FROM '%s' WITH (FORMAT csv, HEADER true)
`, table, sqlIdent(c.cols[0]), sqlIdent(c.cols[1]), sqlIdent(c.cols[2]), table, strings.ReplaceAll(c.csvPath, "'", "''"))
	script := filepath.Join(dir, "setup.sql")
	if err := os.WriteFile(script, []byte(setup), 0o644); err != nil {
		t.Fatal(err)
	}
	conn := []string{"-h", dir, "-p", port, "-U", "postgres", "-d", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1"}
	if out, err := run(psql, append(conn, "-f", script)...); err != nil {
		t.Fatalf("loading the log: %v\n%s", err, out)
	}
	for _, collapse := range []bool{false, true} {
		query := filepath.Join(dir, "query.sql")
		if err := os.WriteFile(query, []byte(c.query(t, "postgres", table, collapse)), 0o644); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		out, err := run(psql, append(conn, "--csv", "-f", query)...)
		if err != nil {
			t.Fatalf("the query: %v\n%s", err, out)
		}
		t.Logf("PostgreSQL ran the query in %v", time.Since(start).Round(time.Millisecond))
		c.compare(t, "PostgreSQL", parseCSV(t, out), collapse)
	}
	paths := filepath.Join(dir, "paths.sql")
	if err := os.WriteFile(paths, []byte(c.pathQuery(t, "postgres", table)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(psql, append(conn, "--csv", "-f", paths)...)
	if err != nil {
		t.Fatalf("the path query: %v\n%s", err, out)
	}
	c.comparePaths(t, "PostgreSQL", parseRows(t, out))
}

// TestSQLSQLite runs the generated query with the sqlite3 command-line
// shell (Debian's sqlite3 package) on the same data.
func TestSQLSQLite(t *testing.T) {
	sqlite := findTool("sqlite3")
	if sqlite == "" {
		skipEngine(t, "sqlite", "the sqlite3 shell is not installed: apt-get install -y sqlite3 to run this test")
	}
	c := newEngineCase(t)
	dir := t.TempDir()
	// An attached database plays the schema.
	table := `analytics."My Events"`
	script := fmt.Sprintf(`ATTACH DATABASE '%s' AS analytics;
CREATE TABLE %s (%s TEXT, %s TEXT, %s TEXT);
.import --csv --skip 1 --schema analytics '%s' "My Events"
.headers on
.mode csv
%s`, filepath.Join(dir, "analytics.db"), table, sqlIdent(c.cols[0]), sqlIdent(c.cols[1]), sqlIdent(c.cols[2]), c.csvPath, c.query(t, "sqlite", table, false))
	cmd := exec.Command(sqlite, "-bail", filepath.Join(dir, "main.db"))
	cmd.Stdin = strings.NewReader(script)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil || errOut.Len() > 0 {
		t.Fatalf("sqlite3: %v\n%s\n%s", err, errOut.String(), out.String())
	}
	c.compare(t, "SQLite", parseCSV(t, out.Bytes()), false)
	// --collapse-repeats, on the database the first run filled.
	script = fmt.Sprintf(`ATTACH DATABASE '%s' AS analytics;
.headers on
.mode csv
%s`, filepath.Join(dir, "analytics.db"), c.query(t, "sqlite", table, true))
	cmd = exec.Command(sqlite, "-bail", filepath.Join(dir, "main.db"))
	cmd.Stdin = strings.NewReader(script)
	out.Reset()
	errOut.Reset()
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil || errOut.Len() > 0 {
		t.Fatalf("sqlite3, collapsed: %v\n%s\n%s", err, errOut.String(), out.String())
	}
	c.compare(t, "SQLite", parseCSV(t, out.Bytes()), true)
	// The path query, on the database the first run filled.
	script = fmt.Sprintf(`ATTACH DATABASE '%s' AS analytics;
.headers on
.mode csv
%s`, filepath.Join(dir, "analytics.db"), c.pathQuery(t, "sqlite", table))
	cmd = exec.Command(sqlite, "-bail", filepath.Join(dir, "main.db"))
	cmd.Stdin = strings.NewReader(script)
	out.Reset()
	errOut.Reset()
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil || errOut.Len() > 0 {
		t.Fatalf("sqlite3, the path query: %v\n%s\n%s", err, errOut.String(), out.String())
	}
	c.comparePaths(t, "SQLite", parseRows(t, out.Bytes()))
}

// TestSQLDuckDB runs the generated query on DuckDB through its Node.js
// package (the npm registry ships DuckDB's library inside
// @duckdb/node-bindings-linux-x64). The package is installed by
// `npm ci` in testdata/duckdb (see .ci/run), or found through
// JOURNEY_DUCKDB_NODE_MODULES.
func TestSQLDuckDB(t *testing.T) {
	node := findTool("node")
	modules := os.Getenv("JOURNEY_DUCKDB_NODE_MODULES")
	if modules == "" {
		modules, _ = filepath.Abs(filepath.Join("testdata", "duckdb", "node_modules"))
	}
	api := filepath.Join(modules, "@duckdb", "node-api")
	if _, err := os.Stat(api); node == "" || err != nil {
		skipEngine(t, "duckdb", "DuckDB for Node.js is not installed: (cd pkg/conform/sqlgen/testdata/duckdb && npm ci) to run this test")
	}
	c := newEngineCase(t)
	dir := t.TempDir()
	table := `analytics."My Events"`
	setup := fmt.Sprintf(`CREATE SCHEMA analytics;
CREATE TABLE %s (%s VARCHAR, %s VARCHAR, %s TIMESTAMPTZ);
COPY %s FROM '%s' (HEADER true);`, table, sqlIdent(c.cols[0]), sqlIdent(c.cols[1]), sqlIdent(c.cols[2]), table, strings.ReplaceAll(c.csvPath, "'", "''"))
	query := c.query(t, "duckdb", table, false)
	js := `const { DuckDBInstance } = require(process.argv[2]);
const fs = require('fs');
(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run("SET TimeZone = 'UTC'");
  await con.run(fs.readFileSync(process.argv[3], 'utf8'));
  const res = await con.runAndReadAll(fs.readFileSync(process.argv[4], 'utf8'));
  const q = (v) => '"' + String(v).replace(/"/g, '""') + '"';
  const lines = [res.columnNames().join(',')];
  for (const r of res.getRows()) lines.push(r.map((v) => v === null ? '' : q(v)).join(','));
  process.stdout.write(lines.join('\n') + '\n');
})().catch((e) => { console.error(e.message || e); process.exit(1); });
`
	files := map[string]string{"run.js": js, "setup.sql": setup, "query.sql": query, "collapsed.sql": c.query(t, "duckdb", table, true), "paths.sql": c.pathQuery(t, "duckdb", table)}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(node, filepath.Join(dir, "run.js"), api, filepath.Join(dir, "setup.sql"), filepath.Join(dir, "query.sql"))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("duckdb: %v\n%s", err, errOut.String())
	}
	c.compare(t, "DuckDB", parseCSV(t, out.Bytes()), false)
	cmd = exec.Command(node, filepath.Join(dir, "run.js"), api, filepath.Join(dir, "setup.sql"), filepath.Join(dir, "collapsed.sql"))
	out.Reset()
	errOut.Reset()
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("duckdb, collapsed: %v\n%s", err, errOut.String())
	}
	c.compare(t, "DuckDB", parseCSV(t, out.Bytes()), true)
	cmd = exec.Command(node, filepath.Join(dir, "run.js"), api, filepath.Join(dir, "setup.sql"), filepath.Join(dir, "paths.sql"))
	out.Reset()
	errOut.Reset()
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("duckdb, the path query: %v\n%s", err, errOut.String())
	}
	c.comparePaths(t, "DuckDB", parseRows(t, out.Bytes()))
}
