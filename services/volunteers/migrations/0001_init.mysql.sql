-- Volunteer coordination schema (mysql). Resource tables have the shape
-- common/store/resources.h expects: the protobuf body is the record, the other
-- columns are projections for keys, filters and optimistic concurrency.

CREATE TABLE IF NOT EXISTS organisations (
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
  UNIQUE KEY organisations_id (id),
  UNIQUE KEY organisations_request (municipality, request_id),
  KEY organisations_parent (municipality, parent_id, seq),
  KEY organisations_ref (municipality, ref_id, status),
  KEY organisations_citizen (municipality, citizen_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS volunteers (
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
  UNIQUE KEY volunteers_id (id),
  UNIQUE KEY volunteers_request (municipality, request_id),
  KEY volunteers_parent (municipality, parent_id, seq),
  KEY volunteers_ref (municipality, ref_id, status),
  KEY volunteers_citizen (municipality, citizen_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS activities (
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
  UNIQUE KEY activities_id (id),
  UNIQUE KEY activities_request (municipality, request_id),
  KEY activities_parent (municipality, parent_id, seq),
  KEY activities_ref (municipality, ref_id, status),
  KEY activities_citizen (municipality, citizen_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS accompaniment_requests (
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
  UNIQUE KEY accompaniment_requests_id (id),
  UNIQUE KEY accompaniment_requests_request (municipality, request_id),
  KEY accompaniment_requests_parent (municipality, parent_id, seq),
  KEY accompaniment_requests_ref (municipality, ref_id, status),
  KEY accompaniment_requests_citizen (municipality, citizen_id, status)
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
  KEY entries_parent (municipality, kind, parent_id, entry_date, seq),
  KEY entries_date (municipality, kind, entry_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per sign-up of a volunteer for an occurrence of an activity.
CREATE TABLE IF NOT EXISTS sign_ups (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  activity_id VARCHAR(40) NOT NULL,
  volunteer_id VARCHAR(40) NOT NULL,
  occurrence_start BIGINT NOT NULL,
  active INTEGER NOT NULL,
  request_id VARCHAR(128),
  create_time BIGINT NOT NULL,
  body LONGBLOB NOT NULL,
  UNIQUE KEY sign_ups_id (id),
  UNIQUE KEY sign_ups_request (municipality, request_id),
  KEY sign_ups_occurrence (municipality, activity_id, occurrence_start, active),
  KEY sign_ups_volunteer (municipality, volunteer_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A volunteer's time booked by a matched accompaniment; no two overlap.
CREATE TABLE IF NOT EXISTS bookings (
  accompaniment_id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  volunteer_id VARCHAR(40) NOT NULL,
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  PRIMARY KEY (accompaniment_id),
  KEY bookings_volunteer (municipality, volunteer_id, start_us)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
