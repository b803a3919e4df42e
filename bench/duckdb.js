// DuckDB anchor of bench/run: load the CSV event log into a table and run
// the query that `journey conform --sql duckdb --table events` prints.
// usage: node duckdb.js NODE_API_DIR EVENTS.csv QUERY.sql
const { DuckDBInstance } = require(process.argv[2]);
const fs = require('fs');
(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run("SET TimeZone = 'UTC'");
  const csv = process.argv[3].replace(/'/g, "''");
  await con.run(`CREATE TABLE events (case_id VARCHAR, event VARCHAR, timestamp TIMESTAMPTZ)`);
  await con.run(`COPY events FROM '${csv}' (HEADER true)`);
  const res = await con.runAndReadAll(fs.readFileSync(process.argv[4], 'utf8'));
  const rows = res.getRows();
  if (rows.length === 0) throw new Error('the query returned no rows');
  process.stdout.write(rows.length + ' moves\n');
})().catch((e) => { console.error(e.message || e); process.exit(1); });
