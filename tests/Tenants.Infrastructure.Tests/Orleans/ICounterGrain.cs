namespace Tenants.Infrastructure.Tests.Orleans;

/// <summary>A tiny persistent grain for exercising the ADO.NET providers.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync();

    Task<int> GetAsync();

    Task DeactivateAsync();
}
