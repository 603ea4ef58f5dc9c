-- National scale (docs/PERFORMANCE.md, "At national scale"): every
-- municipality's list of applications, WHERE municipality = ? AND seq > ? AND
-- state = 1 ORDER BY seq LIMIT n, read in seq order from this key instead of
-- scanning the primary key past other municipalities' rows or sorting the
-- whole municipality; and the cache stamp of store::ResourceCache
-- (COUNT(*), SUM(version), MAX(update_time) WHERE municipality = ?) answered
-- from the key alone, without reading every row.
CREATE INDEX IF NOT EXISTS applications_list ON applications (municipality, state, seq, version, update_time);
