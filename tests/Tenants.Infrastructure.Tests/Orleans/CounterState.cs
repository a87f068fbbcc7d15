namespace Tenants.Infrastructure.Tests.Orleans;

[GenerateSerializer]
[Alias("Tenants.Infrastructure.Tests.Orleans.CounterState")]
public sealed class CounterState
{
    [Id(0)]
    public int Value { get; set; }
}
