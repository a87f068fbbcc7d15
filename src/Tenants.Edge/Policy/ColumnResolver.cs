using System.Buffers;
using System.Globalization;
using System.Text;
using Tenants.PgWire;
using Tenants.PgWire.Backend;
using Tenants.Policy.Rules;

namespace Tenants.Edge.Policy;

/// <summary>
/// Turns the (table, column) names of column masks into the (table OID, attribute number) pairs RowDescription
/// carries, from the answer to a catalog query the session sends over its own upstream connection. Used by one
/// thread (the session's server side).
/// </summary>
internal sealed class ColumnResolver
{
    /// <summary>The comment the catalog query starts with (server logs show where it came from).</summary>
    public const string Marker = "/* tenants edge: masked column lookup */";

    private static readonly string[] ExpectedColumns = ["oid", "attnum", "nspname", "relname", "attname"];

    private readonly HashSet<(string Table, string Column)> _wanted = [];
    private HashSet<(string Table, string Column)> _asked = [];
    private HashSet<(string Table, string Column)>? _asking;
    private Dictionary<(uint Table, short Attribute), (string Schema, string Table, string Column)> _columns = [];
    private Dictionary<(uint Table, short Attribute), (string Schema, string Table, string Column)>? _answer;
    private bool _answerValid;

    /// <summary>True when the last lookup failed: masks cannot be placed, so every table column is masked (fail closed).</summary>
    public bool Failed { get; private set; }

    /// <summary>True when any name is wanted.</summary>
    public bool HasWanted => _wanted.Count > 0;

    /// <summary>True when some names are wanted that the last successful lookup did not ask for.</summary>
    public bool HasUnasked => _wanted.Count > 0 && !_wanted.IsSubsetOf(_asked);

    /// <summary>Notes the names of <paramref name="masks"/> as wanted; true if any was not wanted before.</summary>
    public bool Want(IEnumerable<ColumnMask> masks)
    {
        var added = false;
        foreach (var mask in masks)
        {
            if (!mask.Table.Contains('\0') && !mask.Column.Contains('\0'))
            {
                added |= _wanted.Add((mask.Table, mask.Column));
            }
        }

        return added;
    }

    /// <summary>True when the last successful lookup covered every name in <paramref name="masks"/>.</summary>
    public bool Covers(IReadOnlyList<ColumnMask> masks) => !Failed && masks.All(m => _asked.Contains((m.Table, m.Column)));

    /// <summary>The catalog query for every wanted name (null when none is wanted); starts an exchange.</summary>
    public string? BeginLookup()
    {
        if (_wanted.Count == 0)
        {
            return null;
        }

        _asking = [.. _wanted];
        _answer = [];
        _answerValid = false;
        var pairs = string.Join(", ", _asking.OrderBy(p => p.Table, StringComparer.Ordinal).ThenBy(p => p.Column, StringComparer.Ordinal)
            .Select(p => $"({Literal(p.Table)}, {Literal(p.Column)})"));
        return $"{Marker} SELECT c.oid, a.attnum, n.nspname, c.relname, a.attname"
            + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + $" WHERE a.attnum > 0 AND NOT a.attisdropped AND (c.relname::text, a.attname::text) IN ({pairs})";
    }

    /// <summary>A message of the catalog query's answer (the whole message, header included).</summary>
    public void OnAnswer(byte code, in ReadOnlySequence<byte> body)
    {
        if (_answer is null)
        {
            return;
        }

        switch (code)
        {
            case BackendMessageCode.RowDescription:
                _answerValid = RowDescriptionMessage.TryParse(body, out var description)
                    && description!.Fields.Select(f => f.Name).SequenceEqual(ExpectedColumns);
                break;
            case BackendMessageCode.DataRow:
                var values = new List<byte[]?>(5);
                if (!_answerValid || !DataRowMessage.TryParse(body, values) || values.Count != 5 || values.Any(v => v is null)
                    || !uint.TryParse((ReadOnlySpan<byte>)values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var oid)
                    || !short.TryParse((ReadOnlySpan<byte>)values[1], NumberStyles.None, CultureInfo.InvariantCulture, out var attnum))
                {
                    _answerValid = false;
                    break;
                }

                _answer[(oid, attnum)] = (Encoding.UTF8.GetString(values[2]!), Encoding.UTF8.GetString(values[3]!), Encoding.UTF8.GetString(values[4]!));
                break;
            case BackendMessageCode.ErrorResponse:
                _answerValid = false;
                break;
        }
    }

    /// <summary>Ends the exchange at its ReadyForQuery: the answer replaces the previous one, or the lookup failed.</summary>
    public void EndLookup()
    {
        if (_answerValid && _answer is not null && _asking is not null)
        {
            _columns = _answer;
            _asked = _asking;
            Failed = false;
        }
        else
        {
            // Not asked again until the catalog or the policy changes; meanwhile masks fail closed.
            _asked = _asking ?? _asked;
            Failed = true;
        }

        _answer = null;
        _asking = null;
    }

    /// <summary>The mask for a result column, from its table OID and attribute number; null when none applies.</summary>
    public MaskKind? Lookup(uint tableOid, short attribute, IReadOnlyList<ColumnMask> masks)
    {
        if (tableOid == 0 || !_columns.TryGetValue((tableOid, attribute), out var name))
        {
            return null;
        }

        foreach (var mask in masks)
        {
            if (mask.Table == name.Table && mask.Column == name.Column && (mask.Schema is null || mask.Schema == name.Schema))
            {
                return mask.Kind;
            }
        }

        return null;
    }

    /// <summary>A string literal safe in any setting of standard_conforming_strings.</summary>
    internal static string Literal(string value) =>
        value.Contains('\\') ? "E'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'"
            : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
