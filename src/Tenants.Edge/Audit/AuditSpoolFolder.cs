using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Tenants.Edge.Audit;

/// <summary>
/// The edge node's spool folder (<see cref="EdgeAuditOptions.SpoolPath"/>): one <see cref="AuditSpool"/> per tenant,
/// in a sub-folder named after the tenant, all within one byte budget (<see cref="EdgeAuditOptions.SpoolMaxBytes"/>)
/// and behind one lock file, so that no two processes share a folder. A tenant's spool is created the first time one
/// of its events has to be spooled, and the spools found on disk are opened when the folder is. Each tenant also has an
/// overflow spool (<c>&lt;tenant&gt;/overflow</c>) for events that found the queue full while older ones were still in
/// it; it is moved behind the tenant's spool once those are handled (<see cref="AdoptOverflow"/>), or when the folder
/// opens. Segments left at the top of the folder by a version that kept one spool for all tenants are moved, in
/// order, into the tenants' spools. Thread-safe.
/// </summary>
internal sealed partial class AuditSpoolFolder : IDisposable
{
    private const string OverflowFolder = "overflow";

    private readonly ConcurrentDictionary<string, AuditSpool> _tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AuditSpool> _overflows = new(StringComparer.Ordinal);
    private readonly Lock _create = new();
    private readonly SpoolBudget _budget;
    private readonly long _segmentBytes;
    private readonly FileStream _lockFile;

    public AuditSpoolFolder(string directory, long maxBytes, long segmentBytes)
    {
        DirectoryPath = directory;
        _budget = new SpoolBudget(maxBytes);
        _segmentBytes = segmentBytes;
        Directory.CreateDirectory(directory);

        // One process per spool: a second node on the same folder would replay and delete the first one's events.
        try
        {
            _lockFile = new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"the audit spool {directory} is in use by another process; give each edge node its own Edge:Audit:SpoolPath", ex);
        }

        foreach (var folder in Directory.EnumerateDirectories(directory))
        {
            if (TryDecode(Path.GetFileName(folder), out var tenantId))
            {
                _tenants[tenantId] = new AuditSpool(folder, _budget, segmentBytes);
                if (Directory.Exists(Path.Combine(folder, OverflowFolder)))
                {
                    AdoptOverflow(tenantId);
                }
            }
        }

        MoveSharedSegments();
    }

    /// <summary>The folder of the node's spool.</summary>
    public string DirectoryPath { get; }

    /// <summary>Bytes of segment files on disk, all tenants together.</summary>
    public long Bytes => _budget.Used;

    /// <summary>True when no tenant's spool, nor overflow spool, holds anything.</summary>
    public bool IsEmpty => _tenants.Values.All(s => s.IsEmpty) && _overflows.Values.All(s => s.IsEmpty);

    /// <summary>Every tenant's spool opened or created so far, empty ones included.</summary>
    public IEnumerable<KeyValuePair<string, AuditSpool>> Tenants => _tenants;

    /// <summary>The spool of <paramref name="tenantId"/>, or null if it has none yet.</summary>
    public AuditSpool? Find(string tenantId) => _tenants.GetValueOrDefault(tenantId);

    /// <summary>The spool of <paramref name="tenantId"/>, created (with its folder) if need be.</summary>
    public AuditSpool For(string tenantId)
    {
        if (_tenants.TryGetValue(tenantId, out var spool))
        {
            return spool;
        }

        lock (_create)
        {
            return _tenants.GetOrAdd(tenantId, id => new AuditSpool(Path.Combine(DirectoryPath, Encode(id)), _budget, _segmentBytes));
        }
    }

    /// <summary>The overflow spool of <paramref name="tenantId"/>, created if need be.</summary>
    public AuditSpool Overflow(string tenantId)
    {
        if (_overflows.TryGetValue(tenantId, out var spool))
        {
            return spool;
        }

        lock (_create)
        {
            return _overflows.GetOrAdd(tenantId, id => new AuditSpool(Path.Combine(DirectoryPath, Encode(id), OverflowFolder), _budget, _segmentBytes));
        }
    }

    /// <summary>True when the overflow spool of <paramref name="tenantId"/> holds events.</summary>
    public bool IsOverflowing(string tenantId) => _overflows.TryGetValue(tenantId, out var spool) && !spool.IsEmpty;

    /// <summary>Moves what the overflow spool of <paramref name="tenantId"/> holds behind its spool.</summary>
    public void AdoptOverflow(string tenantId) => For(tenantId).Adopt(Overflow(tenantId));

    public void Dispose()
    {
        foreach (var spool in _tenants.Values.Concat(_overflows.Values))
        {
            spool.Dispose();
        }

        _lockFile.Dispose();
    }

    /// <summary>
    /// A tenant id as a folder name: as it is when it is a plain name (lower-case letters, digits and dashes, as tenant
    /// ids are), otherwise <c>_</c> and the hex of its UTF-8 bytes, which cannot collide with a plain name.
    /// </summary>
    internal static string Encode(string tenantId) =>
        PlainName().IsMatch(tenantId) ? tenantId : "_" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(tenantId));

    private static bool TryDecode(string name, out string tenantId)
    {
        tenantId = name;
        if (PlainName().IsMatch(name))
        {
            return true;
        }

        if (name.Length > 1 && name[0] == '_' && name.Length % 2 == 1)
        {
            try
            {
                tenantId = Encoding.UTF8.GetString(Convert.FromHexString(name.AsSpan(1)));
                return true;
            }
            catch (FormatException)
            {
            }
        }

        return false;
    }

    /// <summary>Moves the records of a spool shared by all tenants (segments at the top of the folder) into the tenants' spools.</summary>
    private void MoveSharedSegments()
    {
        if (!Directory.EnumerateFiles(DirectoryPath, "*.spool").Any())
        {
            return;
        }

        // A crash half-way copies some records twice; the ledger drops the second copy by event id, and order holds.
        using var shared = new AuditSpool(DirectoryPath, long.MaxValue, _segmentBytes);
        while (true)
        {
            IReadOnlyList<SpoolRecord> records;
            try
            {
                records = shared.PeekBatch(int.MaxValue, 16 << 20);
            }
            catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException)
            {
                shared.QuarantineHead();
                continue;
            }

            if (records.Count == 0)
            {
                break;
            }

            foreach (var group in records.SelectMany(r => r.Events).GroupBy(e => e.TenantId, StringComparer.Ordinal))
            {
                For(group.Key).TryAppend([.. group], force: true);
            }

            shared.Acknowledge(records);
        }

        shared.Retire();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();
}
