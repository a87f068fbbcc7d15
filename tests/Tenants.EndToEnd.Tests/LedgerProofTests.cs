using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// A client proves, offline and with the published key alone, that its statement is in the ledger and that the
/// ledger only grew between two checkpoints: the proofs API hands out everything needed.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LedgerProofTests(PlatformFixture platform)
{
    [Fact]
    public async Task InclusionProof_ForAStatement_VerifiesAgainstTheSignedCheckpoint()
    {
        var marker = $"select 'proof_{Guid.NewGuid():N}'";
        var (index, status) = await platform.RunSignedAsync(PlatformFixture.TenantA, marker);
        var size = status.GetProperty("checkpointSize").GetInt64();

        using var api = platform.Api(PlatformFixture.TenantA);
        var proof = await api.GetFromJsonAsync<JsonElement>($"/api/v1/ledger/proofs/inclusion?index={index}&size={size}");

        var checkpoint = Open(proof.GetProperty("checkpoint").GetString()!, await platform.PublishedKeysAsync());
        var entry = Convert.FromBase64String(proof.GetProperty("entry").GetString()!);
        Assert.Equal(marker, JsonDocument.Parse(entry).RootElement.GetProperty("event").GetProperty("sql").GetString());
        Assert.Equal(size, checkpoint.TreeSize);
        Assert.True(MerkleProofs.VerifyInclusion(index, checkpoint.TreeSize, Rfc6962Hasher.HashLeaf(entry), Hashes(proof), checkpoint.RootHash));
        Assert.False(MerkleProofs.VerifyInclusion(index, checkpoint.TreeSize, Rfc6962Hasher.HashLeaf([.. entry, (byte)' ']), Hashes(proof), checkpoint.RootHash));
    }

    [Fact]
    public async Task ConsistencyProof_BetweenTwoCheckpoints_ShowsTheLedgerOnlyGrew()
    {
        var (_, first) = await platform.RunSignedAsync(PlatformFixture.TenantA, $"select 'before_{Guid.NewGuid():N}'");
        var (_, second) = await platform.RunSignedAsync(PlatformFixture.TenantA, $"select 'after_{Guid.NewGuid():N}'");
        var from = first.GetProperty("checkpointSize").GetInt64();
        var to = second.GetProperty("checkpointSize").GetInt64();

        using var api = platform.Api(PlatformFixture.TenantA);
        var proof = await api.GetFromJsonAsync<JsonElement>($"/api/v1/ledger/proofs/consistency?from={from}&to={to}");

        var keys = await platform.PublishedKeysAsync();
        var older = Open(proof.GetProperty("fromCheckpoint").GetString()!, keys);
        var newer = Open(proof.GetProperty("toCheckpoint").GetString()!, keys);
        Assert.True(to > from, $"{from} -> {to}");
        Assert.True(MerkleProofs.VerifyConsistency(older.TreeSize, newer.TreeSize, older.RootHash, newer.RootHash, Hashes(proof)));
    }

    [Theory]
    [InlineData("inclusion?index=-1&size=1")]
    [InlineData("inclusion?index=5&size=5")]
    [InlineData("inclusion?index=0")]
    [InlineData("inclusion?index=abc&size=1")]
    [InlineData("consistency?from=2&to=1")]
    [InlineData("inclusion?index=0&size=999999999")]
    public async Task Proofs_BadQuery_Is400WithProblemDetails(string query)
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.GetAsync($"/api/v1/ledger/proofs/{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InclusionProof_AnotherTenantsCheckpointSize_GivesNothingOfThatTenant()
    {
        var marker = $"select 'secret_{Guid.NewGuid():N}'";
        var (index, status) = await platform.RunSignedAsync(PlatformFixture.TenantA, marker);
        var size = status.GetProperty("checkpointSize").GetInt64();

        using var other = platform.Api(PlatformFixture.TenantB);
        using var response = await other.GetAsync($"/api/v1/ledger/proofs/inclusion?index={index}&size={size}");

        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain($"ledger/{PlatformFixture.TenantA}", body, StringComparison.Ordinal);
        if (response.IsSuccessStatusCode)
        {
            // The size happens to be one of the other tenant's own checkpoints: then the proof is of its own entry.
            var entry = JsonDocument.Parse(Convert.FromBase64String(JsonDocument.Parse(body).RootElement.GetProperty("entry").GetString()!)).RootElement;
            Assert.Equal(PlatformFixture.TenantB, entry.GetProperty("tenant").GetString());
            Assert.NotEqual(marker, entry.GetProperty("event").GetProperty("sql").GetString());
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    private static Checkpoint Open(string note, IReadOnlyCollection<Tenants.Ledger.Signing.LedgerPublicKey> keys)
    {
        Assert.True(CheckpointNote.TryOpen(note, keys, out var checkpoint, out var error), error);
        return checkpoint!;
    }

    private static List<byte[]> Hashes(JsonElement proof) =>
        [.. proof.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!))];
}
