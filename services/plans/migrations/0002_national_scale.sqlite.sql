-- National scale (docs/PERFORMANCE.md, "At national scale").
-- A municipality's citizen plans in seq order (ListCitizenPlans: WHERE
-- municipality = ? AND seq > ? AND state = 1 ORDER BY seq LIMIT n), read from
-- this key instead of scanning the primary key past other municipalities'
-- rows, or sorting all of the municipality's rows for every page.
CREATE INDEX IF NOT EXISTS citizen_plans_list ON citizen_plans (municipality, state, seq);
-- A citizen's plans (ListCitizenPlans with citizen_id, which the gateway's
-- GetCitizenOverview calls): the other services' resource tables have this
-- key; without it MariaDB scans the primary key of the whole table.
CREATE INDEX IF NOT EXISTS citizen_plans_citizen ON citizen_plans (municipality, citizen_id, status);
