namespace Tenants.Infrastructure.Tests.Orleans;

public sealed class CounterGrain([PersistentState("counter", OrleansPostgresClusterTests.StorageName)] IPersistentState<CounterState> counter)
    : Grain, ICounterGrain
{
    public async Task<int> IncrementAsync()
    {
        counter.State.Value++;
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(counter.State.Value);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
