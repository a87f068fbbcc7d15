-- Sessions not yet summed up (no session_summary entry indexed): the index service looks for them to wake their
-- session grains, whose timers (the idle timeout, or the retry of a pending summary) died with a silo: a crash, a
-- restart, a scale-in. The fold of 0006 gains the column; everything else about it is unchanged.

ALTER TABLE ledger_index_sessions ADD COLUMN summarized boolean NOT NULL DEFAULT false;

-- Sessions indexed before this migration: summed up when a summary of theirs is indexed. Forced row-level security
-- hides every row from the owner, so it is lifted inside this migration's transaction only (as 0006 does).
ALTER TABLE ledger_index_events NO FORCE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_sessions NO FORCE ROW LEVEL SECURITY;
UPDATE ledger_index_sessions s SET summarized = true
FROM (SELECT DISTINCT tenant_id, session_id FROM ledger_index_events WHERE kind = 'session_summary') e
WHERE s.tenant_id = e.tenant_id AND s.session_id = e.session_id;
ALTER TABLE ledger_index_events FORCE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_sessions FORCE ROW LEVEL SECURITY;

CREATE INDEX ledger_index_sessions_unsummarized ON ledger_index_sessions (tenant_id, last_time) WHERE NOT summarized;

CREATE OR REPLACE FUNCTION ledger_index_sessions_fold() RETURNS trigger LANGUAGE plpgsql AS $fold$
BEGIN
    INSERT INTO ledger_index_sessions AS s
        (tenant_id, session_id, endpoint_id, person, database_user, database, client_address, client_host, application,
         tags_leaf, first_leaf, last_leaf, first_time, last_time, entries, statements, errors, rows, login, login_leaf,
         refused, ended_time, idle_timeout, summarized)
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
           coalesce(bool_or(n.kind = 'session_summary' AND n.entry LIKE '%"message":"idle_timeout"%'), false),
           coalesce(bool_or(n.kind = 'session_summary'), false)
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
        idle_timeout   = s.idle_timeout OR excluded.idle_timeout,
        summarized     = s.summarized OR excluded.summarized;
    RETURN NULL;
END
$fold$;
