using Tenants.Abstractions.Endpoints;
using Tenants.Abstractions.Tenancy;
using Tenants.Grains.Tenancy;

namespace Tenants.Grains.Endpoints;

/// <summary>
/// The directory entry of one endpoint id: the first tenant to claim it holds it for ever; that tenant's grain pushes
/// the endpoint's current record here on every change, and edge nodes read it.
/// </summary>
public sealed class EndpointGrain(
    [PersistentState("endpoint", "ledger")] IPersistentState<EndpointState> state) : Grain, IEndpointGrain
{
    private string EndpointId => this.GetPrimaryKeyString();

    public async Task ClaimAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        TenantRules.EndpointId(EndpointId);
        TenantRules.TenantId(tenantId);
        if (state.State.TenantId is { } holder)
        {
            if (holder != tenantId)
            {
                throw TenantRules.Conflict($"endpoint id '{EndpointId}' is taken by another tenant; choose another id");
            }

            return;
        }

        state.State.TenantId = tenantId;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State.TenantId = null;
            throw;
        }
    }

    public async Task PublishAsync(TenantEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Id != EndpointId)
        {
            throw TenantRules.Refused($"endpoint '{endpoint.Id}' cannot be published as '{EndpointId}'");
        }

        if (state.State.TenantId != endpoint.TenantId)
        {
            throw TenantRules.Refused($"endpoint id '{EndpointId}' is not held by tenant '{endpoint.TenantId}'");
        }

        if (state.State.Endpoint is { } current && current.Version >= endpoint.Version)
        {
            return;
        }

        var previous = state.State.Endpoint;
        state.State.Endpoint = endpoint;
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State.Endpoint = previous;
            throw;
        }
    }

    public Task<TenantEndpoint?> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(state.State.Endpoint);

    public Task<string?> GetOwnerAsync(CancellationToken cancellationToken = default) => Task.FromResult(state.State.TenantId);
}
