namespace Tenants.Policy.Classification;

/// <summary>The words the statement parser acts on; every other identifier is <see cref="None"/>.</summary>
internal enum SqlKeyword : byte
{
    None,

    // Statement heads.
    Select, Values, Table, Show, Explain, Fetch, Move, With, Insert, Update, Delete, Merge, Truncate, Copy, Create, Alter,
    Drop, Comment, Reindex, Grant, Revoke, Begin, Start, Commit, End, Rollback, Abort, Savepoint, Release, Prepare, Set,
    Reset, Discard, Listen, Unlisten, Notify, Vacuum, Analyze, Checkpoint, Do, Call, Execute, Deallocate, Declare, Close,
    Lock, Cluster, Refresh, Security, Load, Reassign, Import,

    // Clauses and modifiers.
    Recursive, From, Join, Into, Using, Only, Lateral, Where, Group, Having, Order, Limit, Offset, Union, Intersect, Except,
    Window, For, Returning, When, Then, On, As, Not, Materialized, Distinct, If, Exists, Or, Replace, Temp, Unlogged,
    Global, Local, Unique, Concurrently, Index, Schema, Trigger, Policy, Rule, Instead, Also, Verbose, Current, To,
    Transaction, Prepared, Authorization, Extract, Substring, Trim, Overlay, References, Partition, Of, All, Constraint,
    Default, Constraints, Cursor, Full, Freeze, False, Off, True, Tables, In, Trusted, Procedural, Attach, Detach,
}
