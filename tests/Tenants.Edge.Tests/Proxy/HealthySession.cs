using Tenants.Testing;

namespace Tenants.Edge.Tests.Proxy;

/// <summary>
/// A well-behaved client that runs <c>select 1</c> in a loop through the proxy while a test attacks it from other
/// connections, and remembers the first thing that went wrong.
/// </summary>
public sealed class HealthySession : IAsyncDisposable
{
    private readonly PgRawClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _queries;

    private HealthySession(PgRawClient client, string applicationName)
    {
        _client = client;
        ApplicationName = applicationName;
        _loop = LoopAsync();
    }

    public string ApplicationName { get; }

    /// <summary>Queries answered in full so far.</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>The first failure, or null.</summary>
    public Exception? Failure { get; private set; }

    public static async Task<HealthySession> StartAsync(ProxyHarness harness, string applicationName)
    {
        var (client, _, _) = await harness.LoginAsync(applicationName);
        return new HealthySession(client, applicationName);
    }

    /// <summary>Stops the loop after the query in progress, ends the session with Terminate, waits for the close and returns the count.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _client.SendAsync(PgFrontendMessages.Terminate());
        var (_, closed, _) = await _client.ReadToEndAsync(ProxyHarness.Patience);
        Assert.True(closed, "the session did not end after Terminate");
        return Queries;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _client.DisposeAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        await Task.Yield();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await _client.SendAsync(PgFrontendMessages.Query("select 1"));
                var answer = await _client.ReadUntilAsync('Z', ProxyHarness.Patience);
                var kinds = string.Concat(answer.Select(m => m.Kind));
                if (kinds != "TDCZ")
                {
                    throw new InvalidOperationException($"unexpected answer {kinds} after {Queries} queries");
                }

                Interlocked.Increment(ref _queries);
            }
        }
        catch (Exception ex)
        {
            Failure = ex;
        }
    }
}
