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
            throw TenantRules.NotFound($"tenant '{TenantId}' has no key '{keyId}'");
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

    public Task<TenantKey?> AuthenticateKeyAsync(string secret, CancellationToken cancellationToken = default) =>
        Task.FromResult(FindKey(secret).Active);

    public Task<PersonAuthentication> AuthenticatePersonAsync(string endpointId, string login, string secret, CancellationToken cancellationToken = default)
    {
        var (key, matched, failure) = FindKey(secret);
        PersonAuthentication result;
        if (key is null)
        {
            result = PersonAuthentication.Refused(failure!, matched);
        }
        else if (key.Kind != TenantKeyKind.PersonalAccessToken)
        {
            result = PersonAuthentication.Refused($"key '{key.Id}' is an API key, not a personal access token", key);
        }
        else if (State.Members.Find(m => m.Id == key.IssuedBy) is not { } member)
        {
            result = PersonAuthentication.Refused($"the owner '{key.IssuedBy}' of token '{key.Id}' is no longer a member", key);
        }
        else if (!string.Equals(login, member.Id, StringComparison.OrdinalIgnoreCase) && !string.Equals(login, member.Email, StringComparison.OrdinalIgnoreCase))
        {
            result = PersonAuthentication.Refused($"token '{key.Id}' belongs to member '{member.Id}', not to '{login}'", key);
        }
        else if (!TenantScopes.AllowsConnect(key.Scopes, endpointId))
        {
            result = PersonAuthentication.Refused($"token '{key.Id}' has no scope {TenantScopes.Connect} for endpoint '{endpointId}'", key);
        }
        else
        {
            result = new PersonAuthentication { MemberId = member.Id, KeyId = key.Id, Role = member.Role };
        }

        return Task.FromResult(result);
    }

    /// <summary>
    /// The active key whose secret this is; else the key it matched if any (revoked or expired) and why it does not work
    /// (for the audit trail, never for the caller).
    /// </summary>
    private (TenantKey? Active, TenantKey? Matched, string? Failure) FindKey(string secret)
    {
        var prefix = $"{SecretPrefix}{TenantId}_";
        if (!State.Created || secret is null || !secret.StartsWith(prefix, StringComparison.Ordinal))
        {
            return (null, null, $"not a key of tenant '{TenantId}'");
        }

        var rest = secret.AsSpan(prefix.Length);
        var end = rest.IndexOf('_');
        var id = end > 0 ? rest[..end].ToString() : string.Empty;
        var key = State.Keys.Find(k => k.Id == id);
        if (key is null)
        {
            return (null, null, "no such key");
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        if (!CryptographicOperations.FixedTimeEquals(presented, Convert.FromHexString(key.SecretSha256)))
        {
            return (null, null, $"wrong secret for key '{id}'");
        }

        // Said only after the secret matched: revealing that a key id is revoked needs the key itself.
        return key.IsActive(_time.GetUtcNow())
            ? (key, null, null)
            : (null, key, key.Revoked is not null ? $"key '{id}' was revoked" : $"key '{id}' expired");
    }

    private static string Describe(TenantKeyKind kind) => kind == TenantKeyKind.PersonalAccessToken ? "personal access token" : "API key";
}
