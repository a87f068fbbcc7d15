using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Tenants.Infrastructure.Signing;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Signing;

namespace Tenants.Infrastructure.Tests.Signing;

/// <summary>The Key Vault signer against <see cref="KeyVaultStandIn"/>, an in-test HTTPS stand-in for Key Vault.</summary>
public sealed class KeyVaultLedgerSignerTests : IAsyncLifetime
{
    private const string NoteKeyName = "ledger.example/tenants";
    private const string KeyName = "ledger-signing";

    private readonly TokenCredentialStandIn _credential = new();
    private KeyVaultStandIn _vault = null!;

    public async Task InitializeAsync() => _vault = await KeyVaultStandIn.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task SignAsync_Checkpoint_OpensWithThePublicKeyFromTheJwkAndVerifiesIndependently()
    {
        var version = _vault.AddKeyVersion(KeyName);
        using var signer = CreateSigner();

        var note = await SignCheckpointAsync(signer, 42);

        // The key the signer read from the JWK is the vault's key ...
        var vaultKey = new LedgerPublicKey(NoteKeyName, _vault.SubjectPublicKeyInfo(KeyName, version));
        Assert.Equal(vaultKey.SubjectPublicKeyInfo, signer.PublicKey.SubjectPublicKeyInfo);
        // ... the note opens with it ...
        Assert.True(CheckpointNote.TryOpen(note, [vaultKey], out var checkpoint, out var error), error);
        Assert.Equal(42, checkpoint!.TreeSize);
        // ... and the signature is a DER ECDSA signature over the body, as a verifier outside .NET's note code sees it.
        var (body, keyId, der) = SplitNote(note);
        Assert.Equal(vaultKey.KeyId, keyId);
        Assert.Equal(0x30, der[0]);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(_vault.SubjectPublicKeyInfo(KeyName, version), out _);
        Assert.True(ecdsa.VerifyData(body, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public async Task SignAsync_ManyCheckpoints_OneSignCallEachToTheVersionedKeyAndNoKeyFetchPerSignature()
    {
        var version = _vault.AddKeyVersion(KeyName);
        using var signer = CreateSigner();

        for (var size = 1; size <= 5; size++)
        {
            await SignCheckpointAsync(signer, size);
        }

        var answered = _vault.Requests.Where(r => r.Operation != "challenge").ToList();
        Assert.Equal(5, answered.Count(r => r.Operation == "sign"));
        Assert.All(answered.Where(r => r.Operation == "sign"), r => Assert.Equal($"/keys/{KeyName}/{version}/sign", r.Path));
        Assert.Single(answered, r => r.Operation == "get key");
        Assert.Equal(version, signer.PublicKey.Version);
    }

    [Fact]
    public async Task InitializeAsync_FirstRequest_AnswersTheChallengeWithTheVaultScopeAndTenantThenUsesTheToken()
    {
        _vault.AddKeyVersion(KeyName);
        using var signer = CreateSigner();

        await signer.InitializeAsync();
        await SignCheckpointAsync(signer, 1);

        var requests = _vault.Requests.ToList();
        Assert.Equal(("challenge", false), (requests[0].Operation, requests[0].HadToken));
        Assert.All(requests.Skip(1), r => Assert.True(r.HadToken));
        Assert.Single(requests, r => r.Operation == "challenge");
        var token = Assert.Single(_credential.Requests.DistinctBy(r => (string.Join(' ', r.Scopes), r.TenantId)));
        Assert.Equal(["https://vault.azure.net/.default"], token.Scopes);
        Assert.Equal(KeyVaultStandIn.TenantId, token.TenantId);
    }

    [Fact]
    public async Task ChallengePolicy_FirstPostToAVault_SendsNoBodyUntilAuthenticatedThenTheBody()
    {
        var version = _vault.AddKeyVersion(KeyName);
        var pipeline = Azure.Core.Pipeline.HttpPipelineBuilder.Build(
            _vault.CreateClientOptions(), new KeyVaultChallengeAuthenticationPolicy(_credential, verifyChallengeResource: true));
        using var message = pipeline.CreateMessage();
        message.Request.Method = Azure.Core.RequestMethod.Post;
        message.Request.Uri.Reset(new Uri(_vault.VaultUri, $"keys/{KeyName}/{version}/sign?api-version=7.5"));
        message.Request.Headers.Add("Content-Type", "application/json");
        var body = Encoding.UTF8.GetBytes($"{{\"alg\":\"ES256\",\"value\":\"{System.Buffers.Text.Base64Url.EncodeToString(new byte[32])}\"}}");
        message.Request.Content = Azure.Core.RequestContent.Create(body);

        await pipeline.SendAsync(message, CancellationToken.None);

        Assert.Equal(200, message.Response.Status);
        Assert.Equal(
            [("challenge", false, 0), ("sign", true, body.Length)],
            _vault.Requests.Select(r => (r.Operation, r.HadToken, r.BodyLength)));
    }

    [Fact]
    public async Task InitializeAsync_ChallengeForAnotherResource_IsRefusedBeforeAnyTokenIsRequested()
    {
        _vault.AddKeyVersion(KeyName);
        _vault.Resource = "https://vault.attacker.example";
        using var signer = CreateSigner();

        var error = await Assert.ThrowsAsync<KeyVaultSigningException>(() => signer.InitializeAsync());

        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
        Assert.Contains("vault.attacker.example", error.Message, StringComparison.Ordinal);
        Assert.Empty(_credential.Requests);
        Assert.DoesNotContain(_vault.Requests, r => r.HadToken);
    }

    [Fact]
    public async Task InitializeAsync_ResourceVerificationDisabled_AcceptsAnEmulatorsResource()
    {
        _vault.AddKeyVersion(KeyName);
        _vault.Resource = "https://localhost:8443";
        using var signer = CreateSigner(options => options.DisableChallengeResourceVerification = true);

        await signer.InitializeAsync();

        Assert.Equal(["https://localhost:8443/.default"], Assert.Single(_credential.Requests.DistinctBy(r => r.Scopes[0])).Scopes);
    }

    [Fact]
    public async Task SignAsync_ThrottledWithRetryAfter_WaitsAsToldRetriesAndSucceeds()
    {
        var version = _vault.AddKeyVersion(KeyName);
        using var signer = CreateSigner();
        await signer.InitializeAsync();
        _vault.ThrottleNextSigns(1, retryAfterSeconds: 1);

        var note = await SignCheckpointAsync(signer, 7);

        var signs = _vault.Requests.Where(r => r.Operation == "sign").ToList();
        Assert.Equal([429, 200], signs.Select(r => r.Status));
        // The client's own delay is 10 ms; the second attempt came only after the vault's Retry-After.
        Assert.True(Stopwatch.GetElapsedTime(signs[0].Timestamp, signs[1].Timestamp) >= TimeSpan.FromSeconds(0.9));
        Assert.True(CheckpointNote.TryOpen(note, [new LedgerPublicKey(NoteKeyName, _vault.SubjectPublicKeyInfo(KeyName, version))], out _, out var error), error);
    }

    [Fact]
    public async Task SignAsync_ThrottledBeyondTheRetries_ThrowsSayingItWasThrottled()
    {
        _vault.AddKeyVersion(KeyName);
        using var signer = CreateSigner(maxRetries: 2);
        await signer.InitializeAsync();
        _vault.ThrottleNextSigns(10, retryAfterSeconds: 0);

        var error = await Assert.ThrowsAsync<KeyVaultSigningException>(() => SignCheckpointAsync(signer, 1));

        Assert.Equal(429, error.Status);
        Assert.Equal(3, _vault.Requests.Count(r => r.Operation == "sign"));
        Assert.Contains("CheckpointInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_NoSignPermission_ThrowsNamingVaultKeyServiceErrorAndTheRole()
    {
        var version = _vault.AddKeyVersion(KeyName);
        using var signer = CreateSigner();
        _vault.DenySign = true;

        var error = await Assert.ThrowsAsync<KeyVaultSigningException>(() => SignCheckpointAsync(signer, 1));

        Assert.Equal((403, "Forbidden/ForbiddenByRbac"), (error.Status, error.ErrorCode));
        Assert.Contains($"https://{KeyVaultStandIn.VaultHost}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"key {KeyName} version {version}", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not have keys sign permission", error.Message, StringComparison.Ordinal);
        Assert.Contains("Key Vault Crypto User", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_KeyNotInVault_ThrowsNamingVaultAndKey()
    {
        _vault.AddKeyVersion("another-key");
        using var signer = CreateSigner();

        var error = await Assert.ThrowsAsync<KeyVaultSigningException>(() => signer.InitializeAsync());

        Assert.Equal((404, "KeyNotFound"), (error.Status, error.ErrorCode));
        Assert.Contains($"key {KeyName}", error.Message, StringComparison.Ordinal);
        Assert.Contains("KeyName", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => signer.PublicKey);
    }

    [Fact]
    public async Task InitializeAsync_P384Key_IsRefusedAsNotP256()
    {
        _vault.AddKeyVersion(KeyName, curve: "P-384");
        using var signer = CreateSigner();

        var error = await Assert.ThrowsAsync<KeyVaultSigningException>(() => signer.InitializeAsync());

        Assert.Equal(KeyVaultLedgerSigner.UnsuitableKey, error.ErrorCode);
        Assert.Contains("EC P-384", error.Message, StringComparison.Ordinal);
        Assert.Contains("P-256", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_vault.Requests, r => r.Operation == "sign");
    }

    [Fact]
    public async Task Rotation_NewKeyVersion_CheckpointsBeforeAndAfterVerifyWithThePublishedKeys()
    {
        var v1 = _vault.AddKeyVersion(KeyName);
        string before;
        using (var signer = CreateSigner())
        {
            before = await SignCheckpointAsync(signer, 10);
        }

        // Rotate in the vault (a new version; one more that was disabled), then restart the signer.
        var disabled = _vault.AddKeyVersion(KeyName);
        _vault.DisableVersion(KeyName, disabled);
        var v3 = _vault.AddKeyVersion(KeyName);
        using var rotated = CreateSigner();
        var after = await SignCheckpointAsync(rotated, 20);

        var keys = await rotated.GetPublicKeysAsync();

        Assert.Equal([v3, v1], keys.Select(k => k.Version));
        Assert.True(CheckpointNote.TryOpen(before, keys, out var first, out var error), error);
        Assert.True(CheckpointNote.TryOpen(after, keys, out var second, out error), error);
        Assert.False(CheckpointNote.TryOpen(before, [rotated.PublicKey], out _, out _));
        Assert.True(first!.TryGetKey(out _, out _, out var firstVersion));
        Assert.True(second!.TryGetKey(out _, out _, out var secondVersion));
        Assert.Equal((v1, v3), (firstVersion, secondVersion));
    }

    [Fact]
    public async Task GetPublicKeysAsync_WithinTheRefreshInterval_ListsTheVaultOnce()
    {
        _vault.AddKeyVersion(KeyName);
        _vault.AddKeyVersion(KeyName);
        _vault.AddKeyVersion(KeyName);
        using var signer = CreateSigner();

        var first = await signer.GetPublicKeysAsync();
        var second = await signer.GetPublicKeysAsync();

        Assert.Equal(3, first.Count);
        Assert.Same(first, second);
        // Three versions at two per page: two list calls, following nextLink once.
        Assert.Equal(2, _vault.Requests.Count(r => r.Operation == "list versions"));
    }

    [Fact]
    public async Task KeyVersionConfigured_NewerVersionExists_SignsWithTheConfiguredOne()
    {
        var pinned = _vault.AddKeyVersion(KeyName);
        _vault.AddKeyVersion(KeyName);
        using var signer = CreateSigner(options => options.KeyVersion = pinned);

        var note = await SignCheckpointAsync(signer, 3);

        Assert.Equal(pinned, signer.PublicKey.Version);
        Assert.True(CheckpointNote.TryOpen(note, [new LedgerPublicKey(NoteKeyName, _vault.SubjectPublicKeyInfo(KeyName, pinned))], out _, out var error), error);
    }

    private KeyVaultLedgerSigner CreateSigner(Action<KeyVaultSigningOptions>? configure = null, int maxRetries = 3)
    {
        var options = new KeyVaultSigningOptions { VaultUri = _vault.VaultUri, KeyName = KeyName };
        configure?.Invoke(options);
        return new KeyVaultLedgerSigner(options, NoteKeyName, _credential, _vault.CreateClientOptions(maxRetries));
    }

    private static async Task<string> SignCheckpointAsync(KeyVaultLedgerSigner signer, long size)
    {
        await signer.InitializeAsync();
        var extensions = CheckpointExtensions.Create(DateTimeOffset.UnixEpoch, null, 0, size, signer.PublicKey);
        return await CheckpointNote.SignAsync(new Checkpoint(NoteKeyName + "/t1", size, Rfc6962Hasher.EmptyRoot, extensions), signer);
    }

    private static (byte[] Body, uint KeyId, byte[] Der) SplitNote(string note)
    {
        var separator = note.IndexOf("\n\n", StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(note[..(separator + 1)]);
        var blob = Convert.FromBase64String(note[(separator + 2)..^1].Split(' ')[^1]);
        return (body, BinaryPrimitives.ReadUInt32BigEndian(blob), blob[4..]);
    }
}
