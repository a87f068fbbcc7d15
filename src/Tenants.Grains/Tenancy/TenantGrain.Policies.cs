using System.Security.Cryptography;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Tenancy;

public sealed partial class TenantGrain
{
    public Task<IReadOnlyList<TenantPolicy>> GetPoliciesAsync(CancellationToken cancellationToken = default)
    {
        RequireCreated();
        return Task.FromResult<IReadOnlyList<TenantPolicy>>([.. State.Policies]);
    }

    public async Task<TenantPolicy> PublishPolicyAsync(string actor, string document, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        TenantRules.PolicyDocument(document);
        await FlushAsync(cancellationToken);
        var policy = new TenantPolicy
        {
            Version = State.Policies.Count + 1,
            Document = document,
            DocumentSha256 = TenantRules.Sha256Hex(document),
            Author = actor,
            Published = _time.GetUtcNow(),
        };
        State.Policies.Add(policy);
        await CommitAsync(actor, $"published policy version {policy.Version} (sha256 {policy.DocumentSha256})", endpointId: null, cancellationToken);
        return policy;
    }

    public async Task<EdgePolicySnapshot?> GetEdgePolicyAsync(CancellationToken cancellationToken = default)
    {
        if (!State.Created)
        {
            return null;
        }

        if (State.PolicySalt is not { Length: 32 })
        {
            State.PolicySalt = RandomNumberGenerator.GetBytes(32);
            await _state.WriteStateAsync(cancellationToken);
        }

        await TryCatchUpExpiriesAsync(cancellationToken);
        return new EdgePolicySnapshot
        {
            TenantVersion = State.Version,
            Policy = State.Policies.Count == 0 ? null : State.Policies[^1],
            Salt = State.PolicySalt,
            Grants = GrantsInForce(_time.GetUtcNow()),
        };
    }
}
