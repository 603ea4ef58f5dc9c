-- Housing schema (mysql). Resource tables have the shape
-- common/store/resources.h expects: the protobuf body is the record, the other
-- columns are projections for keys, filters and optimistic concurrency.

CREATE TABLE IF NOT EXISTS housing_units (
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
  UNIQUE KEY housing_units_id (id),
  UNIQUE KEY housing_units_request (municipality, request_id),
  KEY housing_units_parent (municipality, parent_id, seq),
  KEY housing_units_ref (municipality, ref_id, status),
  KEY housing_units_citizen (municipality, citizen_id, status),
  KEY housing_units_status (municipality, status, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS applications (
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
  UNIQUE KEY applications_id (id),
  UNIQUE KEY applications_request (municipality, request_id),
  KEY applications_parent (municipality, parent_id, seq),
  KEY applications_ref (municipality, ref_id, status),
  KEY applications_citizen (municipality, citizen_id, status),
  KEY applications_status (municipality, status, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS tenancies (
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
  UNIQUE KEY tenancies_id (id),
  UNIQUE KEY tenancies_request (municipality, request_id),
  KEY tenancies_parent (municipality, parent_id, seq),
  KEY tenancies_ref (municipality, ref_id, status),
  KEY tenancies_citizen (municipality, citizen_id, status),
  KEY tenancies_status (municipality, status, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS resource_tags (
  kind VARCHAR(40) NOT NULL,
  resource_id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  tag VARCHAR(80) NOT NULL,
  PRIMARY KEY (kind, resource_id, tag),
  KEY resource_tags_tag (municipality, kind, tag, resource_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Offers; offer_state as OfferState. pending_unit and pending_application
-- hold the unit and application ids while the offer is PENDING and are NULL
-- otherwise: their unique keys make a second pending offer for the same
-- unit or application impossible, whatever the code above does.
CREATE TABLE IF NOT EXISTS offers (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  unit_id VARCHAR(40) NOT NULL,
  application_id VARCHAR(40) NOT NULL,
  citizen_id VARCHAR(64) NOT NULL,
  offer_state INTEGER NOT NULL,
  pending_unit VARCHAR(40),
  pending_application VARCHAR(40),
  deadline BIGINT NOT NULL,
  request_id VARCHAR(128),
  version BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  body LONGBLOB NOT NULL,
  UNIQUE KEY offers_id (id),
  UNIQUE KEY offers_request (municipality, request_id),
  UNIQUE KEY offers_pending_unit (pending_unit),
  UNIQUE KEY offers_pending_application (pending_application),
  KEY offers_deadline (offer_state, deadline),
  KEY offers_unit (municipality, unit_id, seq),
  KEY offers_application (municipality, application_id, seq),
  KEY offers_citizen (municipality, citizen_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A municipality's own priority rule (PriorityRule); none means the default.
CREATE TABLE IF NOT EXISTS priority_rules (
  municipality CHAR(3) NOT NULL PRIMARY KEY,
  version BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  body LONGBLOB NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
