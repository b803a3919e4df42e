-- journey conform --sql bigquery: the moves between consecutive stages of journey ebook-nurture,
-- on the map or off it, with their count and the median and p90 of the time between the two events,
-- whether the map has the move (on_map), its designed and observed rate, and the fitness (on every row).
-- The time column is a TIMESTAMP.
WITH
stage_map AS (
  SELECT * FROM UNNEST(ARRAY<STRUCT<event_name STRING, stage STRING, stage_ord INT64>>[
    ('ebook_downloaded', 'downloads-ebook', 1),
    ('article_opened', 'reads-related-content', 2),
    ('video_played', 'reads-related-content', 2),
    ('inactive', 'inactive', 3),
    ('call_booked', 'books-sales-call', 4),
    ('deactivated', 'deactivated', 5)
  ])
),
edge_map AS (
  SELECT * FROM UNNEST(ARRAY<STRUCT<from_stage STRING, to_stage STRING, designed_rate FLOAT64>>[
    ('downloads-ebook', 'reads-related-content', CAST(0.3 AS FLOAT64)),
    ('downloads-ebook', 'inactive', CAST(0.7 AS FLOAT64)),
    ('reads-related-content', 'books-sales-call', CAST(NULL AS FLOAT64)),
    ('inactive', 'deactivated', CAST(NULL AS FLOAT64))
  ])
),
mapped AS (
  SELECT e.`user_id` AS case_key, e.`occurred_at` AS ts, m.stage, m.stage_ord, m.event_name
  FROM `analytics.events` AS e
  JOIN stage_map AS m ON m.event_name = e.`event_name`
  WHERE e.`user_id` IS NOT NULL AND e.`occurred_at` IS NOT NULL
),
reached_stages AS (
  SELECT stage, COUNT(*) AS times
  FROM mapped
  GROUP BY stage
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
  SELECT from_stage, to_stage, TIMESTAMP_DIFF(to_ts, from_ts, MILLISECOND) / 1000 AS seconds
  FROM moves
  WHERE from_stage IS NOT NULL
),
ranked AS (
  SELECT from_stage, to_stage, seconds,
    ROW_NUMBER() OVER (PARTITION BY from_stage, to_stage ORDER BY seconds) AS rn,
    COUNT(*) OVER (PARTITION BY from_stage, to_stage) - 1 AS last_rn
  FROM timed
),
move_counts AS (
  SELECT from_stage, to_stage, COUNT(*) AS n,
    SUM(CASE
        WHEN rn = DIV(last_rn, 2) + 1 THEN (1 - MOD(last_rn, 2) / 2.0) * seconds
        WHEN rn = DIV(last_rn, 2) + 2 THEN MOD(last_rn, 2) / 2.0 * seconds
        ELSE 0 END) AS median_seconds,
    SUM(CASE
        WHEN rn = DIV(9 * last_rn, 10) + 1 THEN (1 - MOD(9 * last_rn, 10) / 10.0) * seconds
        WHEN rn = DIV(9 * last_rn, 10) + 2 THEN MOD(9 * last_rn, 10) / 10.0 * seconds
        ELSE 0 END) AS p90_seconds
  FROM ranked
  GROUP BY from_stage, to_stage
)
SELECT
  c.from_stage AS `from`,
  c.to_stage AS `to`,
  c.n AS `count`,
  c.median_seconds AS median_seconds,
  c.p90_seconds AS p90_seconds,
  g.from_stage IS NOT NULL AS on_map,
  g.designed_rate AS designed_rate,
  CAST(c.n AS FLOAT64) / CAST(r.times AS FLOAT64) AS observed_rate,
  CAST(SUM(CASE WHEN g.from_stage IS NULL THEN 0 ELSE c.n END) OVER () AS FLOAT64)
    / CAST(SUM(c.n) OVER () AS FLOAT64) AS fitness
FROM move_counts AS c
JOIN reached_stages AS r ON r.stage = c.from_stage
LEFT JOIN edge_map AS g ON g.from_stage = c.from_stage AND g.to_stage = c.to_stage
ORDER BY `count` DESC, `from`, `to`;
