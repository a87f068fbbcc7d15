using System.Text;
using Tenants.Ledger.Merkle;

namespace Tenants.Ledger.Tests.Merkle;

/// <summary>The eight leaves of RFC 6962 test vectors (transparency-dev/merkle testonly/constants.go).</summary>
internal static class ReferenceTree
{
    public static readonly string[] LeafHex = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    public static IReadOnlyList<byte[]> LeafHashes(int count) =>
        LeafHex.Take(count).Select(hex => Rfc6962Hasher.HashLeaf(Convert.FromHexString(hex))).ToArray();

    public static IReadOnlyList<byte[]> SyntheticLeafHashes(int count) =>
        Enumerable.Range(0, count).Select(i => Rfc6962Hasher.HashLeaf(Encoding.UTF8.GetBytes($"leaf {i}"))).ToArray();

    public static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
