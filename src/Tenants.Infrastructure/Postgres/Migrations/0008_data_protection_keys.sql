-- The ASP.NET Core data protection key ring, shared by every API node: a portal session cookie issued by one node must
-- open on the next one behind the same load balancer. Each key's secret is sealed with the cluster's credential keys
-- (Secrets:CredentialKeys) before it is stored, so reading this table is not enough to forge a session. Platform data,
-- not a tenant's: no row-level security. Keys are only ever added; expired ones stay (they are a few hundred bytes).
CREATE TABLE data_protection_keys
(
    name    text        PRIMARY KEY,
    xml     text        NOT NULL,
    created timestamptz NOT NULL DEFAULT now()
);
