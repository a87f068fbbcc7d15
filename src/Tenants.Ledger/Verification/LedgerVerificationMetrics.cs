using System.Diagnostics.Metrics;

namespace Tenants.Ledger.Verification;

/// <summary>
/// The <c>Tenants.Ledger</c> meter: verifications run in this process and what they found (<c>result</c>: valid,
/// invalid). An invalid result in the service is an alarm: the stored ledger no longer matches what was signed.
/// </summary>
internal static class LedgerVerificationMetrics
{
    public const string MeterName = "Tenants.Ledger";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Verifications = Meter.CreateCounter<long>(
        "tenants.ledger.verifications", "{verification}", "Whole-ledger verifications finished (result: valid, invalid).");

    private static readonly Counter<long> Problems = Meter.CreateCounter<long>(
        "tenants.ledger.verification.problems", "{problem}", "Problems found by ledger verifications (an altered, missing, reordered or foreign entry, a bad signature...).");

    public static void Finished(LedgerVerificationReport report)
    {
        Verifications.Add(1, new KeyValuePair<string, object?>("result", report.IsValid ? "valid" : "invalid"));
        if (report.Problems.Count > 0)
        {
            Problems.Add(report.Problems.Count);
        }
    }
}
