using System.Buffers;
using Tenants.Edge.Policy;
using Tenants.PgWire;
using Tenants.PgWire.Backend;
using Tenants.PgWire.Frontend;
using Tenants.Policy.Rules;

namespace Tenants.Edge.Proxy;

/// <summary>
/// Column masking in results and value redaction in events. Masks name (schema, table, column); results name columns
/// by (table OID, attribute number), so the session looks the names up in the catalog over its own upstream
/// connection while the client waits for a ReadyForQuery the proxy holds back (see docs/protocol.md). All of the
/// masking state below belongs to the server side's thread, except <see cref="_maskedInFlight"/> (under the lock).
/// </summary>
internal sealed partial class ProxySession
{
    /// <summary>PostgreSQL's FirstNormalObjectId: tables below it are the system's (catalogs clients read at connect).</summary>
    private const uint FirstUserOid = 16384;

    private readonly ColumnResolver _resolver = new();
    private int _maskedInFlight;
    private int _resolvedVersion = -1;
    private bool _catalogStale;
    private bool _lookupInFlight;
    private byte[]? _heldReady;
    private bool _swallowed;
    private RowPlan? _rowPlan;

    /// <summary>The tenant's policy (set with <see cref="Policy"/> at session start); none without one.</summary>
    private EdgePolicyHandle PolicyHandle => Policy?.Handle ?? EdgePolicyHandle.None;

    /// <summary>Writes bytes to the upstream server (set once the upstream connection is open; no lookups without it).</summary>
    public Action<ReadOnlyMemory<byte>>? SendUpstream { get; set; }

    private PolicySubject EffectiveSubject => Policy?.Subject ?? new PolicySubject(_tags.EndpointId, _tags.DatabaseUser ?? "", _tags.Person, _tags.PersonRole);

    /// <summary>
    /// The policy's answer for a statement: the one the policy check gave as the statement went upstream (once per
    /// statement), else evaluated now; <see cref="StatementVerdict.Allow"/> without a policy.
    /// </summary>
    private (StatementVerdict Verdict, byte[] Salt) Evaluate(string? sql)
    {
        var policy = PolicyHandle.Current;
        if (Policy?.TakeVerdict() is { } checkedVerdict)
        {
            return (checkedVerdict, policy.Salt);
        }

        if (ReferenceEquals(policy, EdgePolicy.None) || policy.Policy.Version == 0)
        {
            return (StatementVerdict.Allow, policy.Salt);
        }

        var now = _time.GetUtcNow();
        var subject = EffectiveSubject;
        var verdict = policy.Policy.Evaluate(subject, StatementAnalyzer.Analyze(sql), now, policy.HasGrant(subject.EndpointId, subject.Person, now));
        return (verdict, policy.Salt);
    }

    /// <summary>Keeps the verdict on the statement: its masks apply to the results, its redaction to the event.</summary>
    private static void ApplyVerdict(PendingStatement pending, StatementVerdict verdict, byte[] salt)
    {
        pending.Verdict = verdict;
        pending.Salt = salt;
    }

    private static bool HasMasks(PendingStatement pending) => pending.Verdict is { Masks.Count: > 0 };

    /// <summary>The event's parameters: keyed hashes in place of values when the verdict says to redact.</summary>
    private static IReadOnlyList<string?>? EventParameters(PendingStatement pending) =>
        pending.Verdict is { RedactValues: true } && pending.Parameters is { } parameters && pending.Salt is { } salt
            ? parameters.Select(p => p is null ? null : ValueHasher.Hash(salt, p)).ToList()
            : pending.Parameters;

    /// <summary>The event's SQL: literals replaced by keyed hashes when the verdict says to redact.</summary>
    private static string? EventSql(PendingStatement pending, string? sql) =>
        pending.Verdict is { RedactValues: true } && sql is not null && pending.Salt is { } salt ? SqlRedactor.Redact(sql, salt) : sql;

    /// <summary>Whether the server side must see whole messages of this code for masking (cheap when no masks apply).</summary>
    private bool MaskingRewrites(byte code) => code switch
    {
        _ when _lookupInFlight => true,
        BackendMessageCode.ReadyForQuery => LoggedIn && NeedsLookup(),
        BackendMessageCode.DataRow => Volatile.Read(ref _maskedInFlight) > 0,
        _ => false,
    };

    /// <summary>A masked statement's rows are held whole however large (up to the endpoint's message limit), so none leaks.</summary>
    private int MaskingRewriteLimit(byte code) =>
        _lookupInFlight || (code == BackendMessageCode.DataRow && Volatile.Read(ref _maskedInFlight) > 0) ? int.MaxValue : MessagePump.RewriteLimit;

    private bool NeedsLookup()
    {
        if (SendUpstream is null)
        {
            return false;
        }

        var policy = PolicyHandle.Current;
        if (policy.Policy.Version != _resolvedVersion)
        {
            _resolvedVersion = policy.Policy.Version;
            _resolver.Want(policy.Policy.MaskedColumns(EffectiveSubject));
            _catalogStale = true;
        }

        return _resolver.HasWanted && (_catalogStale || _resolver.HasUnasked);
    }

    /// <summary>Rewrites a server message for masking; false when masking has nothing to do with it.</summary>
    private bool TryRewriteForMasking(in ReadOnlySequence<byte> message, IBufferWriter<byte> output)
    {
        var code = message.FirstSpan[0];
        var body = message.Slice(MessageHeader.Size);
        if (_lookupInFlight)
        {
            // The catalog query's answer: none of it reaches the client or the audit trail.
            _swallowed = true;
            _resolver.OnAnswer(code, body);
            if (code == BackendMessageCode.ReadyForQuery)
            {
                _lookupInFlight = false;
                _resolver.EndLookup();
                _catalogStale = false;
                output.Write(_heldReady);
                _heldReady = null;
            }

            return true;
        }

        switch (code)
        {
            case BackendMessageCode.ReadyForQuery:
                if (StartLookup(message))
                {
                    return true;
                }

                break;
            case BackendMessageCode.DataRow:
                MaskRow(body, message, output);
                return true;
        }

        WriteUnchanged(message, output);
        return true;
    }

    /// <summary>At an idle ReadyForQuery with nothing else in flight: holds it back and sends the catalog query instead.</summary>
    private bool StartLookup(in ReadOnlySequence<byte> message)
    {
        if (message.Length != MessageHeader.Size + 1 || message.Slice(MessageHeader.Size).FirstSpan[0] != (byte)'I')
        {
            return false;
        }

        lock (_lock)
        {
            if (_pending.Count > 1)
            {
                return false;
            }
        }

        if (_resolver.BeginLookup() is not { } sql)
        {
            _catalogStale = false;
            return false;
        }

        _heldReady = message.ToArray();
        _lookupInFlight = true;
        SendUpstream!(QueryMessageWriter.Create(sql));
        return true;
    }

    /// <summary>How to mask the rows of <paramref name="head"/> with these columns (unknown columns: all NULL); null without masks.</summary>
    private RowPlan? PlanFor(PendingStatement head, IReadOnlyList<RowField>? fields)
    {
        if (!HasMasks(head))
        {
            return null;
        }

        var masks = head.Verdict!.Masks;
        if (fields is null)
        {
            return new RowPlan(null, [], head.Salt!);
        }

        var covered = _resolver.Covers(masks);
        if (!covered && _resolver.Want(masks))
        {
            _catalogStale = true;
        }

        var kinds = new MaskKind?[fields.Count];
        for (var i = 0; i < kinds.Length; i++)
        {
            var field = fields[i];
            kinds[i] = covered ? _resolver.Lookup(field.TableOid, field.AttributeNumber, masks)
                : field.TableOid >= FirstUserOid ? MaskKind.Redact : null;
        }

        return new RowPlan(kinds, [.. fields.Select(f => f.TypeOid)], head.Salt!);
    }

    private void MaskRow(in ReadOnlySequence<byte> body, in ReadOnlySequence<byte> message, IBufferWriter<byte> output)
    {
        var plan = _rowPlan;
        if (plan is null)
        {
            var head = PeekHead();
            if (head is null || !HasMasks(head))
            {
                WriteUnchanged(message, output);
                return;
            }

            // Rows of an Execute: the columns come from its portal's or statement's Describe; unknown columns (a
            // description lost or cut at the capture limit) make every value NULL (fail closed).
            plan = _rowPlan = PlanFor(head, FieldsOf(head))!;
        }

        if (plan.Kinds is { } kinds && !kinds.Any(k => k is not null))
        {
            WriteUnchanged(message, output);
            return;
        }

        var values = new List<byte[]?>();
        if (!DataRowMessage.TryParse(body, values))
        {
            // A malformed row cannot be masked: forwarded as a row of one NULL would change its shape, so pass nothing of it.
            DataRowMessage.WriteNulls(output, 0);
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (plan.Kinds is null || i >= plan.Kinds.Length)
            {
                values[i] = null;
            }
            else if (plan.Kinds[i] is { } kind)
            {
                values[i] = ResultMasker.Mask(kind, plan.Types[i], values[i], plan.Salt);
            }
        }

        DataRowMessage.Write(output, values);
    }

    /// <summary>Called for every server message after it went through: ends the row plan, notes DDL, counts masked statements.</summary>
    private void OnMaskingMessage(byte code, in ReadOnlySequence<byte> body)
    {
        switch (code)
        {
            case BackendMessageCode.RowDescription:
                OnRowDescription(body);
                break;
            case BackendMessageCode.NoData:
                OnNoData();
                break;
            case BackendMessageCode.CommandComplete:
                _rowPlan = null;
                _portalFields = null;
                if (CommandCompleteMessage.TryParse(body, out var complete) && IsDdl(complete.Tag))
                {
                    _catalogStale = true;
                }

                break;
            case BackendMessageCode.ErrorResponse or BackendMessageCode.EmptyQueryResponse:
                _rowPlan = null;
                _portalFields = null;
                break;
            case BackendMessageCode.ReadyForQuery:
                _rowPlan = null;
                _portalFields = null;
                EndDescribes();
                lock (_lock)
                {
                    _maskedInFlight = _pending.Count(HasMasks);
                }

                break;
        }
    }

    private bool TakeSwallowed()
    {
        var swallowed = _swallowed;
        _swallowed = false;
        return swallowed;
    }

    private static bool IsDdl(string tag) =>
        tag.StartsWith("CREATE", StringComparison.Ordinal) || tag.StartsWith("ALTER", StringComparison.Ordinal)
        || tag.StartsWith("DROP", StringComparison.Ordinal);

    private PendingStatement? PeekHead()
    {
        lock (_lock)
        {
            return _pending.TryPeek(out var head) && head.Kind != PendingKind.Sync ? head : null;
        }
    }

    private static void WriteUnchanged(in ReadOnlySequence<byte> message, IBufferWriter<byte> output)
    {
        foreach (var segment in message)
        {
            output.Write(segment.Span);
        }
    }

    /// <summary>How to mask the rows of one result: a mask (or none) per column; null kinds: every column NULL.</summary>
    private sealed record RowPlan(MaskKind?[]? Kinds, uint[] Types, byte[] Salt);
}
