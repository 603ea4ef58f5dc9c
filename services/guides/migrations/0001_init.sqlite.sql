-- Borgerguide schema (sqlite). Resource tables have the shape
-- common/store/resources.h expects: the protobuf body is the record, the other
-- columns are projections for keys, filters and optimistic concurrency.

CREATE TABLE IF NOT EXISTS guides (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  parent_id VARCHAR(40) NOT NULL,
  ref_id VARCHAR(40) NOT NULL,
  citizen_id VARCHAR(64) NOT NULL,
  status INTEGER NOT NULL,
  start_year INTEGER NOT NULL,
  end_year INTEGER NOT NULL,
  state INTEGER NOT NULL,
  version BIGINT NOT NULL,
  request_id VARCHAR(128),
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  touch_time BIGINT NOT NULL,
  body BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS guides_id ON guides (id);
CREATE UNIQUE INDEX IF NOT EXISTS guides_request ON guides (municipality, request_id);
CREATE INDEX IF NOT EXISTS guides_parent ON guides (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS guides_ref ON guides (municipality, ref_id, status);
CREATE INDEX IF NOT EXISTS guides_citizen ON guides (municipality, citizen_id, status);

CREATE TABLE IF NOT EXISTS guidance_requests (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  parent_id VARCHAR(40) NOT NULL,
  ref_id VARCHAR(40) NOT NULL,
  citizen_id VARCHAR(64) NOT NULL,
  status INTEGER NOT NULL,
  start_year INTEGER NOT NULL,
  end_year INTEGER NOT NULL,
  state INTEGER NOT NULL,
  version BIGINT NOT NULL,
  request_id VARCHAR(128),
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  touch_time BIGINT NOT NULL,
  body BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS guidance_requests_id ON guidance_requests (id);
CREATE UNIQUE INDEX IF NOT EXISTS guidance_requests_request ON guidance_requests (municipality, request_id);
CREATE INDEX IF NOT EXISTS guidance_requests_parent ON guidance_requests (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS guidance_requests_ref ON guidance_requests (municipality, ref_id, status);
CREATE INDEX IF NOT EXISTS guidance_requests_citizen ON guidance_requests (municipality, citizen_id, status);

CREATE TABLE IF NOT EXISTS group_sessions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  parent_id VARCHAR(40) NOT NULL,
  ref_id VARCHAR(40) NOT NULL,
  citizen_id VARCHAR(64) NOT NULL,
  status INTEGER NOT NULL,
  start_year INTEGER NOT NULL,
  end_year INTEGER NOT NULL,
  state INTEGER NOT NULL,
  version BIGINT NOT NULL,
  request_id VARCHAR(128),
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  touch_time BIGINT NOT NULL,
  body BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS group_sessions_id ON group_sessions (id);
CREATE UNIQUE INDEX IF NOT EXISTS group_sessions_request ON group_sessions (municipality, request_id);
CREATE INDEX IF NOT EXISTS group_sessions_parent ON group_sessions (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS group_sessions_ref ON group_sessions (municipality, ref_id, status);
CREATE INDEX IF NOT EXISTS group_sessions_citizen ON group_sessions (municipality, citizen_id, status);

CREATE TABLE IF NOT EXISTS resource_tags (
  kind VARCHAR(40) NOT NULL,
  resource_id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  tag VARCHAR(80) NOT NULL,
  PRIMARY KEY (kind, resource_id, tag)
);
CREATE INDEX IF NOT EXISTS resource_tags_tag ON resource_tags (municipality, kind, tag, resource_id);

CREATE TABLE IF NOT EXISTS entries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  kind VARCHAR(40) NOT NULL,
  parent_id VARCHAR(40) NOT NULL,
  entry_date INTEGER NOT NULL,
  request_id VARCHAR(128),
  create_time BIGINT NOT NULL,
  body BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS entries_id ON entries (id);
CREATE UNIQUE INDEX IF NOT EXISTS entries_request ON entries (municipality, kind, request_id);
CREATE INDEX IF NOT EXISTS entries_parent ON entries (municipality, kind, parent_id, entry_date, seq);

-- Matches of a guide to a guidance request; match_state as MatchState.
CREATE TABLE IF NOT EXISTS matches (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  guidance_request_id VARCHAR(40) NOT NULL,
  guide_id VARCHAR(40) NOT NULL,
  match_state INTEGER NOT NULL,
  version BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  body BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS matches_id ON matches (id);
CREATE INDEX IF NOT EXISTS matches_guide ON matches (municipality, guide_id, match_state);
CREATE INDEX IF NOT EXISTS matches_request ON matches (municipality, guidance_request_id, match_state);
