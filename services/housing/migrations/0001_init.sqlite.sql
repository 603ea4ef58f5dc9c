-- Housing schema (sqlite). Resource tables have the shape
-- common/store/resources.h expects: the protobuf body is the record, the other
-- columns are projections for keys, filters and optimistic concurrency.

CREATE TABLE IF NOT EXISTS housing_units (
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
CREATE UNIQUE INDEX IF NOT EXISTS housing_units_id ON housing_units (id);
CREATE UNIQUE INDEX IF NOT EXISTS housing_units_request ON housing_units (municipality, request_id);
CREATE INDEX IF NOT EXISTS housing_units_parent ON housing_units (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS housing_units_ref ON housing_units (municipality, ref_id, status);
CREATE INDEX IF NOT EXISTS housing_units_citizen ON housing_units (municipality, citizen_id, status);
CREATE INDEX IF NOT EXISTS housing_units_status ON housing_units (municipality, status, seq);

CREATE TABLE IF NOT EXISTS applications (
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
CREATE UNIQUE INDEX IF NOT EXISTS applications_id ON applications (id);
CREATE UNIQUE INDEX IF NOT EXISTS applications_request ON applications (municipality, request_id);
CREATE INDEX IF NOT EXISTS applications_parent ON applications (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS applications_ref ON applications (municipality, ref_id, status);
CREATE INDEX IF NOT EXISTS applications_citizen ON applications (municipality, citizen_id, status);
CREATE INDEX IF NOT EXISTS applications_status ON applications (municipality, status, seq);

CREATE TABLE IF NOT EXISTS tenancies (
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
CREATE UNIQUE INDEX IF NOT EXISTS tenancies_id ON tenancies (id);
CREATE UNIQUE INDEX IF NOT EXISTS tenancies_request ON tenancies (municipality, request_id);
CREATE INDEX IF NOT EXISTS tenancies_parent ON tenancies (municipality, parent_id, seq);
CREATE INDEX IF NOT EXISTS tenancies_ref ON tenancies (municipality, ref_id, status);
CREATE INDEX IF NOT EXISTS tenancies_citizen ON tenancies (municipality, citizen_id, status);
CREATE INDEX IF NOT EXISTS tenancies_status ON tenancies (municipality, status, seq);

CREATE TABLE IF NOT EXISTS resource_tags (
  kind VARCHAR(40) NOT NULL,
  resource_id VARCHAR(40) NOT NULL,
  municipality CHAR(3) NOT NULL,
  tag VARCHAR(80) NOT NULL,
  PRIMARY KEY (kind, resource_id, tag)
);
CREATE INDEX IF NOT EXISTS resource_tags_tag ON resource_tags (municipality, kind, tag, resource_id);

-- Offers; offer_state as OfferState. pending_unit and pending_application
-- hold the unit and application ids while the offer is PENDING and are NULL
-- otherwise: their unique indexes make a second pending offer for the same
-- unit or application impossible, whatever the code above does.
CREATE TABLE IF NOT EXISTS offers (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
  body BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS offers_id ON offers (id);
CREATE UNIQUE INDEX IF NOT EXISTS offers_request ON offers (municipality, request_id);
CREATE UNIQUE INDEX IF NOT EXISTS offers_pending_unit ON offers (pending_unit);
CREATE UNIQUE INDEX IF NOT EXISTS offers_pending_application ON offers (pending_application);
CREATE INDEX IF NOT EXISTS offers_deadline ON offers (offer_state, deadline);
CREATE INDEX IF NOT EXISTS offers_unit ON offers (municipality, unit_id, seq);
CREATE INDEX IF NOT EXISTS offers_application ON offers (municipality, application_id, seq);
CREATE INDEX IF NOT EXISTS offers_citizen ON offers (municipality, citizen_id, seq);

-- A municipality's own priority rule (PriorityRule); none means the default.
CREATE TABLE IF NOT EXISTS priority_rules (
  municipality CHAR(3) NOT NULL PRIMARY KEY,
  version BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  body BLOB NOT NULL
);
