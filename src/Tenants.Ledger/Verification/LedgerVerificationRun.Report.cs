using System.Globalization;
using Tenants.Ledger.Entries;

namespace Tenants.Ledger.Verification;

/// <summary>
/// Report lines in CloudTrail's shape (aws-cli <c>validate-logs</c>): <c>&lt;kind&gt;\t&lt;path&gt;\tvalid</c> or
/// <c>...\tINVALID: &lt;reason&gt;</c> per object, <c>info</c> lines, and a summary that counts everything.
/// </summary>
internal sealed partial class LedgerVerificationRun
{
    private const string BlockKind = "block";
    private const string CheckpointKind = "checkpoint";
    private const string TileKind = "tile";
    private const string LeavesKind = "leaves";
    private const string StateKind = "trusted";
    private const string InfoKind = "info";
    private const string SessionKind = "session";
    private const string SummaryKind = "summary";
    private const string Valid = "valid";

    private static string Invalid(string reason) => "INVALID: " + reason;

    private void Line(string kind, string path, string verdict) => _lines.Add($"{kind}\t{path}\t{verdict}");

    private void ReportProgress() =>
        _options.Progress?.Report(new LedgerVerificationProgress(_blocksChecked, _blocksTotal, _entriesChecked));

    private void AddSummary()
    {
        var blocksInvalid = _blocksChecked - _blocksValid;
        _lines.Add($"{SummaryKind}\tblocks\t{_blocksValid}/{_blocksChecked} blocks valid, {blocksInvalid}/{_blocksChecked} blocks INVALID");
        _lines.Add($"{SummaryKind}\tcheckpoints\t{_checkpointsValid}/{_checkpointsChecked} checkpoints valid, "
            + $"{_checkpointsInvalid}/{_checkpointsChecked} checkpoints INVALID");
        _lines.Add(_position > _startSize
            ? string.Create(CultureInfo.InvariantCulture, $"{SummaryKind}\tleaves\tleaves {_startSize}-{_position - 1} covered, {_entriesChecked} entries checked")
            : $"{SummaryKind}\tleaves\tno leaves");
        AddSessionSummary();
        _lines.Add(_verifiedNote is null
            ? $"{SummaryKind}\tsigned\tno checkpoint verified"
            : $"{SummaryKind}\tsigned\tnewest verified checkpoint: size {_verifiedTreeSize}"
                + (_verifiedTime is { } time ? $", time {LedgerEntryFormat.FormatTime(time)}" : string.Empty));
    }
}
