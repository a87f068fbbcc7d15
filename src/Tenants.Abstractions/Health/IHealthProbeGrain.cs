namespace Tenants.Abstractions.Health;

/// <summary>Answers if the cluster can activate and run grains; used by readiness checks.</summary>
[Alias("tenants.health-probe-grain.v1")]
public interface IHealthProbeGrain : IGrainWithIntegerKey
{
    [Alias("PingAsync")]
    Task<DateTimeOffset> PingAsync();
}
