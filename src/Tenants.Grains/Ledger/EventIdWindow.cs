namespace Tenants.Grains.Ledger;

/// <summary>
/// The event ids of a ledger's newest entries and their leaf indices, oldest forgotten first: what lets a retried
/// delivery be recognised without reading the ledger. Bounded by a count, so its memory is too.
/// </summary>
internal sealed class EventIdWindow(int capacity)
{
    private readonly Dictionary<string, long> _leaves = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count => _leaves.Count;

    public bool TryGetLeaf(string eventId, out long leafIndex) => _leaves.TryGetValue(eventId, out leafIndex);

    public void Remember(string eventId, long leafIndex)
    {
        if (!_leaves.TryAdd(eventId, leafIndex))
        {
            return;
        }

        _order.Enqueue(eventId);
        if (_order.Count > capacity)
        {
            _leaves.Remove(_order.Dequeue());
        }
    }
}
