using Tenants.Policy.Classification;

namespace Tenants.Edge;

/// <summary>
/// The durability of an endpoint's statements, per statement class (the house plan's defaults: writes, ddl and dcl
/// durable, reads sequenced). Statements the classifier cannot place, and <c>other</c> ones (CALL, DO, COPY, function
/// calls), may write, so they are durable by default too.
/// </summary>
public sealed class EndpointDurabilityOptions
{
    /// <summary>SELECT, SHOW, EXPLAIN without ANALYZE and other statements that only read.</summary>
    public DurabilityMode Read { get; set; } = DurabilityMode.Sequenced;

    /// <summary>INSERT, UPDATE, DELETE, MERGE, TRUNCATE and other data changes.</summary>
    public DurabilityMode Write { get; set; } = DurabilityMode.Durable;

    /// <summary>CREATE, ALTER, DROP and other schema changes.</summary>
    public DurabilityMode Ddl { get; set; } = DurabilityMode.Durable;

    /// <summary>GRANT, REVOKE and role changes.</summary>
    public DurabilityMode Dcl { get; set; } = DurabilityMode.Durable;

    /// <summary>BEGIN, COMMIT, ROLLBACK, SAVEPOINT.</summary>
    public DurabilityMode Tcl { get; set; } = DurabilityMode.Sequenced;

    /// <summary>Anything else, and statements the classifier does not recognise.</summary>
    public DurabilityMode Other { get; set; } = DurabilityMode.Durable;

    /// <summary>The mode of a statement of class <paramref name="statementClass"/>.</summary>
    public DurabilityMode For(StatementClass statementClass) => statementClass switch
    {
        StatementClass.Read => Read,
        StatementClass.Write => Write,
        StatementClass.Ddl => Ddl,
        StatementClass.Dcl => Dcl,
        StatementClass.Tcl => Tcl,
        _ => Other,
    };
}
