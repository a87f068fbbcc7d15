using System.Text.Json;
using Tenants.Ledger.Merkle;

namespace Tenants.Ledger.Tests.Merkle;

/// <summary>Every probe file of transparency-dev/merkle testdata, read in place from the shared vectors folder.</summary>
public sealed class ProofVectorTests
{
    private static string ProofVectors => Path.Combine(Tenants.Testing.TestPaths.SharedRoot, "vectors", "rfc6962-proofs");

    public static TheoryData<string> InclusionProbes => Probes("inclusion");

    public static TheoryData<string> ConsistencyProbes => Probes("consistency");

    [Theory]
    [MemberData(nameof(InclusionProbes))]
    public void VerifyInclusion_ProbeFile_MatchesExpectation(string relativePath)
    {
        using var json = Load(relativePath);
        var root = json.RootElement;

        // A probe may carry a uint64 that wrapped below zero; no long represents it, so it cannot verify.
        var verified = root.GetProperty("leafIdx").TryGetInt64(out var leafIndex)
            && root.GetProperty("treeSize").TryGetInt64(out var treeSize)
            && MerkleProofs.VerifyInclusion(
            leafIndex,
            treeSize,
            Bytes(root, "leafHash"),
            Proof(root),
            Bytes(root, "root"));

        Assert.Equal(!root.GetProperty("wantErr").GetBoolean(), verified);
    }

    [Theory]
    [MemberData(nameof(ConsistencyProbes))]
    public void VerifyConsistency_ProbeFile_MatchesExpectation(string relativePath)
    {
        using var json = Load(relativePath);
        var root = json.RootElement;

        var verified = root.GetProperty("size1").TryGetInt64(out var size1)
            && root.GetProperty("size2").TryGetInt64(out var size2)
            && MerkleProofs.VerifyConsistency(
            size1,
            size2,
            Bytes(root, "root1"),
            Bytes(root, "root2"),
            Proof(root));

        Assert.Equal(!root.GetProperty("wantErr").GetBoolean(), verified);
    }

    [Fact]
    public void ProbeFiles_BothKinds_ArePresent()
    {
        Assert.True(InclusionProbes.Count > 50);
        Assert.True(ConsistencyProbes.Count > 50);
    }

    private static TheoryData<string> Probes(string kind)
    {
        var rootDir = ProofVectors;
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(rootDir, kind), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(rootDir, file).Replace('\\', '/'));
        }

        return data;
    }

    private static JsonDocument Load(string relativePath) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ProofVectors, relativePath)));

    private static byte[] Bytes(JsonElement root, string name) =>
        root.GetProperty(name).ValueKind == JsonValueKind.String ? root.GetProperty(name).GetBytesFromBase64() : [];

    private static byte[][] Proof(JsonElement root) =>
        root.TryGetProperty("proof", out var proof) && proof.ValueKind == JsonValueKind.Array
            ? proof.EnumerateArray().Select(e => e.GetBytesFromBase64()).ToArray()
            : [];
}
