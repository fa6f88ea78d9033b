/*
 * store_schema.h: the SQL schema of the store and its forward migrations. Not API.
 * Documented for users in docs/sql.md: keep the two in step.
 *
 * migrations[i] takes a file from user_version i to i+1; a new file runs them all in
 * order, inside one transaction, so the path old files take is the path every file
 * takes.
 */
#ifndef PD_STORE_SCHEMA_H
#define PD_STORE_SCHEMA_H

/* The columns every record table ends with (provenance, review mark, content). */
#define PD_META_COLS                                                                    \
    "  revision INTEGER NOT NULL,\n"                                                    \
    "  store_rev INTEGER NOT NULL,\n"                                                   \
    "  updated_at INTEGER NOT NULL,\n"                                                  \
    "  node TEXT, author TEXT, reason TEXT, decision_number TEXT,\n"                    \
    "  needs_review INTEGER NOT NULL DEFAULT 0,\n"                                      \
    "  pb BLOB NOT NULL\n"

/* v0 → v1: the record tables, history, findings, rejects. */
static const char pd_store_migration_1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);\n"
    "CREATE TABLE organizations(\n"
    "  id BLOB PRIMARY KEY CHECK (length(id) = 16),\n"
    "  code TEXT, name TEXT, name_fold TEXT, kind INTEGER, level INTEGER,\n"
    "  parent_id BLOB REFERENCES organizations(id),\n"
    "  province_code TEXT, commune_code TEXT, valid_from TEXT, valid_to TEXT,\n" PD_META_COLS
    ");\n"
    "CREATE INDEX organizations_parent ON organizations(parent_id);\n"
    "CREATE INDEX organizations_code ON organizations(code) WHERE code IS NOT NULL;\n"
    "CREATE INDEX organizations_rev ON organizations(store_rev);\n"
    "CREATE TABLE members(\n"
    "  id BLOB PRIMARY KEY CHECK (length(id) = 16),\n"
    "  cccd TEXT, party_card_no TEXT, full_name TEXT, name_fold TEXT,\n"
    "  birth_date TEXT, birth_year INTEGER, birth_precision INTEGER,\n"
    "  gender INTEGER, ethnicity_code TEXT, religion_code TEXT, status INTEGER,\n"
    "  current_org_id BLOB REFERENCES organizations(id),\n"
    "  province_code TEXT, commune_code TEXT,\n"
    "  residence_province_code TEXT, residence_commune_code TEXT, hometown_province_code TEXT,\n"
    "  admission_decision_date TEXT, admission_date TEXT, official_date TEXT,\n"
    "  merged_into_id BLOB,\n" PD_META_COLS ");\n"
    "CREATE INDEX members_cccd ON members(cccd) WHERE cccd IS NOT NULL;\n"
    "CREATE INDEX members_card ON members(party_card_no) WHERE party_card_no IS NOT NULL;\n"
    "CREATE INDEX members_name ON members(name_fold, birth_year);\n"
    "CREATE INDEX members_org ON members(current_org_id);\n"
    "CREATE INDEX members_place ON members(province_code, commune_code);\n"
    "CREATE INDEX members_rev ON members(store_rev);\n"
    "CREATE TABLE memberships(\n"
    "  id BLOB PRIMARY KEY CHECK (length(id) = 16),\n"
    "  member_id BLOB REFERENCES members(id),\n"
    "  org_id BLOB REFERENCES organizations(id),\n"
    "  kind INTEGER, from_date TEXT, to_date TEXT,\n" PD_META_COLS ");\n"
    "CREATE INDEX memberships_member ON memberships(member_id);\n"
    "CREATE INDEX memberships_org ON memberships(org_id);\n"
    "CREATE INDEX memberships_rev ON memberships(store_rev);\n"
    "CREATE TABLE events(\n"
    "  id BLOB PRIMARY KEY CHECK (length(id) = 16),\n"
    "  subject_id BLOB, type INTEGER, effective_date TEXT, decision_no TEXT,\n"
    "  from_org_id BLOB, to_org_id BLOB,\n" PD_META_COLS ");\n"
    "CREATE INDEX events_subject ON events(subject_id);\n"
    "CREATE INDEX events_rev ON events(store_rev);\n"
    "CREATE TABLE residence_links(\n"
    "  id BLOB PRIMARY KEY CHECK (length(id) = 16),\n"
    "  member_id BLOB REFERENCES members(id),\n"
    "  org_id BLOB REFERENCES organizations(id),\n"
    "  from_date TEXT, to_date TEXT,\n" PD_META_COLS ");\n"
    "CREATE INDEX residence_links_member ON residence_links(member_id);\n"
    "CREATE INDEX residence_links_org ON residence_links(org_id);\n"
    "CREATE INDEX residence_links_rev ON residence_links(store_rev);\n"
    "CREATE TABLE history(\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  kind INTEGER NOT NULL, record_id BLOB NOT NULL, revision INTEGER NOT NULL,\n"
    "  op TEXT NOT NULL CHECK (op IN ('insert','update','delete')),\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  node TEXT, author TEXT, reason TEXT, decision_number TEXT,\n"
    "  prev_pb BLOB\n"
    ");\n"
    "CREATE INDEX history_record ON history(record_id);\n"
    "CREATE TABLE findings(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  record_id BLOB NOT NULL, rule TEXT NOT NULL, severity INTEGER NOT NULL,\n"
    "  path TEXT, message TEXT, message_vi TEXT, old_value TEXT, new_value TEXT\n"
    ");\n"
    "CREATE INDEX findings_record ON findings(record_id);\n"
    "CREATE TABLE rejects(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  at INTEGER NOT NULL, source TEXT, record_index INTEGER,\n"
    "  reason TEXT NOT NULL, path TEXT, raw BLOB,\n"
    "  UNIQUE (reason, raw)\n"
    ");\n";

/* The text form of a 16-byte id in SQL. */
#define PD_SQL_UUID(c)                                                                   \
    "lower(hex(substr(" c ",1,4))||'-'||hex(substr(" c ",5,2))||'-'||hex(substr(" c     \
    ",7,2))||'-'||hex(substr(" c ",9,2))||'-'||hex(substr(" c ",11,6)))"
#define PD_SQL_GENDER(c) "CASE " c " WHEN 1 THEN 'NAM' WHEN 2 THEN 'NU' END"
#define PD_SQL_STATUS(c)                                                                 \
    "CASE " c " WHEN 1 THEN 'DU_BI' WHEN 2 THEN 'CHINH_THUC' WHEN 3 THEN 'XOA_TEN' "    \
    "WHEN 4 THEN 'KHAI_TRU' WHEN 5 THEN 'TU_TRAN' END"
#define PD_SQL_SEVERITY(c) "CASE " c " WHEN 1 THEN 'info' WHEN 2 THEN 'warning' WHEN 3 THEN 'error' END"

/* v1 → v2: duplicate candidates, status index, views for analysts. */
static const char pd_store_migration_2[] =
    "CREATE TABLE duplicate_candidates(\n"
    "  a_id BLOB NOT NULL, b_id BLOB NOT NULL,\n"
    "  key TEXT NOT NULL CHECK (key IN ('cccd','party_card_no')), value TEXT,\n"
    "  found_at INTEGER NOT NULL,\n"
    "  PRIMARY KEY (a_id, b_id, key)\n"
    ");\n"
    "CREATE INDEX duplicate_candidates_b ON duplicate_candidates(b_id);\n"
    "CREATE VIEW v_members AS SELECT\n"
    "  " PD_SQL_UUID("m.id") " AS id, m.full_name, " PD_SQL_GENDER("m.gender") " AS gender,\n"
    "  m.birth_date, m.birth_year, m.cccd, m.party_card_no, m.ethnicity_code,\n"
    "  m.religion_code, " PD_SQL_STATUS("m.status") " AS status,\n"
    "  m.province_code, m.commune_code, m.residence_province_code,\n"
    "  m.residence_commune_code, m.hometown_province_code,\n"
    "  " PD_SQL_UUID("m.current_org_id") " AS org_id, o.name AS org_name,\n"
    "  m.admission_decision_date, m.admission_date, m.official_date,\n"
    "  m.needs_review, m.revision,\n"
    "  datetime(m.updated_at / 1000000, 'unixepoch') AS updated_at\n"
    "FROM members m LEFT JOIN organizations o ON o.id = m.current_org_id;\n"
    "CREATE VIEW v_organizations AS SELECT\n"
    "  " PD_SQL_UUID("o.id") " AS id, o.code, o.name, o.kind, o.level,\n"
    "  " PD_SQL_UUID("o.parent_id") " AS parent_id, p.name AS parent_name,\n"
    "  o.province_code, o.commune_code, o.valid_from, o.valid_to,\n"
    "  (SELECT count(*) FROM members m WHERE m.current_org_id = o.id) AS members,\n"
    "  o.revision\n"
    "FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id;\n"
    "CREATE VIEW v_findings AS SELECT\n"
    "  " PD_SQL_UUID("f.record_id") " AS record_id, f.rule,\n"
    "  " PD_SQL_SEVERITY("f.severity") " AS severity, f.path, f.message,\n"
    "  m.full_name, m.province_code, m.commune_code\n"
    "FROM findings f LEFT JOIN members m ON m.id = f.record_id;\n"
    "CREATE VIEW v_history AS SELECT\n"
    "  h.seq AS store_revision, " PD_SQL_UUID("h.record_id") " AS record_id,\n"
    "  CASE h.kind WHEN 1 THEN 'member' WHEN 2 THEN 'organization' WHEN 3 THEN\n"
    "  'membership' WHEN 4 THEN 'event' WHEN 5 THEN 'residence_link' END AS kind,\n"
    "  h.revision, h.op, datetime(h.updated_at / 1000000, 'unixepoch') AS at,\n"
    "  h.node, h.author, h.reason, h.decision_number\n"
    "FROM history h;\n"
    "CREATE VIEW v_duplicates AS SELECT\n"
    "  " PD_SQL_UUID("d.a_id") " AS a_id, " PD_SQL_UUID("d.b_id") " AS b_id,\n"
    "  d.key, d.value, a.full_name AS a_name, b.full_name AS b_name\n"
    "FROM duplicate_candidates d LEFT JOIN members a ON a.id = d.a_id\n"
    "  LEFT JOIN members b ON b.id = d.b_id;\n";

static const char *const pd_store_migrations[] = {pd_store_migration_1,
                                                   pd_store_migration_2};

#endif
