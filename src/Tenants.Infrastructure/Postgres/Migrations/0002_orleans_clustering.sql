-- Orleans membership (ADO.NET clustering) for PostgreSQL, written for Tenants.
--
-- The membership protocol is optimistic: every change to the member list is conditional on the cluster's
-- table version, and a successful change increments it. One row per cluster (deployment) holds that version;
-- one row per silo incarnation (address, port, generation) holds the member entry.

CREATE TABLE orleans_membership_version
(
    deployment_id text        PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orleans_membership
(
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    -- "silo,time|silo,time": the providers' own encoding, kept opaque here.
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Adds a member if the caller saw the current table version; returns whether it did.
-- The version row is locked first: under READ COMMITTED a writer that waited on a concurrent change re-checks the
-- version after the wait and gives up, so two silos can never both succeed from the same version.
CREATE FUNCTION orleans_membership_insert(
    p_deployment_id text, p_address text, p_port integer, p_generation integer, p_silo_name text, p_host_name text,
    p_status integer, p_proxy_port integer, p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
RETURNS boolean
LANGUAGE plpgsql AS
$fn$
BEGIN
    PERFORM 1 FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id AND version = p_version
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, coalesce(p_proxy_port, 0),
         p_start_time, p_i_am_alive_time)
    ON CONFLICT (deployment_id, address, port, generation) DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version SET version = version + 1, updated_at = now()
    WHERE deployment_id = p_deployment_id;
    RETURN true;
END;
$fn$;

-- Changes a member's status and suspicions under the same version rule as orleans_membership_insert.
CREATE FUNCTION orleans_membership_update(
    p_deployment_id text, p_address text, p_port integer, p_generation integer, p_status integer, p_suspect_times text,
    p_i_am_alive_time timestamptz, p_version integer)
RETURNS boolean
LANGUAGE plpgsql AS
$fn$
BEGIN
    PERFORM 1 FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id AND version = p_version
    FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership
    SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
    WHERE deployment_id = p_deployment_id AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version SET version = version + 1, updated_at = now()
    WHERE deployment_id = p_deployment_id;
    RETURN true;
END;
$fn$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', $q$
    WITH created AS (
        INSERT INTO orleans_membership_version (deployment_id) VALUES (@DeploymentId)
        ON CONFLICT (deployment_id) DO NOTHING
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM created);
$q$),
('InsertMembershipKey', $q$
    SELECT orleans_membership_insert(
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$),
('UpdateMembershipKey', $q$
    SELECT orleans_membership_update(
        @DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version);
$q$),
-- Liveness heartbeats do not change the member list, so they leave the table version alone.
('UpdateIAmAlivetimeKey', $q$
    UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;
$q$),
-- The reads always return the version row, with member columns null when there is no member to report:
-- the providers take the table version from the first row and treat a null start time as "no entry".
('MembershipReadRowKey', $q$
    SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
           m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
           m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m
        ON m.deployment_id = v.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    WHERE v.deployment_id = @DeploymentId;
$q$),
('MembershipReadAllKey', $q$
    SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
           m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
           m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
    WHERE v.deployment_id = @DeploymentId;
$q$),
('GatewaysQueryKey', $q$
    SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
    FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0;
$q$),
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId;
    DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId;
$q$),
-- Removes silos that stopped heart-beating before the given time; active entries (status 3) are left to the
-- membership protocol to declare dead first.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3;
$q$);
