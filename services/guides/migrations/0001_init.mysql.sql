-- Borgerguide schema (mysql). Resource tables have the shape
-- common/store/resources.h expects: the protobuf body is the record, the other
-- columns are projections for keys, filters and optimistic concurrency.

CREATE TABLE IF NOT EXISTS guides (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
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
  body LONGBLOB NOT NULL,
  UNIQUE KEY guides_id (id),
  UNIQUE KEY guides_request (municipality, request_id),
  KEY guides_parent (municipality, parent_id, seq),
  KEY guides_ref (municipality, ref_id, status),
  KEY guides_citizen (municipality, citizen_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS guidance_requests (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
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
  body LONGBLOB NOT NULL,
  UNIQUE KEY guidance_requests_id (id),
  UNIQUE KEY guidance_requests_request (municipality, request_id),
  KEY guidance_requests_parent (municipality, parent_id, seq),
  KEY guidance_requests_ref (municipality, ref_id, status),
  KEY guidance_requests_citizen (municipality, citizen_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS group_sessions (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
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
  body LONGBLOB NOT NULL,
  UNIQUE KEY group_sessions_id (id),
  UNIQUE KEY group_sessions_request (municipality, request_id),
  KEY group_sessions_parent (municipality, parent_id, seq),
  KEY group_sessions_ref (municipality, ref_id, status),
  KEY group_sessions_citizen (municipality, citizen_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS resource_tags (
  kind VARCHAR(40) NOT NULL,
  resource_id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  tag VARCHAR(80) NOT NULL,
  PRIMARY KEY (kind, resource_id, tag),
  KEY resource_tags_tag (municipality, kind, tag, resource_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS entries (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  kind VARCHAR(40) NOT NULL,
  parent_id VARCHAR(40) NOT NULL,
  entry_date INTEGER NOT NULL,
  request_id VARCHAR(128),
  create_time BIGINT NOT NULL,
  body LONGBLOB NOT NULL,
  UNIQUE KEY entries_id (id),
  UNIQUE KEY entries_request (municipality, kind, request_id),
  KEY entries_parent (municipality, kind, parent_id, entry_date, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Matches of a guide to a guidance request; match_state as MatchState.
CREATE TABLE IF NOT EXISTS matches (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  guidance_request_id VARCHAR(40) NOT NULL,
  guide_id VARCHAR(40) NOT NULL,
  match_state INTEGER NOT NULL,
  version BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  body LONGBLOB NOT NULL,
  UNIQUE KEY matches_id (id),
  KEY matches_guide (municipality, guide_id, match_state),
  KEY matches_request (municipality, guidance_request_id, match_state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
