using Orleans.Concurrency;
using Tenants.Abstractions.Health;

namespace Tenants.Grains.Health;

/// <summary>Proves the silo activates and runs grains.</summary>
[StatelessWorker]
public sealed class HealthProbeGrain(TimeProvider time) : Grain, IHealthProbeGrain
{
    public Task<DateTimeOffset> PingAsync() => Task.FromResult(time.GetUtcNow());
}
