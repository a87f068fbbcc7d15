using System.Collections.Concurrent;
using Tenants.Abstractions.Endpoints;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Edge.Tests.Endpoints;

/// <summary>
/// What the stand-in directory grains answer, shared by the test and the silo: the Edge tests may not reference the
/// real <c>EndpointGrain</c> (Tenants.Grains), and a real one cannot be made to fail or hang on demand.
/// </summary>
public sealed class EndpointDirectoryStandIn
{
    private int _calls;

    public ConcurrentDictionary<string, TenantEndpoint> Endpoints { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, every lookup throws.</summary>
    public bool Failing { get; set; }

    /// <summary>When not null, every lookup waits for this task first.</summary>
    public TaskCompletionSource? Hang { get; set; }

    /// <summary>Lookups that reached a grain.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public static TenantEndpoint Endpoint(string id, bool enabled = true, bool deleted = false) => new()
    {
        TenantId = "tenant-b",
        Settings = new EndpointSettings { Id = id, UpstreamHost = "db.internal" },
        Enabled = enabled,
        Deleted = deleted,
    };

    internal async Task<TenantEndpoint?> GetAsync(string id)
    {
        Interlocked.Increment(ref _calls);
        if (Hang is { } hang)
        {
            await hang.Task;
        }

        return Failing
            ? throw new InvalidOperationException("stand-in directory switched off")
            : Endpoints.GetValueOrDefault(id);
    }
}

/// <summary>A directory grain that answers from <see cref="EndpointDirectoryStandIn"/>; it only serves reads.</summary>
public sealed class EndpointGrainStandIn(EndpointDirectoryStandIn directory) : Grain, IEndpointGrain
{
    public Task<TenantEndpoint?> GetAsync(CancellationToken cancellationToken = default) => directory.GetAsync(this.GetPrimaryKeyString());

    public Task ClaimAsync(string tenantId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task PublishAsync(TenantEndpoint endpoint, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<string?> GetOwnerAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
