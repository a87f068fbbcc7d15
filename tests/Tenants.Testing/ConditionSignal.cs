namespace Tenants.Testing;

/// <summary>
/// Lets waiters re-check a condition each time something changes, up to a deadline, without polling on a timer.
/// </summary>
public sealed class ConditionSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes every waiter so that it checks its condition again.</summary>
    public void Pulse()
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    /// <summary>
    /// Returns the first non-null result of <paramref name="probe"/>, checked now and after every pulse; throws a
    /// <see cref="TimeoutException"/> with <paramref name="describe"/>'s text when <paramref name="timeout"/> passes first.
    /// </summary>
    public async Task<T> WaitAsync<T>(Func<T?> probe, TimeSpan timeout, Func<string> describe, CancellationToken cancellationToken = default)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            if (probe() is { } value)
            {
                return value;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (probe() is { } last)
                {
                    return last;
                }

                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.##} s in vain: {describe()}");
            }
        }
    }
}
