namespace Tenants.Bench.Ledger;

/// <summary>Proof generation and verification latency at 1e3..1e7 entries (filled in once tiles are in).</summary>
internal static class ProofBench
{
    public static void Run() => Console.WriteLine("proofs: not measured yet");
}
