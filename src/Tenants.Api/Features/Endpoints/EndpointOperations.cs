using System.Security.Claims;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tenants.Abstractions.Endpoints;
using Tenants.Abstractions.Secrets;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Security;
using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Endpoints;

/// <summary>
/// What the endpoint actions share: the caller's tenant grain, the acting member, finding an endpoint (another
/// tenant's is unknown: 404), sealing passwords, turning grain refusals into problem details, and the response.
/// </summary>
internal sealed partial class EndpointOperations(
    IGrainFactory grains,
    IServiceProvider services,
    ProxyAddress proxy,
    TimeProvider time,
    ILogger<EndpointOperations> logger)
{
    public ITenantGrain Tenant(ClaimsPrincipal user) => grains.GetGrain<ITenantGrain>(user.GetTenantId());

    public Task<string> ActorAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TenantActor.ResolveAsync(user, Tenant(user), cancellationToken);

    /// <summary>The caller's endpoints; none while the tenant has no account.</summary>
    public async Task<IReadOnlyList<TenantEndpoint>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var tenant = Tenant(user);
        return await tenant.GetAccountAsync(cancellationToken) is null ? [] : await tenant.GetEndpointsAsync(cancellationToken);
    }

    /// <summary>The caller's endpoint <paramref name="id"/>, deleted or not; 404 problem details otherwise.</summary>
    public async Task<TenantEndpoint> FindAsync(ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var endpoint = (await ListAsync(user, cancellationToken)).FirstOrDefault(e => e.Id == id);
        if (endpoint is null)
        {
            ValidationContext.Instance.ThrowError($"no endpoint '{id}' in this tenant", StatusCodes.Status404NotFound);
        }

        return endpoint;
    }

    /// <summary>Whether anyone (this tenant included, deleted endpoints included) holds the id.</summary>
    public async Task<bool> IsTakenAsync(string id, CancellationToken cancellationToken) =>
        await grains.GetGrain<IEndpointGrain>(id).GetOwnerAsync(cancellationToken) is not null;

    /// <summary>Seals a brokered password for the caller's tenant and the endpoint.</summary>
    public Func<string, string> Sealer(ClaimsPrincipal user, string endpointId)
    {
        var protector = services.GetService<CredentialProtector>()
            ?? throw new InvalidOperationException("no CredentialProtector is registered: the Host registers one for the api role");
        var context = CredentialProtector.EndpointContext(user.GetTenantId(), endpointId);
        return password => protector.Seal(password, context);
    }

    /// <summary>Opens a stored brokered password (to test the connection from this node).</summary>
    public string Open(ClaimsPrincipal user, EndpointSettings settings) =>
        services.GetRequiredService<CredentialProtector>().Open(settings.Broker!.SealedPassword, CredentialProtector.EndpointContext(user.GetTenantId(), settings.Id));

    /// <summary>Runs a grain change; a refusal becomes 400 problem details with the grain's words.</summary>
    public static async Task<T> ChangeAsync<T>(Func<Task<T>> change)
    {
        try
        {
            return await change();
        }
        catch (TenantValidationException ex)
        {
            ValidationContext.Instance.ThrowError(ex.Message, StatusCodes.Status400BadRequest);
            throw;
        }
    }

    /// <summary>A refusal of the settings themselves (before any grain call), as 400 problem details.</summary>
    public static EndpointSettings Settings(Func<EndpointSettings> build)
    {
        try
        {
            return build();
        }
        catch (TenantValidationException ex)
        {
            ValidationContext.Instance.ThrowError(ex.Message, StatusCodes.Status400BadRequest);
            throw;
        }
    }

    public async Task<EndpointResponse> ResponseAsync(ClaimsPrincipal user, TenantEndpoint endpoint, CancellationToken cancellationToken) =>
        EndpointSettingsMapper.ToResponse(endpoint, proxy, endpoint.Deleted ? null : await StatusAsync(user.GetTenantId(), endpoint.Id, cancellationToken));

    public EndpointResponse Response(TenantEndpoint endpoint) => EndpointSettingsMapper.ToResponse(endpoint, proxy, status: null);

    public void Changed(ClaimsPrincipal user, string endpointId, string what, string actor) =>
        LogEndpointChanged(user.GetTenantId(), endpointId, what, actor);

    /// <summary>
    /// Open sessions, statements in the last minute and the newest event, from the search index; null without one.
    /// Open sessions are those the index shows accepted in the last 24 hours with no end yet.
    /// </summary>
    private async Task<EndpointStatusView?> StatusAsync(string tenantId, string endpointId, CancellationToken cancellationToken)
    {
        if (services.GetService<ILedgerIndexReader>() is not { } index)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var newest = await index.SearchAsync(tenantId, new LedgerIndexQuery { EndpointId = endpointId, Limit = 1 }, cancellationToken);
        var statements = await index.SearchAsync(tenantId, new LedgerIndexQuery
        {
            EndpointId = endpointId, Kind = "statement", From = now.AddMinutes(-1), Limit = 1000,
        }, cancellationToken);
        var day = now.AddHours(-24);
        var accepted = await index.SearchAsync(tenantId, new LedgerIndexQuery { EndpointId = endpointId, Kind = "connection_accepted", From = day, Limit = 1000 }, cancellationToken);
        var ended = await index.SearchAsync(tenantId, new LedgerIndexQuery { EndpointId = endpointId, Kind = "session_ended", From = day, Limit = 1000 }, cancellationToken);
        var endedSessions = ended.Entries.Select(e => EntryFields.Read(e.Entry).Session).ToHashSet(StringComparer.Ordinal);
        return new EndpointStatusView
        {
            OpenSessions = accepted.Entries.Select(e => EntryFields.Read(e.Entry).Session).Distinct(StringComparer.Ordinal).Count(s => !endedSessions.Contains(s)),
            StatementsLastMinute = statements.Entries.Count,
            LastEventTime = newest.Entries.Count == 0 ? null : EntryFields.Read(newest.Entries[0].Entry).Time,
        };
    }

    [LoggerMessage(EventId = 3300, EventName = "ApiEndpointChanged", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: endpoint {EndpointId} {What} by member {Actor} through the API")]
    private partial void LogEndpointChanged(string tenantId, string endpointId, string what, string actor);
}
