-- Orleans ADO.NET providers look up every statement they run by key at start-up, with the fixed query
-- "SELECT QueryKey, QueryText FROM OrleansQuery". Unquoted identifiers fold to lower case, so this table
-- answers that query. Later migrations add the statements for each provider Tenants uses.
CREATE TABLE orleansquery
(
    querykey  text PRIMARY KEY,
    querytext text NOT NULL
);

COMMENT ON TABLE orleansquery IS 'Statements the Orleans ADO.NET providers execute, by query key (written by Tenants migrations).';
