-- journey attribute --sql sqlite: the paths of journey shop (the touches of each case, in order,
-- joined by ' > '), with the number of cases that took each and how many of them converted.
-- The time column holds ISO 8601 text (2024-05-01T10:00:00Z), as SQLite's date functions read it.
WITH
touch_map (event_name, stage_ord, touch, touch_ord, success) AS (
  VALUES
    ('ad_click', 1, 'ads', 1, 0),
    ('email_open', 2, 'email', 1, 0),
    ('page_view', 3, 'web', 1, 0),
    ('purchase', 4, NULL, 0, 1),
    ('leaves', 5, NULL, 0, 0)
),
mapped AS (
  SELECT e."customer" AS case_key, julianday(e."time") AS ts, m.stage_ord, m.event_name, m.touch, m.touch_ord, m.success
  FROM "analytics"."events" AS e
  JOIN touch_map AS m ON m.event_name = e."event"
  WHERE e."customer" IS NOT NULL AND julianday(e."time") IS NOT NULL AND e."customer" <> ''
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
