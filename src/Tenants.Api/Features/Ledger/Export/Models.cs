namespace Tenants.Api.Features.Ledger.Export;

/// <summary>Which part of the caller's ledger to export, as checkpoint sizes (both optional).</summary>
public sealed class ExportLedgerRequest
{
    /// <summary>Start at the checkpoint of this size (the bundle then carries the tree's frontier there); default 0.</summary>
    public long? From { get; set; }

    /// <summary>End at the checkpoint of this size; default everything stored, including entries not yet signed.</summary>
    public long? To { get; set; }
}
