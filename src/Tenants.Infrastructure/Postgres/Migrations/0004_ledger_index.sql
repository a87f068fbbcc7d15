-- The search index: one row per sealed ledger entry, derived from the blocks (the ledger is the truth, and the index
-- can be rebuilt from the blobs at any time). Primary key (tenant, leaf index), so indexing a block twice is a no-op.
--
-- Row-level security, forced even for the owner: a row is visible only when the transaction has set
-- app.tenant_id to its tenant (set_config('app.tenant_id', <tenant>, true)). Without the setting a query sees
-- nothing, whatever its WHERE clause. The application reaches the tables through two NOLOGIN roles that own
-- nothing (SET LOCAL ROLE in each transaction): tenants_index_reader (the API: SELECT) and tenants_index_writer
-- (the indexer: insert, delete for rebuilds, and the cursors). Roles belong to the cluster, not the database, so
-- they are created only when missing; the migrating user is made a member so that it may SET ROLE to them.

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tenants_index_reader') THEN
        BEGIN
            CREATE ROLE tenants_index_reader NOLOGIN NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- created by a migrator of another database at the same moment
        END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tenants_index_writer') THEN
        BEGIN
            CREATE ROLE tenants_index_writer NOLOGIN NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
    IF NOT pg_has_role(current_user, 'tenants_index_reader', 'MEMBER') THEN
        EXECUTE format('GRANT tenants_index_reader TO %I', current_user);
    END IF;
    IF NOT pg_has_role(current_user, 'tenants_index_writer', 'MEMBER') THEN
        EXECUTE format('GRANT tenants_index_writer TO %I', current_user);
    END IF;
END
$roles$;

CREATE TABLE ledger_index_events
(
    tenant_id       text        NOT NULL CHECK (tenant_id <> ''),
    leaf_index      bigint      NOT NULL CHECK (leaf_index >= 0),
    event_id        text        NOT NULL,
    kind            text        NOT NULL,
    time            timestamptz NOT NULL,
    endpoint_id     text        NOT NULL,
    session_id      text        NOT NULL,
    person          text,
    database_user   text,
    database        text,
    client_address  text,
    client_host     text,
    application     text,
    statement_class text,
    command_tag     text,
    rows            bigint,
    sqlstate        text,
    duration_micros bigint,
    sql             text,
    fingerprint     text,
    -- 'simple': SQL is not English, so no stemming or stop words. Capped, because a tsvector holds at most 1 MB.
    sql_search      tsvector    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, left(coalesce(sql, ''), 200000))) STORED,
    entry           text        NOT NULL,
    CONSTRAINT ledger_index_events_pkey PRIMARY KEY (tenant_id, leaf_index)
);

CREATE INDEX ledger_index_events_time ON ledger_index_events (tenant_id, time);
CREATE INDEX ledger_index_events_session ON ledger_index_events (tenant_id, session_id, leaf_index);
CREATE INDEX ledger_index_events_endpoint ON ledger_index_events (tenant_id, endpoint_id, leaf_index);
CREATE INDEX ledger_index_events_user ON ledger_index_events (tenant_id, database_user, leaf_index);
CREATE INDEX ledger_index_events_sqlstate ON ledger_index_events (tenant_id, sqlstate, leaf_index) WHERE sqlstate IS NOT NULL;
CREATE INDEX ledger_index_events_fingerprint ON ledger_index_events (tenant_id, fingerprint, leaf_index) WHERE fingerprint IS NOT NULL;
CREATE INDEX ledger_index_events_person ON ledger_index_events (tenant_id, person, leaf_index) WHERE person IS NOT NULL;
CREATE INDEX ledger_index_events_duration ON ledger_index_events (tenant_id, duration_micros) WHERE duration_micros IS NOT NULL;
CREATE INDEX ledger_index_events_sql_search ON ledger_index_events USING gin (sql_search);

-- "Indexed up to": the number of leading entries of the tenant's ledger that are in ledger_index_events.
CREATE TABLE ledger_index_cursors
(
    tenant_id    text        PRIMARY KEY CHECK (tenant_id <> ''),
    indexed_size bigint      NOT NULL CHECK (indexed_size >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE ledger_index_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_events FORCE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_cursors ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_cursors FORCE ROW LEVEL SECURITY;

-- NULLIF: once a session has used the setting, it reads '' (not NULL) outside the transaction that set it.
CREATE POLICY ledger_index_events_tenant ON ledger_index_events
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
CREATE POLICY ledger_index_cursors_tenant ON ledger_index_cursors
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));
-- The indexer finds the tenants to catch up from their cursors: tenant ids and sizes only, never events.
CREATE POLICY ledger_index_cursors_list ON ledger_index_cursors FOR SELECT TO tenants_index_writer USING (true);

GRANT SELECT ON ledger_index_events, ledger_index_cursors TO tenants_index_reader;
GRANT SELECT, INSERT, DELETE ON ledger_index_events TO tenants_index_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON ledger_index_cursors TO tenants_index_writer;
