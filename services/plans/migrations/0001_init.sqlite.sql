-- Plans & initiatives schema (sqlite).
-- Every resource table has the same shape: the protobuf body is the record;
-- the other columns are projections of it used for keys, filters and
-- optimistic concurrency (version backs the etag).
CREATE TABLE IF NOT EXISTS policies (
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
CREATE UNIQUE INDEX IF NOT EXISTS policies_id ON policies (id);
CREATE UNIQUE INDEX IF NOT EXISTS policies_request ON policies (municipality, request_id);
CREATE INDEX IF NOT EXISTS policies_parent ON policies (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS policies_ref ON policies (municipality, ref_id, status);
CREATE TABLE IF NOT EXISTS plans (
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
CREATE UNIQUE INDEX IF NOT EXISTS plans_id ON plans (id);
CREATE UNIQUE INDEX IF NOT EXISTS plans_request ON plans (municipality, request_id);
CREATE INDEX IF NOT EXISTS plans_parent ON plans (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS plans_ref ON plans (municipality, ref_id, status);
CREATE TABLE IF NOT EXISTS tracks (
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
CREATE UNIQUE INDEX IF NOT EXISTS tracks_id ON tracks (id);
CREATE UNIQUE INDEX IF NOT EXISTS tracks_request ON tracks (municipality, request_id);
CREATE INDEX IF NOT EXISTS tracks_parent ON tracks (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS tracks_ref ON tracks (municipality, ref_id, status);
CREATE TABLE IF NOT EXISTS initiative_areas (
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
CREATE UNIQUE INDEX IF NOT EXISTS initiative_areas_id ON initiative_areas (id);
CREATE UNIQUE INDEX IF NOT EXISTS initiative_areas_request ON initiative_areas (municipality, request_id);
CREATE INDEX IF NOT EXISTS initiative_areas_parent ON initiative_areas (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS initiative_areas_ref ON initiative_areas (municipality, ref_id, status);
CREATE TABLE IF NOT EXISTS activities (
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
CREATE UNIQUE INDEX IF NOT EXISTS activities_id ON activities (id);
CREATE UNIQUE INDEX IF NOT EXISTS activities_request ON activities (municipality, request_id);
CREATE INDEX IF NOT EXISTS activities_parent ON activities (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS activities_ref ON activities (municipality, ref_id, status);
CREATE TABLE IF NOT EXISTS indicators (
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
CREATE UNIQUE INDEX IF NOT EXISTS indicators_id ON indicators (id);
CREATE UNIQUE INDEX IF NOT EXISTS indicators_request ON indicators (municipality, request_id);
CREATE INDEX IF NOT EXISTS indicators_parent ON indicators (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS indicators_ref ON indicators (municipality, ref_id, status);
CREATE TABLE IF NOT EXISTS citizen_plans (
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
CREATE UNIQUE INDEX IF NOT EXISTS citizen_plans_id ON citizen_plans (id);
CREATE UNIQUE INDEX IF NOT EXISTS citizen_plans_request ON citizen_plans (municipality, request_id);
CREATE INDEX IF NOT EXISTS citizen_plans_parent ON citizen_plans (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS citizen_plans_ref ON citizen_plans (municipality, ref_id, status);
CREATE TABLE IF NOT EXISTS goals (
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
CREATE UNIQUE INDEX IF NOT EXISTS goals_id ON goals (id);
CREATE UNIQUE INDEX IF NOT EXISTS goals_request ON goals (municipality, request_id);
CREATE INDEX IF NOT EXISTS goals_parent ON goals (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS goals_ref ON goals (municipality, ref_id, status);
CREATE TABLE IF NOT EXISTS actions (
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
CREATE UNIQUE INDEX IF NOT EXISTS actions_id ON actions (id);
CREATE UNIQUE INDEX IF NOT EXISTS actions_request ON actions (municipality, request_id);
CREATE INDEX IF NOT EXISTS actions_parent ON actions (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS actions_ref ON actions (municipality, ref_id, status);
CREATE TABLE IF NOT EXISTS resource_tags (
  kind VARCHAR(40) NOT NULL,
  resource_id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  tag VARCHAR(40) NOT NULL,
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

CREATE TABLE IF NOT EXISTS yearly_focus (
  municipality CHAR(3) NOT NULL,
  plan_id VARCHAR(40) NOT NULL,
  year INTEGER NOT NULL,
  version BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (municipality, plan_id, year)
);
