using System.Buffers;

namespace Tenants.Edge.Proxy;

internal sealed partial class ProxySession
{
    private volatile CopyTracker? _copy;
    private CopySummary? _finishedCopy;

    /// <summary>Direction of the COPY streaming now, or null.</summary>
    private string? CopyDirection => _copy?.Direction;

    private void StartCopy(string direction)
    {
        lock (_lock)
        {
            _copy?.Dispose();
            _copy = new CopyTracker(direction);
            _finishedCopy = null;
        }
    }

    /// <summary>CopyData of the current COPY: only the side that sends it calls this, one thread per direction.</summary>
    private void AppendCopy(in ReadOnlySequence<byte> data) => _copy?.Append(data);

    private void FinishCopy(string direction)
    {
        lock (_lock)
        {
            if (_copy is { } copy && copy.Direction == direction)
            {
                _finishedCopy = copy.Finish();
                copy.Dispose();
                _copy = null;
            }
        }
    }

    /// <summary>The COPY that a completion (CommandComplete or an error) closes, if any. Called under the lock.</summary>
    private CopySummary? TakeCopy()
    {
        if (_copy is { } running)
        {
            // An error ended the COPY before CopyDone: report what had streamed.
            _finishedCopy = running.Finish();
            running.Dispose();
            _copy = null;
        }

        var finished = _finishedCopy;
        _finishedCopy = null;
        return finished;
    }
}
