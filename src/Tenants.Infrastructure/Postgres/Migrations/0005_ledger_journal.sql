-- The ledger journal (Ledger:Journal = Postgres): the write-ahead of each tenant's ledger, one row per record of
-- consecutive entries (leaves first_leaf .. first_leaf + count - 1). payload is the entries, each followed by \n;
-- sha256 is the digest of the blob journal's record format (docs/ledger-format.md, "Journal segments") over the
-- header (magic, first leaf, count, payload length) and the payload, checked on every read.
--
-- Contiguity and the single-writer fence are the database's: the append is one INSERT that adds a row only if the
-- tenant's last row ends exactly at first_leaf (or the tenant has no row), and the primary key refuses a second row
-- at the same leaf. Rows are deleted once their entries are sealed into blocks and older than the dedup window,
-- except each tenant's last row, which fences the next append.
--
-- No row-level security: no API or tenant-facing role reads this table, only the ledger grain through the
-- service's own connection. The rows are the same entries the blocks hold.

CREATE TABLE ledger_journal
(
    tenant_id  text    NOT NULL,
    first_leaf bigint  NOT NULL CHECK (first_leaf >= 0),
    count      integer NOT NULL CHECK (count >= 1),
    payload    bytea   NOT NULL,
    sha256     bytea   NOT NULL CHECK (octet_length(sha256) = 32),
    PRIMARY KEY (tenant_id, first_leaf)
);

-- Rows come and go all day (inserted per flight, deleted once sealed): vacuum early and often.
ALTER TABLE ledger_journal SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.05);

-- A flight of entries is compressible JSON lines (about 10x); lz4 costs a fraction of the default pglz's CPU on the
-- commit path. Only where the server was built with it (default_toast_compression lists it); pglz otherwise.
DO $compression$
BEGIN
    IF EXISTS (SELECT FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE ledger_journal ALTER COLUMN payload SET COMPRESSION lz4;
    END IF;
END
$compression$;

