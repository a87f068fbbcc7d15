namespace Tenants.Testing;

/// <summary>
/// Waits for a condition that becomes true asynchronously (an event reaching the ledger, a row reaching the database),
/// by probing at a short interval up to a deadline. The deadline is a bound, not an expectation: a passing test
/// returns as soon as the condition holds.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Probes until <paramref name="accept"/> holds for the probed value and returns that value.</summary>
    /// <exception cref="TimeoutException">The deadline passed; the message says what was awaited and what was last seen.</exception>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, Func<T, string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe().ConfigureAwait(false);
            if (accept(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(describe(value));
            }

            await Task.Delay(Interval).ConfigureAwait(false);
        }
    }

    /// <summary>Probes until <paramref name="condition"/> is true.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        MatchAsync(condition, ok => ok, timeout, _ => $"{what} did not happen within {timeout}");
}
