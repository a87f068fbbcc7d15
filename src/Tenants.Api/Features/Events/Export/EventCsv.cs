using System.Globalization;
using System.Text;
using Tenants.Api.Features.Events.List;

namespace Tenants.Api.Features.Events.Export;

/// <summary>
/// Events as CSV for spreadsheets: RFC 4180 (comma, CRLF, fields with a comma, quote or line break quoted, quotes
/// doubled), and safe to open: a text cell starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return
/// gets a leading <c>'</c> so that no spreadsheet runs it as a formula (CSV injection).
/// </summary>
internal static class EventCsv
{
    public static readonly string[] Columns =
    [
        "index", "id", "time", "kind", "endpoint", "session", "user", "database", "person", "client", "application",
        "class", "tag", "rows", "sqlstate", "durationMicros", "fingerprint", "sql", "message",
    ];

    public static string Header() => string.Join(',', Columns) + "\r\n";

    public static string Row(EventItem e)
    {
        var line = new StringBuilder();
        Number(line, e.Index, first: true);
        Text(line, e.Id);
        Text(line, e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        Text(line, e.Kind);
        Text(line, e.Endpoint);
        Text(line, e.Session);
        Text(line, e.User);
        Text(line, e.Database);
        Text(line, e.Person);
        Text(line, e.ClientAddress);
        Text(line, e.ApplicationName);
        Text(line, e.StatementClass);
        Text(line, e.CommandTag);
        Number(line, e.Rows);
        Text(line, e.SqlState);
        Number(line, e.DurationMicros);
        Text(line, e.Fingerprint);
        Text(line, e.Sql);
        Text(line, e.Message);
        return line.Append("\r\n").ToString();
    }

    /// <summary>One text cell, guarded and quoted as needed.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void Text(StringBuilder line, string? value) => line.Append(',').Append(Cell(value));

    private static void Number(StringBuilder line, long? value, bool first = false)
    {
        if (!first)
        {
            line.Append(',');
        }

        if (value is { } n)
        {
            line.Append(n.ToString(CultureInfo.InvariantCulture));
        }
    }
}
