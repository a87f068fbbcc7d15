-- Sessions in the search index, and what event search needs beyond 0004: the block each row came from (event detail),
-- lookup by event id, and indexes for the new filters and sorts.
--
-- ledger_index_sessions has one row per (tenant, session), derived from ledger_index_events and nothing else: a
-- statement-level trigger folds the rows each INSERT really added (the transition table holds only those, so
-- indexing a block twice counts nothing twice) into the session rows, in the same transaction, as the same role and
-- under the same row-level security. Rebuilding the events rebuilds the sessions. Merges are order-independent:
-- tags come from the session's lowest leaf, the login outcome from its highest login entry, counts add up.

ALTER TABLE ledger_index_events ADD COLUMN block_first bigint, ADD COLUMN block_last bigint;

CREATE INDEX ledger_index_events_event_id ON ledger_index_events (tenant_id, event_id);
CREATE INDEX ledger_index_events_rows ON ledger_index_events (tenant_id, rows, leaf_index) WHERE rows IS NOT NULL;
CREATE INDEX ledger_index_events_duration_leaf ON ledger_index_events (tenant_id, duration_micros, leaf_index) WHERE duration_micros IS NOT NULL;

CREATE TABLE ledger_index_sessions
(
    tenant_id      text        NOT NULL CHECK (tenant_id <> ''),
    session_id     text        NOT NULL,
    endpoint_id    text,
    person         text,
    database_user  text,
    database       text,
    client_address text,
    client_host    text,
    application    text,
    tags_leaf      bigint      NOT NULL,
    first_leaf     bigint      NOT NULL,
    last_leaf      bigint      NOT NULL,
    first_time     timestamptz NOT NULL,
    last_time      timestamptz NOT NULL,
    entries        bigint      NOT NULL,
    statements     bigint      NOT NULL,
    errors         bigint      NOT NULL,
    rows           bigint      NOT NULL,
    -- succeeded or failed, from the highest login entry (login_leaf); refused when only connection_refused was seen.
    login          text,
    login_leaf     bigint,
    refused        boolean     NOT NULL,
    ended_time     timestamptz,
    idle_timeout   boolean     NOT NULL,
    login_outcome  text        GENERATED ALWAYS AS (coalesce(login, CASE WHEN refused THEN 'refused' END)) STORED,
    ended          text        GENERATED ALWAYS AS (
        CASE WHEN ended_time IS NOT NULL THEN 'session_ended' WHEN idle_timeout THEN 'idle_timeout' END) STORED,
    CONSTRAINT ledger_index_sessions_pkey PRIMARY KEY (tenant_id, session_id)
);

CREATE INDEX ledger_index_sessions_first_leaf ON ledger_index_sessions (tenant_id, first_leaf);
CREATE INDEX ledger_index_sessions_endpoint ON ledger_index_sessions (tenant_id, endpoint_id, first_leaf);
CREATE INDEX ledger_index_sessions_user ON ledger_index_sessions (tenant_id, database_user, first_leaf);
CREATE INDEX ledger_index_sessions_person ON ledger_index_sessions (tenant_id, person, first_leaf) WHERE person IS NOT NULL;
CREATE INDEX ledger_index_sessions_time ON ledger_index_sessions (tenant_id, first_time);

ALTER TABLE ledger_index_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY ledger_index_sessions_tenant ON ledger_index_sessions
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));

GRANT SELECT ON ledger_index_sessions TO tenants_index_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ledger_index_sessions TO tenants_index_writer;

-- Runs as the inserting role (SECURITY INVOKER), so row-level security applies to what it writes as to the events.
CREATE FUNCTION ledger_index_sessions_fold() RETURNS trigger LANGUAGE plpgsql AS $fold$
BEGIN
    INSERT INTO ledger_index_sessions AS s
        (tenant_id, session_id, endpoint_id, person, database_user, database, client_address, client_host, application,
         tags_leaf, first_leaf, last_leaf, first_time, last_time, entries, statements, errors, rows, login, login_leaf,
         refused, ended_time, idle_timeout)
    SELECT n.tenant_id, n.session_id,
           (array_agg(n.endpoint_id ORDER BY n.leaf_index) FILTER (WHERE n.endpoint_id <> ''))[1],
           (array_agg(n.person ORDER BY n.leaf_index) FILTER (WHERE n.person IS NOT NULL))[1],
           (array_agg(n.database_user ORDER BY n.leaf_index) FILTER (WHERE n.database_user IS NOT NULL))[1],
           (array_agg(n.database ORDER BY n.leaf_index) FILTER (WHERE n.database IS NOT NULL))[1],
           (array_agg(n.client_address ORDER BY n.leaf_index) FILTER (WHERE n.client_address IS NOT NULL))[1],
           (array_agg(n.client_host ORDER BY n.leaf_index) FILTER (WHERE n.client_host IS NOT NULL))[1],
           (array_agg(n.application ORDER BY n.leaf_index) FILTER (WHERE n.application IS NOT NULL))[1],
           min(n.leaf_index), min(n.leaf_index), max(n.leaf_index),
           min(n.time),
           -- A summary is appended when the session is over (possibly an idle timeout later): not activity.
           coalesce(max(n.time) FILTER (WHERE n.kind <> 'session_summary'), max(n.time)),
           count(*) FILTER (WHERE n.kind <> 'session_summary'),
           count(*) FILTER (WHERE n.kind = 'statement'),
           count(*) FILTER (WHERE n.sqlstate IS NOT NULL AND n.kind <> 'session_summary'),
           coalesce(sum(n.rows) FILTER (WHERE n.kind = 'statement'), 0),
           (array_agg(CASE n.kind WHEN 'login_succeeded' THEN 'succeeded' ELSE 'failed' END ORDER BY n.leaf_index DESC)
                FILTER (WHERE n.kind IN ('login_succeeded', 'login_failed')))[1],
           max(n.leaf_index) FILTER (WHERE n.kind IN ('login_succeeded', 'login_failed')),
           coalesce(bool_or(n.kind = 'connection_refused'), false),
           min(n.time) FILTER (WHERE n.kind IN ('session_ended', 'connection_refused')),
           coalesce(bool_or(n.kind = 'session_summary' AND n.entry LIKE '%"message":"idle_timeout"%'), false)
    FROM new_rows n
    WHERE n.session_id <> ''
    GROUP BY n.tenant_id, n.session_id
    ON CONFLICT (tenant_id, session_id) DO UPDATE SET
        endpoint_id    = CASE WHEN excluded.tags_leaf < s.tags_leaf THEN coalesce(excluded.endpoint_id, s.endpoint_id) ELSE coalesce(s.endpoint_id, excluded.endpoint_id) END,
        person         = CASE WHEN excluded.tags_leaf < s.tags_leaf THEN coalesce(excluded.person, s.person) ELSE coalesce(s.person, excluded.person) END,
        database_user  = CASE WHEN excluded.tags_leaf < s.tags_leaf THEN coalesce(excluded.database_user, s.database_user) ELSE coalesce(s.database_user, excluded.database_user) END,
        database       = CASE WHEN excluded.tags_leaf < s.tags_leaf THEN coalesce(excluded.database, s.database) ELSE coalesce(s.database, excluded.database) END,
        client_address = CASE WHEN excluded.tags_leaf < s.tags_leaf THEN coalesce(excluded.client_address, s.client_address) ELSE coalesce(s.client_address, excluded.client_address) END,
        client_host    = CASE WHEN excluded.tags_leaf < s.tags_leaf THEN coalesce(excluded.client_host, s.client_host) ELSE coalesce(s.client_host, excluded.client_host) END,
        application    = CASE WHEN excluded.tags_leaf < s.tags_leaf THEN coalesce(excluded.application, s.application) ELSE coalesce(s.application, excluded.application) END,
        tags_leaf      = LEAST(s.tags_leaf, excluded.tags_leaf),
        first_leaf     = LEAST(s.first_leaf, excluded.first_leaf),
        last_leaf      = GREATEST(s.last_leaf, excluded.last_leaf),
        first_time     = LEAST(s.first_time, excluded.first_time),
        last_time      = GREATEST(s.last_time, excluded.last_time),
        entries        = s.entries + excluded.entries,
        statements     = s.statements + excluded.statements,
        errors         = s.errors + excluded.errors,
        rows           = s.rows + excluded.rows,
        login          = CASE WHEN excluded.login_leaf > coalesce(s.login_leaf, -1) THEN excluded.login ELSE s.login END,
        login_leaf     = GREATEST(s.login_leaf, excluded.login_leaf),
        refused        = s.refused OR excluded.refused,
        ended_time     = LEAST(s.ended_time, excluded.ended_time),
        idle_timeout   = s.idle_timeout OR excluded.idle_timeout;
    RETURN NULL;
END
$fold$;

CREATE TRIGGER ledger_index_events_sessions AFTER INSERT ON ledger_index_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_index_sessions_fold();

-- Sessions of the rows indexed before this migration: the rows are taken out and put back, so the trigger folds them.
-- Forced row-level security hides every row from the owner, so it is lifted inside this migration's transaction only.
ALTER TABLE ledger_index_events NO FORCE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_sessions NO FORCE ROW LEVEL SECURITY;
CREATE TEMPORARY TABLE ledger_index_events_backfill ON COMMIT DROP AS
    SELECT tenant_id, leaf_index, event_id, kind, time, endpoint_id, session_id, person, database_user, database,
           client_address, client_host, application, statement_class, command_tag, rows, sqlstate, duration_micros,
           sql, fingerprint, entry
    FROM ledger_index_events;
DELETE FROM ledger_index_events;
INSERT INTO ledger_index_events
    (tenant_id, leaf_index, event_id, kind, time, endpoint_id, session_id, person, database_user, database,
     client_address, client_host, application, statement_class, command_tag, rows, sqlstate, duration_micros,
     sql, fingerprint, entry)
SELECT * FROM ledger_index_events_backfill;
ALTER TABLE ledger_index_events FORCE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_sessions FORCE ROW LEVEL SECURITY;
