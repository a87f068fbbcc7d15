using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Tenancy;

public sealed partial class TenantGrain
{
    private const string SecretPrefix = "tk_";

    public Task<IReadOnlyList<TenantKey>> GetKeysAsync(CancellationToken cancellationToken = default)
    {
        RequireCreated();
        return Task.FromResult<IReadOnlyList<TenantKey>>([.. State.Keys]);
    }

    public async Task<IssuedTenantKey> IssueKeyAsync(string actor, TenantKeyRequest request, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        var now = _time.GetUtcNow();
        TenantRules.KeyRequest(request, now);
        await FlushAsync(cancellationToken);

        // tk_<tenant>_<key id>_<32 random bytes, base64url>: the tenant and record are found from the secret itself,
        // and only its hash is kept, so neither the state nor the ledger can give a working key away.
        var id = Ulid.New(now);
        var secret = $"{SecretPrefix}{TenantId}_{id}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        var key = new TenantKey
        {
            Id = id,
            Name = request.Name,
            Kind = request.Kind,
            // A List, not a collection expression's compiler-made type: the ADO.NET storage's JSON names the concrete type.
            Scopes = request.Scopes.ToList(),
            SecretSha256 = TenantRules.Sha256Hex(secret),
            IssuedBy = actor,
            Created = now,
            Expires = request.Expires,
        };
        State.Keys.Add(key);
        await CommitAsync(actor, $"issued {Describe(key.Kind)} '{id}' named '{request.Name}' with scopes {string.Join(" ", key.Scopes)}"
            + (request.Expires is { } expires ? $", expiring {expires:O}" : ", not expiring"), endpointId: null, cancellationToken);
        return new IssuedTenantKey(key, secret);
    }

    public async Task<TenantKey> RevokeKeyAsync(string actor, string keyId, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        var index = State.Keys.FindIndex(k => k.Id == keyId);
        if (index < 0)
        {
            throw TenantRules.Refused($"tenant '{TenantId}' has no key '{keyId}'");
        }

        var existing = State.Keys[index];
        if (existing.Revoked is not null)
        {
            await FlushAsync(cancellationToken);
            return existing;
        }

        var revoked = existing with { Revoked = _time.GetUtcNow() };
        State.Keys[index] = revoked;
        await CommitAsync(actor, $"revoked {Describe(existing.Kind)} '{keyId}' named '{existing.Name}'", endpointId: null, cancellationToken);
        return revoked;
    }

    public Task<TenantKey?> AuthenticateKeyAsync(string secret, CancellationToken cancellationToken = default)
    {
        var prefix = $"{SecretPrefix}{TenantId}_";
        if (!State.Created || secret is null || !secret.StartsWith(prefix, StringComparison.Ordinal))
        {
            return Task.FromResult<TenantKey?>(null);
        }

        var rest = secret.AsSpan(prefix.Length);
        var end = rest.IndexOf('_');
        var id = end > 0 ? rest[..end].ToString() : string.Empty;
        var key = State.Keys.Find(k => k.Id == id);
        if (key is null || !key.IsActive(_time.GetUtcNow()))
        {
            return Task.FromResult<TenantKey?>(null);
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        var matches = CryptographicOperations.FixedTimeEquals(presented, Convert.FromHexString(key.SecretSha256));
        return Task.FromResult(matches ? key : null);
    }

    private static string Describe(TenantKeyKind kind) => kind == TenantKeyKind.PersonalAccessToken ? "personal access token" : "API key";
}
