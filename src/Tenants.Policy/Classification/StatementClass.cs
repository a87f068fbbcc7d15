namespace Tenants.Policy.Classification;

/// <summary>The broad class of a statement, used for durability and policy. Stored lower-case in events.</summary>
public enum StatementClass
{
    Unknown,
    Read,
    Write,
    Ddl,
    Dcl,
    Tcl,
    Other,
}
