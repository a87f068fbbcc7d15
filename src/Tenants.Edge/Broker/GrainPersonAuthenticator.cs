using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Edge.Broker;

/// <summary>Asks the endpoint's tenant grain, within <see cref="EdgeDirectoryOptions.LookupTimeout"/>.</summary>
internal sealed partial class GrainPersonAuthenticator(
    IGrainFactory grains,
    IOptionsMonitor<EdgeOptions> options,
    TimeProvider time,
    ILogger<GrainPersonAuthenticator> logger) : IPersonAuthenticator
{
    public async ValueTask<PersonAuthentication> AuthenticateAsync(string tenantId, string endpointId, string login, string token, CancellationToken cancellationToken)
    {
        try
        {
            return await grains.GetGrain<ITenantGrain>(tenantId).AuthenticatePersonAsync(endpointId, login, token, cancellationToken)
                .WaitAsync(options.CurrentValue.Directory.LookupTimeout, time, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(ex, tenantId, endpointId);
            throw new PersonAuthenticatorUnavailableException(
                ex is TimeoutException ? "the tenant did not answer in time" : "the tenant is unavailable", ex);
        }
    }

    [LoggerMessage(EventId = 1410, EventName = "BrokeredSignInCheckFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}, endpoint {EndpointId}: a brokered sign-in could not be checked; the connection is refused")]
    private partial void LogFailed(Exception exception, string tenantId, string endpointId);
}
