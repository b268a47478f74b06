-- Events per calendar month over all the years in the database (the filter's choices other
-- than the period apply), only for whole months: the first month of data and a month not yet
-- over on the period's last day ($end, exclusive) are left out so they do not look like drops.
WITH bounds AS (
    SELECT date_trunc('month', min(occurred_at)) AS first_month,
           CASE WHEN min(occurred_at) = date_trunc('month', min(occurred_at))
                THEN date_trunc('month', min(occurred_at))
                ELSE date_trunc('month', min(occurred_at)) + INTERVAL 1 MONTH END AS first_whole
    FROM incidents
)
SELECT year(occurred_at) AS year, month(occurred_at) AS month, count(*) AS n
FROM filtered_incidents((SELECT first_whole FROM bounds), date_trunc('month', CAST($end AS TIMESTAMP)),
                        $selection)
GROUP BY 1, 2
ORDER BY 1, 2;
