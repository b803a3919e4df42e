-- journey conform --sql postgres: the moves between consecutive stages of journey engines,
-- on the map or off it, with their count and the median and p90 of the time between the two events.
-- The time column is a timestamp.
WITH
stage_map (event_name, stage, stage_ord) AS (
  VALUES
    ('signup', 'start', 1),
    ('it''s "quoted"', 'start', 1),
    ('back\slash', 'start', 1),
    ('semi;colon,comma', 'start', 1),
    ('shared', 'start', 1),
    ('try', 'try', 2),
    ('paid', 'won', 3),
    ('lost', 'lost', 4),
    ('winback', 'winback', 5)
),
mapped AS (
  SELECT e."user ""id""" AS case_key, e."time`stamp" AS ts, m.stage, m.stage_ord, m.event_name
  FROM "My Schema"."events"."v2" AS e
  JOIN stage_map AS m ON m.event_name = e."event name"
  WHERE e."user ""id""" IS NOT NULL AND e."time`stamp" IS NOT NULL
),
moves AS (
  SELECT
    LAG(stage) OVER (PARTITION BY case_key ORDER BY ts, stage_ord, event_name) AS from_stage,
    stage AS to_stage,
    LAG(ts) OVER (PARTITION BY case_key ORDER BY ts, stage_ord, event_name) AS from_ts,
    ts AS to_ts
  FROM mapped
),
timed AS (
  SELECT from_stage, to_stage, EXTRACT(EPOCH FROM (to_ts - from_ts)) AS seconds
  FROM moves
  WHERE from_stage IS NOT NULL
),
ranked AS (
  SELECT from_stage, to_stage, seconds,
    ROW_NUMBER() OVER (PARTITION BY from_stage, to_stage ORDER BY seconds) AS rn,
    COUNT(*) OVER (PARTITION BY from_stage, to_stage) - 1 AS last_rn
  FROM timed
)
SELECT
  from_stage AS "from",
  to_stage AS "to",
  COUNT(*) AS "count",
  SUM(CASE
        WHEN rn = (last_rn) / 2 + 1 THEN (1 - (last_rn) % 2 / 2.0) * seconds
        WHEN rn = (last_rn) / 2 + 2 THEN (last_rn) % 2 / 2.0 * seconds
        ELSE 0 END) AS median_seconds,
  SUM(CASE
        WHEN rn = (9 * last_rn) / 10 + 1 THEN (1 - (9 * last_rn) % 10 / 10.0) * seconds
        WHEN rn = (9 * last_rn) / 10 + 2 THEN (9 * last_rn) % 10 / 10.0 * seconds
        ELSE 0 END) AS p90_seconds
FROM ranked
GROUP BY from_stage, to_stage
ORDER BY "count" DESC, "from", "to";
