using Tenants.Abstractions.Audit;
using Tenants.Edge.Audit;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Hosting;

/// <summary>An audit sink that keeps every event in memory, in the order the proxy emitted them.</summary>
public sealed class RecordingAuditSink : IAuditEventSink
{
    private readonly Lock _lock = new();
    private readonly List<AuditEvent> _events = [];
    private readonly ConditionSignal _signal = new();

    /// <summary>Every event so far.</summary>
    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public bool TryEmit(AuditEvent auditEvent)
    {
        lock (_lock)
        {
            _events.Add(auditEvent);
        }

        _signal.Pulse();
        return true;
    }

    public ValueTask EmitAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        TryEmit(auditEvent);
        return ValueTask.CompletedTask;
    }

    /// <summary>Records the event and acknowledges it at once, as a ledger that is always available would.</summary>
    public Task<bool> AppendDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => Task.FromResult(TryEmit(auditEvent));

    /// <summary>The events of the sessions that sent this <c>application_name</c>.</summary>
    public IReadOnlyList<AuditEvent> ForApplication(string applicationName) =>
        Events.Where(e => e.ApplicationName == applicationName).ToList();

    /// <summary>Waits for an event that matches <paramref name="predicate"/>.</summary>
    public Task<AuditEvent> WaitForAsync(Func<AuditEvent, bool> predicate, TimeSpan timeout) =>
        _signal.WaitAsync(
            () => Events.FirstOrDefault(predicate),
            timeout,
            () => $"no such audit event among {Events.Count}");

    /// <summary>Waits for the session-end event of the session with this <c>application_name</c>, then returns all its events.</summary>
    public async Task<IReadOnlyList<AuditEvent>> WaitForSessionEndAsync(string applicationName, TimeSpan timeout)
    {
        try
        {
            await WaitForAsync(e => e.ApplicationName == applicationName && e.Kind == AuditEventKind.SessionEnded, timeout);
        }
        catch (TimeoutException ex)
        {
            var seen = string.Join(", ", ForApplication(applicationName).GroupBy(e => e.Kind).Select(g => $"{g.Key} x{g.Count()}"));
            throw new TimeoutException($"session '{applicationName}' did not end; its events: {seen}", ex);
        }

        return ForApplication(applicationName);
    }
}
