using System.Buffers;
using Tenants.PgWire.Backend;
using Tenants.PgWire.Frontend;

namespace Tenants.Edge.Proxy;

/// <summary>
/// The columns of extended-protocol results, for masking: a statement described once (Npgsql's <c>Prepare()</c>)
/// runs later with Bind/Execute only, and its rows come without a RowDescription. The answers to Describe arrive in
/// the order the Describes were sent; a Sync ends the ones an error made the server skip.
/// </summary>
internal sealed partial class ProxySession
{
    private readonly Dictionary<string, int> _generations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PortalSource> _portalSources = new(StringComparer.Ordinal);
    private long _bindSerial;
    private readonly Queue<(byte Kind, string Name, int Generation)> _describes = new();
    private readonly Dictionary<string, (int Generation, IReadOnlyList<RowField>? Fields)> _shapes = new(StringComparer.Ordinal);
    private IReadOnlyList<RowField>? _portalFields;

    /// <summary>Whether the server side needs RowDescription bodies (only while masks may apply).</summary>
    private bool TracksRowDescriptions => _resolver.HasWanted || Volatile.Read(ref _maskedInFlight) > 0;

    private void NoteParse(string statement) => _generations[statement] = _generations.GetValueOrDefault(statement) + 1;

    /// <summary>A closed statement: its columns are forgotten (a later Parse of the name is a new definition anyway).</summary>
    private void ForgetStatement(string statement)
    {
        lock (_lock)
        {
            _shapes.Remove(statement);
        }
    }

    private void NoteBind(string portal, string statement) =>
        _portalSources[portal] = new PortalSource(statement, _generations.GetValueOrDefault(statement), ++_bindSerial);

    private PortalSource? PortalSourceOf(string portal) => _portalSources.GetValueOrDefault(portal);

    private void NoteDescribe(DescribeMessage describe)
    {
        var generation = describe.Kind == DescribeMessage.Statement ? _generations.GetValueOrDefault(describe.Name) : 0;
        lock (_lock)
        {
            _describes.Enqueue((describe.Kind, describe.Name, generation));
        }
    }

    private void NoteSync()
    {
        lock (_lock)
        {
            _describes.Enqueue((0, "", 0));
        }
    }

    /// <summary>A RowDescription: of the running simple Query, or the answer to the oldest Describe.</summary>
    private void OnRowDescription(in ReadOnlySequence<byte> body)
    {
        var fields = !body.IsEmpty && RowDescriptionMessage.TryParse(body, out var description) ? description!.Fields : null;
        PendingStatement? query = null;
        (byte Kind, string Name, int Generation) describe = default;
        lock (_lock)
        {
            if (_pending.TryPeek(out var head) && head.Kind == PendingKind.SimpleQuery)
            {
                query = head;
            }
            else if (_describes.TryPeek(out describe) && describe.Kind != 0)
            {
                _describes.Dequeue();
                if (describe.Kind == DescribeMessage.Statement)
                {
                    _shapes[describe.Name] = (describe.Generation, fields);
                }
            }
        }

        if (query is not null)
        {
            _rowPlan = PlanFor(query, fields);
        }
        else if (describe.Kind == DescribeMessage.Portal)
        {
            _portalFields = fields;
        }
    }

    /// <summary>NoData: a Describe of something that returns no rows.</summary>
    private void OnNoData()
    {
        lock (_lock)
        {
            if (_describes.TryPeek(out var describe) && describe.Kind != 0)
            {
                _describes.Dequeue();
            }
        }
    }

    /// <summary>ReadyForQuery: Describes the server skipped after an error are over.</summary>
    private void EndDescribes()
    {
        lock (_lock)
        {
            while (_describes.TryDequeue(out var describe) && describe.Kind != 0)
            {
            }
        }
    }

    /// <summary>The columns of an Execute's rows: its portal's Describe, else its statement's (the same definition).</summary>
    private IReadOnlyList<RowField>? FieldsOf(PendingStatement statement)
    {
        if (_portalFields is not null)
        {
            return _portalFields;
        }

        if (statement.Portal is not { } portal)
        {
            return null;
        }

        lock (_lock)
        {
            return _shapes.TryGetValue(portal.Statement, out var shape) && shape.Generation == portal.Generation ? shape.Fields : null;
        }
    }
}
