-- Sessions that neither ended nor were summed up as idle: the few still open, and those whose edge or silo died. The
-- index service looks them up after a restart to wake their session grains, whose idle timers died with the silo.
CREATE INDEX ledger_index_sessions_unended ON ledger_index_sessions (tenant_id, last_time)
    WHERE ended_time IS NULL AND NOT idle_timeout;
