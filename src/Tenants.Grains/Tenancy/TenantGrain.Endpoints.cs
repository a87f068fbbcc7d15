using Tenants.Abstractions.Endpoints;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Tenancy;

public sealed partial class TenantGrain
{
    public Task<IReadOnlyList<TenantEndpoint>> GetEndpointsAsync(CancellationToken cancellationToken = default)
    {
        RequireCreated();
        return Task.FromResult<IReadOnlyList<TenantEndpoint>>([.. State.Endpoints]);
    }

    public async Task<TenantEndpoint> AddEndpointAsync(string actor, EndpointSettings settings, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        TenantRules.Endpoint(settings);
        await FlushAsync(cancellationToken);
        var existing = State.Endpoints.Find(e => e.Id == settings.Id);
        if (existing is not null)
        {
            if (existing.Deleted)
            {
                throw TenantRules.Refused($"endpoint id '{settings.Id}' belonged to a deleted endpoint and stays reserved; choose another id");
            }

            if (existing.Settings == settings)
            {
                return existing;
            }

            throw TenantRules.Conflict($"endpoint '{settings.Id}' already exists; change it with an update");
        }

        // Claim first, then record: a failure between the two leaves a claim this tenant holds and no record, which
        // a retry completes (claiming again is idempotent for the same tenant).
        await GrainFactory.GetGrain<IEndpointGrain>(settings.Id).ClaimAsync(TenantId, cancellationToken);
        var now = _time.GetUtcNow();
        var endpoint = new TenantEndpoint
        {
            TenantId = TenantId,
            Settings = settings,
            Enabled = true,
            Created = now,
            Updated = now,
            Version = State.Version + 1,
        };
        State.Endpoints.Add(endpoint);
        await CommitAsync(actor, $"added endpoint '{settings.Id}' ({Describe(settings)})", settings.Id, cancellationToken);
        return endpoint;
    }

    public async Task<TenantEndpoint> UpdateEndpointAsync(string actor, EndpointSettings settings, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        TenantRules.Endpoint(settings);
        var existing = Live(settings.Id);
        if (existing.Settings == settings)
        {
            await FlushAsync(cancellationToken);
            return existing;
        }

        var updated = Replace(existing with { Settings = settings });
        await CommitAsync(actor, $"changed endpoint '{settings.Id}' ({Describe(settings)})", settings.Id, cancellationToken);
        return updated;
    }

    public async Task<TenantEndpoint> SetEndpointEnabledAsync(string actor, string endpointId, bool enabled, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        TenantRules.EndpointId(endpointId);
        var existing = Live(endpointId);
        if (existing.Enabled == enabled)
        {
            await FlushAsync(cancellationToken);
            return existing;
        }

        var updated = Replace(existing with { Enabled = enabled });
        await CommitAsync(actor, $"{(enabled ? "enabled" : "disabled")} endpoint '{endpointId}'", endpointId, cancellationToken);
        return updated;
    }

    public async Task<TenantEndpoint> DeleteEndpointAsync(string actor, string endpointId, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        TenantRules.EndpointId(endpointId);
        var existing = State.Endpoints.Find(e => e.Id == endpointId) ?? throw NoSuchEndpoint(endpointId);
        if (existing.Deleted)
        {
            await FlushAsync(cancellationToken);
            return existing;
        }

        var updated = Replace(existing with { Deleted = true, Enabled = false });
        await CommitAsync(actor, $"deleted endpoint '{endpointId}'", endpointId, cancellationToken);
        return updated;
    }

    /// <summary>An endpoint that exists and is not deleted.</summary>
    private TenantEndpoint Live(string endpointId)
    {
        var endpoint = State.Endpoints.Find(e => e.Id == endpointId) ?? throw NoSuchEndpoint(endpointId);
        return endpoint.Deleted
            ? throw TenantRules.Refused($"endpoint '{endpointId}' is deleted and cannot be changed")
            : endpoint;
    }

    private TenantValidationException NoSuchEndpoint(string endpointId) =>
        TenantRules.NotFound($"tenant '{TenantId}' has no endpoint '{endpointId}'");

    /// <summary>Puts the changed record in place, stamped with the version the commit is about to give the tenant.</summary>
    private TenantEndpoint Replace(TenantEndpoint changed)
    {
        var stamped = changed with { Updated = _time.GetUtcNow(), Version = State.Version + 1 };
        State.Endpoints[State.Endpoints.FindIndex(e => e.Id == changed.Id)] = stamped;
        return stamped;
    }

    // What an auditor needs to see of the settings; the CA certificate is public but long, so only whether there is one;
    // of a brokered credential the role and the key that seals the password, never the password.
    private static string Describe(EndpointSettings s) => Describe(s, s.Durability ?? EndpointDurability.Default);

    private static string Describe(EndpointSettings s, EndpointDurability d) =>
        $"upstream {s.UpstreamHost}:{s.UpstreamPort}, database {s.DefaultDatabase ?? "(client's)"}, tls {s.TlsMode}"
        + (s.CaCertificatePem is null ? string.Empty : " with CA")
        + (s.Broker is { } broker ? $", brokered as role {broker.User} (password sealed with key {broker.SealedPassword.Split('.')[1]})" : ", passthrough authentication")
        + $", max connections {s.MaxConnections}, replication {(s.AllowReplication ? "allowed" : "refused")}, durability read {d.Read}"
        + $" write {d.Write} ddl {d.Ddl} dcl {d.Dcl} tcl {d.Tcl} other {d.Other}";
}
