-- Volunteer coordination schema (sqlite). Resource tables have the shape
-- common/store/resources.h expects: the protobuf body is the record, the other
-- columns are projections for keys, filters and optimistic concurrency.

CREATE TABLE IF NOT EXISTS organisations (
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
CREATE UNIQUE INDEX IF NOT EXISTS organisations_id ON organisations (id);
CREATE UNIQUE INDEX IF NOT EXISTS organisations_request ON organisations (municipality, request_id);
CREATE INDEX IF NOT EXISTS organisations_parent ON organisations (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS organisations_ref ON organisations (municipality, ref_id, status);
CREATE INDEX IF NOT EXISTS organisations_citizen ON organisations (municipality, citizen_id, status);

CREATE TABLE IF NOT EXISTS volunteers (
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
CREATE UNIQUE INDEX IF NOT EXISTS volunteers_id ON volunteers (id);
CREATE UNIQUE INDEX IF NOT EXISTS volunteers_request ON volunteers (municipality, request_id);
CREATE INDEX IF NOT EXISTS volunteers_parent ON volunteers (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS volunteers_ref ON volunteers (municipality, ref_id, status);
CREATE INDEX IF NOT EXISTS volunteers_citizen ON volunteers (municipality, citizen_id, status);

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
CREATE INDEX IF NOT EXISTS activities_citizen ON activities (municipality, citizen_id, status);

CREATE TABLE IF NOT EXISTS accompaniment_requests (
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
CREATE UNIQUE INDEX IF NOT EXISTS accompaniment_requests_id ON accompaniment_requests (id);
CREATE UNIQUE INDEX IF NOT EXISTS accompaniment_requests_request ON accompaniment_requests (municipality, request_id);
CREATE INDEX IF NOT EXISTS accompaniment_requests_parent ON accompaniment_requests (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS accompaniment_requests_ref ON accompaniment_requests (municipality, ref_id, status);
CREATE INDEX IF NOT EXISTS accompaniment_requests_citizen ON accompaniment_requests (municipality, citizen_id, status);

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
CREATE INDEX IF NOT EXISTS entries_date ON entries (municipality, kind, entry_date);

-- One row per sign-up of a volunteer for an occurrence of an activity.
CREATE TABLE IF NOT EXISTS sign_ups (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  activity_id VARCHAR(40) NOT NULL,
  volunteer_id VARCHAR(40) NOT NULL,
  occurrence_start BIGINT NOT NULL,
  active INTEGER NOT NULL,
  request_id VARCHAR(128),
  create_time BIGINT NOT NULL,
  body BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS sign_ups_id ON sign_ups (id);
CREATE UNIQUE INDEX IF NOT EXISTS sign_ups_request ON sign_ups (municipality, request_id);
CREATE INDEX IF NOT EXISTS sign_ups_occurrence ON sign_ups (municipality, activity_id, occurrence_start, active);
CREATE INDEX IF NOT EXISTS sign_ups_volunteer ON sign_ups (municipality, volunteer_id, seq);

-- A volunteer's time booked by a matched accompaniment; no two overlap.
CREATE TABLE IF NOT EXISTS bookings (
  accompaniment_id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  volunteer_id VARCHAR(40) NOT NULL,
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  PRIMARY KEY (accompaniment_id)
);
CREATE INDEX IF NOT EXISTS bookings_volunteer ON bookings (municipality, volunteer_id, start_us);
