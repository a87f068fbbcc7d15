using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Endpoints;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Edge.Endpoints;

/// <summary>
/// Endpoints from the global endpoint directory (<see cref="IEndpointGrain"/>, one grain per id), each cached on the
/// node for <see cref="EdgeDirectoryOptions.CacheTtl"/> (unknown ids for <see cref="EdgeDirectoryOptions.NegativeCacheTtl"/>),
/// so a connection costs a grain call only when its endpoint was not looked up recently.
/// </summary>
internal sealed partial class GrainEndpointCatalog(
    IGrainFactory grains,
    IOptionsMonitor<EdgeOptions> options,
    TimeProvider time,
    ILogger<GrainEndpointCatalog> logger) : IEndpointCatalog
{
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    public async ValueTask<EdgeEndpointOptions?> FindAsync(string id, CancellationToken cancellationToken)
    {
        // A string that cannot be an endpoint id (a user name's "@corp.example") is not asked about.
        if (!EndpointId.IsValid(id))
        {
            return null;
        }

        var settings = options.CurrentValue.Directory;
        if (_cache.TryGetValue(id, out var cached)
            && time.GetElapsedTime(cached.Stored) < (cached.Endpoint is null ? settings.NegativeCacheTtl : settings.CacheTtl))
        {
            return cached.Endpoint;
        }

        TenantEndpoint? record;
        try
        {
            record = await grains.GetGrain<IEndpointGrain>(id).GetAsync(cancellationToken)
                .WaitAsync(settings.LookupTimeout, time, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogLookupFailed(ex, id);
            throw new EndpointCatalogUnavailableException(
                ex is TimeoutException ? "the endpoint directory did not answer in time" : "the endpoint directory is unavailable", ex);
        }

        var endpoint = record is null || record.Deleted ? null : ToOptions(record);
        if (_cache.Count >= settings.MaxCachedEndpoints)
        {
            Trim(settings);
        }

        _cache[id] = new Entry(endpoint, time.GetTimestamp());
        return endpoint;
    }

    internal static EdgeEndpointOptions ToOptions(TenantEndpoint record)
    {
        var s = record.Settings;
        var durability = s.Durability ?? EndpointDurability.Default;
        return new EdgeEndpointOptions
        {
            Id = s.Id,
            TenantId = record.TenantId,
            UpstreamHost = s.UpstreamHost,
            UpstreamPort = s.UpstreamPort,
            DefaultDatabase = s.DefaultDatabase,
            UpstreamSslMode = s.TlsMode switch
            {
                EndpointTlsMode.Require => UpstreamSslMode.Require,
                EndpointTlsMode.VerifyFull => UpstreamSslMode.VerifyFull,
                _ => UpstreamSslMode.Disable,
            },
            UpstreamCaCertificatePem = s.CaCertificatePem,
            Enabled = record.Enabled,
            MaxConnections = s.MaxConnections,
            AllowReplication = s.AllowReplication,
            Broker = s.Broker is { } broker ? new EdgeBrokerOptions { User = broker.User, SealedPassword = broker.SealedPassword } : null,
            Durability = new EndpointDurabilityOptions
            {
                Read = Mode(durability.Read),
                Write = Mode(durability.Write),
                Ddl = Mode(durability.Ddl),
                Dcl = Mode(durability.Dcl),
                Tcl = Mode(durability.Tcl),
                Other = Mode(durability.Other),
            },
        };
    }

    private static DurabilityMode Mode(AuditDurability durability) => durability switch
    {
        AuditDurability.Sequenced => DurabilityMode.Sequenced,
        AuditDurability.Async => DurabilityMode.Async,
        _ => DurabilityMode.Durable,
    };

    private void Trim(EdgeDirectoryOptions settings)
    {
        foreach (var (key, entry) in _cache)
        {
            if (time.GetElapsedTime(entry.Stored) >= (entry.Endpoint is null ? settings.NegativeCacheTtl : settings.CacheTtl))
            {
                _cache.TryRemove(key, out _);
            }
        }

        if (_cache.Count >= settings.MaxCachedEndpoints)
        {
            _cache.Clear();
        }
    }

    [LoggerMessage(EventId = 1400, EventName = "EndpointLookupFailed", Level = LogLevel.Warning,
        Message = "Endpoint {EndpointId}: the endpoint directory could not be asked; the connection is refused")]
    private partial void LogLookupFailed(Exception exception, string endpointId);

    private sealed record Entry(EdgeEndpointOptions? Endpoint, long Stored);
}
