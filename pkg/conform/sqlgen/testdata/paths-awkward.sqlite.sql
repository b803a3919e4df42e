-- journey attribute --sql sqlite: the paths of journey engines (the touches of each case, in order,
-- joined by ' > '), with the number of cases that took each and how many of them converted.
-- The time column holds ISO 8601 text (2024-05-01T10:00:00Z), as SQLite's date functions read it.
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
  SELECT e."user ""id""" AS case_key, julianday(e."time`stamp") AS ts, m.stage_ord, m.event_name, m.touch, m.touch_ord, m.success
  FROM "My Schema"."events"."v2" AS e
  JOIN touch_map AS m ON m.event_name = e."event name"
  WHERE e."user ""id""" IS NOT NULL AND julianday(e."time`stamp") IS NOT NULL AND e."user ""id""" <> ''
),
ordered AS (
  SELECT case_key,
    group_concat(touch, ' > ') OVER (PARTITION BY case_key ORDER BY ts, stage_ord, event_name, touch_ord
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS path,
    MAX(success) OVER (PARTITION BY case_key) AS converted,
    ROW_NUMBER() OVER (PARTITION BY case_key ORDER BY ts, stage_ord, event_name, touch_ord) AS rn
  FROM mapped
),
cases AS (
  SELECT case_key, path, converted FROM ordered WHERE rn = 1
)
SELECT
  COALESCE(path, '') AS "path",
  COUNT(*) AS "cases",
  SUM(converted) AS "conversions"
FROM cases
GROUP BY COALESCE(path, '')
ORDER BY "cases" DESC, "path";
