-- Two summaries of the search index, kept by triggers as rows are indexed, so that searches over long time ranges
-- stay fast. First, where each minute of a tenant's events lies in its ledger: the first and last leaf index of the entries whose time
-- falls in that (UTC) minute, and how many there are. Searches over a time range take the leaf span of the range's
-- minutes from here and walk the primary key inside it, newest first, instead of letting the planner guess how far
-- back the range is: events are appended in time order, so a range is a short run of leaves, but the planner assumes
-- the rows of a time range are spread evenly over the table and, for LIMIT queries, would walk the primary key from
-- the newest leaf backwards through millions of rows to reach an old hour (docs/benchmarks.md, "Search").
--
-- The span is exact, not a guess: every entry of a minute lies between its first and last leaf, so the span of a
-- range's minutes holds every entry of the range (and the time condition still filters the rest). Kept by a
-- statement-level trigger from the rows an INSERT really added (ON CONFLICT DO NOTHING leaves re-indexed rows out of
-- the transition table), with the same row-level security as the events.

CREATE TABLE ledger_index_minutes
(
    tenant_id  text      NOT NULL CHECK (tenant_id <> ''),
    minute     timestamp NOT NULL,
    first_leaf bigint    NOT NULL,
    last_leaf  bigint    NOT NULL,
    events     bigint    NOT NULL,
    CONSTRAINT ledger_index_minutes_pkey PRIMARY KEY (tenant_id, minute)
);

ALTER TABLE ledger_index_minutes ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_minutes FORCE ROW LEVEL SECURITY;
CREATE POLICY ledger_index_minutes_tenant ON ledger_index_minutes
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));

GRANT SELECT ON ledger_index_minutes TO tenants_index_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ledger_index_minutes TO tenants_index_writer;

CREATE FUNCTION ledger_index_minutes_fold() RETURNS trigger LANGUAGE plpgsql AS $fold$
BEGIN
    INSERT INTO ledger_index_minutes AS m (tenant_id, minute, first_leaf, last_leaf, events)
    SELECT n.tenant_id, date_trunc('minute', n.time AT TIME ZONE 'UTC'), min(n.leaf_index), max(n.leaf_index), count(*)
    FROM new_rows n
    GROUP BY 1, 2
    ON CONFLICT (tenant_id, minute) DO UPDATE SET
        first_leaf = LEAST(m.first_leaf, excluded.first_leaf),
        last_leaf  = GREATEST(m.last_leaf, excluded.last_leaf),
        events     = m.events + excluded.events;
    RETURN NULL;
END
$fold$;

CREATE TRIGGER ledger_index_events_minutes AFTER INSERT ON ledger_index_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_index_minutes_fold();

-- Facet counts per (UTC) hour: for each facet column, how many of the hour's entries carry each value, and the
-- hour's total under the pseudo-column '*'. Facets over a range that spans whole hours add these up for the whole
-- hours and count only the partial hours at its edges from the rows, so a day costs 24 small lookups and two hours of
-- rows instead of a day of rows; the answer is the same count, exactly.
CREATE TABLE ledger_index_facet_hours
(
    tenant_id text      NOT NULL CHECK (tenant_id <> ''),
    hour      timestamp NOT NULL,
    field     text      NOT NULL,
    value     text      NOT NULL,
    events    bigint    NOT NULL,
    CONSTRAINT ledger_index_facet_hours_pkey PRIMARY KEY (tenant_id, hour, field, value)
);

ALTER TABLE ledger_index_facet_hours ENABLE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_facet_hours FORCE ROW LEVEL SECURITY;
CREATE POLICY ledger_index_facet_hours_tenant ON ledger_index_facet_hours
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''))
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), ''));

GRANT SELECT ON ledger_index_facet_hours TO tenants_index_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ledger_index_facet_hours TO tenants_index_writer;

CREATE FUNCTION ledger_index_facet_hours_fold() RETURNS trigger LANGUAGE plpgsql AS $fold$
BEGIN
    INSERT INTO ledger_index_facet_hours AS h (tenant_id, hour, field, value, events)
    SELECT n.tenant_id, date_trunc('hour', n.time AT TIME ZONE 'UTC'), v.field, v.value, count(*)
    FROM new_rows n
    CROSS JOIN LATERAL (VALUES ('*', ''), ('kind', n.kind), ('statement_class', n.statement_class),
                               ('endpoint_id', n.endpoint_id), ('database_user', n.database_user), ('person', n.person),
                               ('sqlstate', n.sqlstate), ('command_tag', n.command_tag)) AS v(field, value)
    WHERE v.value IS NOT NULL
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (tenant_id, hour, field, value) DO UPDATE SET events = h.events + excluded.events;
    RETURN NULL;
END
$fold$;

CREATE TRIGGER ledger_index_events_facet_hours AFTER INSERT ON ledger_index_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_index_facet_hours_fold();

-- The minutes of the rows indexed before this migration. Forced row-level security hides every row from the owner,
-- so it is lifted inside this migration's transaction only.
ALTER TABLE ledger_index_events NO FORCE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_minutes NO FORCE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_facet_hours NO FORCE ROW LEVEL SECURITY;
INSERT INTO ledger_index_minutes (tenant_id, minute, first_leaf, last_leaf, events)
SELECT tenant_id, date_trunc('minute', time AT TIME ZONE 'UTC'), min(leaf_index), max(leaf_index), count(*)
FROM ledger_index_events
GROUP BY 1, 2;
INSERT INTO ledger_index_facet_hours (tenant_id, hour, field, value, events)
SELECT e.tenant_id, date_trunc('hour', e.time AT TIME ZONE 'UTC'), v.field, v.value, count(*)
FROM ledger_index_events e
CROSS JOIN LATERAL (VALUES ('*', ''), ('kind', e.kind), ('statement_class', e.statement_class),
                           ('endpoint_id', e.endpoint_id), ('database_user', e.database_user), ('person', e.person),
                           ('sqlstate', e.sqlstate), ('command_tag', e.command_tag)) AS v(field, value)
WHERE v.value IS NOT NULL
GROUP BY 1, 2, 3, 4;
ALTER TABLE ledger_index_events FORCE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_minutes FORCE ROW LEVEL SECURITY;
ALTER TABLE ledger_index_facet_hours FORCE ROW LEVEL SECURITY;
