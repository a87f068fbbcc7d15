using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tenants.Abstractions.Tenancy;
using Tenants.Edge.Policy;
using Tenants.Policy.Rules;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Policy;

/// <summary>
/// Policy distribution at the edge: the provider over a stand-in of the tenant grains' snapshots (the real grains are
/// tested in Grains.Tests; these ones can be made to fail on demand), on a fake clock.
/// </summary>
public sealed class GrainEdgePolicyProviderTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly Dictionary<string, EdgePolicySnapshot?> _snapshots = [];
    private readonly GrainEdgePolicyProvider _provider;
    private int _fetches;

    public GrainEdgePolicyProviderTests()
    {
        var options = new EdgeOptions { Policy = new EdgePolicyOptions { RefreshInterval = TimeSpan.FromSeconds(2) } };
        _provider = new GrainEdgePolicyProvider(FetchAsync, new StaticMonitor(options), _time, NullLogger<GrainEdgePolicyProvider>.Instance);
    }

    /// <summary>When set, every fetch throws, as an unreachable cluster would.</summary>
    private bool Failing { get; set; }

    private Task<EdgePolicySnapshot?> FetchAsync(string tenantId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        lock (_snapshots)
        {
            return Failing ? throw new InvalidOperationException("cluster unreachable") : Task.FromResult(_snapshots.GetValueOrDefault(tenantId));
        }
    }

    private void Set(string tenantId, long version, TenantPolicy? policy, params AccessGrant[] grants)
    {
        lock (_snapshots)
        {
            _snapshots[tenantId] = new EdgePolicySnapshot { TenantVersion = version, Policy = policy, Salt = new byte[32], Grants = grants };
        }
    }

    private static TenantPolicy Document(int version, string document) =>
        new() { Version = version, Document = document, DocumentSha256 = $"sha-{version}", Author = "ada" };

    [Fact]
    public async Task TenantWithoutPolicy_GetsNoPolicy_AndSessionsOfTheTenantShareOneFetch()
    {
        Set("t1", 1, policy: null);

        var first = await _provider.GetAsync("t1", default);
        var second = await _provider.GetAsync("t1", default);

        Assert.Same(first, second);
        Assert.Same(PolicyCompiler.None, first.Current.Policy);
        Assert.Equal(1, _fetches);
    }

    [Fact]
    public async Task UnknownTenant_HasNoPolicy()
    {
        var handle = await _provider.GetAsync("nobody", default);

        Assert.Same(PolicyCompiler.None, handle.Current.Policy);
    }

    [Fact]
    public async Task FirstFetchFails_Throws_SoTheSessionIsRefusedNotRunUnguarded()
    {
        Failing = true;

        var error = await Assert.ThrowsAsync<EdgePolicyUnavailableException>(() => _provider.GetAsync("t1", default).AsTask());

        Assert.Contains("could not be loaded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DocumentThatDoesNotCompile_WithNothingEarlier_DeniesEveryStatement()
    {
        Set("t1", 1, Document(1, "{ this is not a policy"));

        var handle = await _provider.GetAsync("t1", default);
        var verdict = handle.Current.Policy.Evaluate(new PolicySubject("pg", "app"), StatementAnalyzer.Analyze("select 1"), _time.GetUtcNow(), hasGrant: false);

        Assert.True(verdict.Denied);
        Assert.Equal(FailClosedPolicy.RuleId, verdict.RuleId);
        Assert.Equal((1, "sha-1"), (handle.Current.Policy.Version, handle.Current.Policy.VersionHash));
    }

    [Fact]
    public async Task Refresh_PicksUpAChangeOnTheHandleSessionsHold_WithinTheInterval()
    {
        Set("t1", 1, policy: null);
        var handle = await _provider.GetAsync("t1", default);
        var grant = new AccessGrant { Id = "g1", EndpointId = "pg", MemberId = "ada", ExpiresAt = _time.GetUtcNow().AddHours(1) };
        Set("t1", 2, Document(1, "{ not compiled here }"), grant);

        _time.Advance(TimeSpan.FromSeconds(2));

        await Eventually.TrueAsync(() => Task.FromResult(handle.Current.Policy.Version == 1), Patience, "the new policy on the held handle");
        Assert.True(handle.Current.HasGrant("pg", "ada", _time.GetUtcNow()));
        Assert.False(handle.Current.HasGrant("pg", "bob", _time.GetUtcNow()));
    }

    [Fact]
    public async Task RefreshFails_TheLastPolicyStaysInForce()
    {
        Set("t1", 1, Document(4, "{ not compiled here }"));
        var handle = await _provider.GetAsync("t1", default);
        var before = handle.Current;
        Failing = true;

        await _provider.RefreshAsync();

        Assert.Same(before, handle.Current);
        Assert.Equal(4, handle.Current.Policy.Version);
    }

    [Fact]
    public async Task UnchangedTenantVersion_KeepsTheSamePolicy_WithoutRecompiling()
    {
        Set("t1", 1, Document(2, "{ not compiled here }"));
        var handle = await _provider.GetAsync("t1", default);
        var before = handle.Current;

        await _provider.RefreshAsync();

        Assert.Same(before, handle.Current);
    }

    [Fact]
    public async Task TenantsNoSessionHolds_AreDropped_SoMemoryFollowsTheSessions()
    {
        Set("t1", 1, policy: null);
        await LoadAndForgetAsync("t1");
        Assert.Equal(1, _provider.TenantCount);

        await Eventually.TrueAsync(async () =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await _provider.RefreshAsync();
            return _provider.TenantCount == 0;
        }, Patience, "the tenant dropped once no handle is held");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task LoadAndForgetAsync(string tenantId) => _ = await _provider.GetAsync(tenantId, default);

    public void Dispose() => _provider.Dispose();

    private sealed class StaticMonitor(EdgeOptions value) : IOptionsMonitor<EdgeOptions>
    {
        public EdgeOptions CurrentValue => value;

        public EdgeOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<EdgeOptions, string?> listener) => null;
    }
}
