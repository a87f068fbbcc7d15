-- Orleans grain state (ADO.NET grain storage) for PostgreSQL, written for Tenants.
--
-- One row per (service, grain type, grain id). The version is the ETag the providers hand to the grain; every write
-- is compare-and-swap on it, so two activations of the same grain cannot both win. A cleared state keeps its row
-- (payload null) so the version keeps counting. Needs PostgreSQL 15+ (UNIQUE NULLS NOT DISTINCT: the key extension
-- is null for most grains).

CREATE TABLE orleans_grain_state
(
    service_id         text        NOT NULL,
    grain_type         text        NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text,
    payload            bytea,
    version            integer     NOT NULL,
    modified_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_grain_state_key UNIQUE NULLS NOT DISTINCT (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $q$
    SELECT payload AS "PayloadBinary", version AS "Version"
    FROM orleans_grain_state
    WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$),
-- No version: first write, which inserts version 1 unless someone else already did. A version: replace the state
-- only if it is still the stored one. No row back means a conflict, which the provider reports as such.
('WriteToStorageKey', $q$
    WITH inserted AS (
        INSERT INTO orleans_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
        SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
        WHERE @GrainStateVersion IS NULL
        ON CONFLICT ON CONSTRAINT orleans_grain_state_key DO NOTHING
        RETURNING version
    ), updated AS (
        UPDATE orleans_grain_state
        SET payload = @PayloadBinary, version = version + 1, modified_at = now()
        WHERE @GrainStateVersion IS NOT NULL
          AND service_id = @ServiceId AND grain_type = @GrainTypeString
          AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
          AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
          AND version = @GrainStateVersion
        RETURNING version
    )
    SELECT version AS "NewGrainStateVersion" FROM inserted
    UNION ALL
    SELECT version FROM updated;
$q$),
('ClearStorageKey', $q$
    UPDATE orleans_grain_state
    SET payload = NULL, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
      AND version = @GrainStateVersion
    RETURNING version;
$q$),
-- Used instead of ClearStorageKey when the provider is configured with DeleteStateOnClear. Returns the next
-- version, which the provider only compares with the old one.
('DeleteStorageKey', $q$
    DELETE FROM orleans_grain_state
    WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
      AND version = @GrainStateVersion
    RETURNING version + 1;
$q$);
