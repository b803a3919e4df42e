-- journey attribute --sql duckdb: the paths of journey engines (the touches of each case, in order,
-- joined by ' > '), with the number of cases that took each and how many of them converted.
-- The time column is a timestamp.
WITH
touch_map (event_name, stage_ord, touch, touch_ord, success) AS (
  VALUES
    ('signup', 1, 'start', 1, 0),
    ('it''s "quoted"', 1, 'start', 1, 0),
    ('back\slash', 1, 'start', 1, 0),
    ('semi;colon,comma', 1, 'start', 1, 0),
    ('shared', 1, 'start', 1, 0),
    ('try', 2, 'try', 1, 0),
    ('paid', 3, NULL, 0, 1),
    ('lost', 4, NULL, 0, 0),
    ('winback', 5, 'winback', 1, 0)
),
mapped AS (
  SELECT e."user ""id""" AS case_key, e."time`stamp" AS ts, m.stage_ord, m.event_name, m.touch, m.touch_ord, m.success
  FROM "My Schema"."events"."v2" AS e
  JOIN touch_map AS m ON m.event_name = e."event name"
  WHERE e."user ""id""" IS NOT NULL AND e."time`stamp" IS NOT NULL
),
cases AS (
  SELECT case_key, STRING_AGG(touch, ' > ' ORDER BY ts, stage_ord, event_name, touch_ord) AS path, MAX(success) AS converted
  FROM mapped
  GROUP BY case_key
)
SELECT
  COALESCE(path, '') AS "path",
  COUNT(*) AS "cases",
  SUM(converted) AS "conversions"
FROM cases
GROUP BY COALESCE(path, '')
ORDER BY "cases" DESC, "path";
