using System.Text.Json;

namespace Tenants.Abstractions.Audit;

/// <summary>
/// The ledger's JSON form of an event's body (the <c>event</c> object of an entry). Properties are written in this
/// fixed order and absent when null, so the same event always gives the same bytes. The names are a stored format:
/// add new ones at the end, never rename.
/// </summary>
public static class AuditEventJson
{
    /// <summary>The kind as stored in the entry header.</summary>
    public static string KindName(AuditEventKind kind) => kind switch
    {
        AuditEventKind.ConnectionAccepted => "connection_accepted",
        AuditEventKind.ConnectionRefused => "connection_refused",
        AuditEventKind.LoginSucceeded => "login_succeeded",
        AuditEventKind.LoginFailed => "login_failed",
        AuditEventKind.Statement => "statement",
        AuditEventKind.SessionEnded => "session_ended",
        AuditEventKind.StatementSubmitted => "statement_submitted",
        AuditEventKind.SessionSummary => "session_summary",
        AuditEventKind.TenantChanged => "tenant_changed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown event kind"),
    };

    /// <summary>Parses a stored kind name.</summary>
    public static bool TryParseKind(string name, out AuditEventKind kind)
    {
        foreach (var candidate in Enum.GetValues<AuditEventKind>())
        {
            if (KindName(candidate) == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>Writes the properties of the event body (the caller opens and closes the object).</summary>
    public static void WriteBody(Utf8JsonWriter writer, AuditEvent e)
    {
        writer.WriteString("id", e.EventId);
        writer.WriteString("endpoint", e.EndpointId);
        writer.WriteString("session", e.SessionId);
        String(writer, "client", e.ClientAddress);
        String(writer, "node", e.ProxyNode);
        String(writer, "user", e.DatabaseUser);
        String(writer, "database", e.Database);
        String(writer, "application", e.ApplicationName);
        String(writer, "protocol", e.Protocol);
        String(writer, "sql", e.Sql);
        String(writer, "class", e.StatementClass);
        String(writer, "tag", e.CommandTag);
        Number(writer, "rows", e.Rows);
        String(writer, "sqlstate", e.SqlState);
        String(writer, "message", e.Message);
        Number(writer, "duration_us", e.DurationMicros);
        Number(writer, "bytes_from_client", e.BytesFromClient);
        Number(writer, "bytes_from_server", e.BytesFromServer);
        Number(writer, "statements", e.Statements);
        String(writer, "tls", e.TlsProtocol);
        String(writer, "tls_cipher", e.TlsCipher);
        String(writer, "server_name", e.ServerName);
        if (e.Parameters is { } parameters)
        {
            writer.WriteStartArray("params");
            foreach (var parameter in parameters)
            {
                if (parameter is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(parameter);
                }
            }

            writer.WriteEndArray();
        }

        String(writer, "copy_direction", e.CopyDirection);
        Number(writer, "copy_bytes", e.CopyBytes);
        String(writer, "copy_sha256", e.CopySha256);
        if (e.Summary is { } summary)
        {
            WriteSummary(writer, summary);
        }

        String(writer, "person", e.Person);
        String(writer, "policy_decision", e.PolicyDecision);
        String(writer, "policy_rule", e.PolicyRuleId);
        Number(writer, "policy_version", e.PolicyVersion);
        String(writer, "policy_sha256", e.PolicyVersionHash);
    }

    /// <summary>Reads an event back from its entry: header fields plus the body object.</summary>
    public static AuditEvent ReadBody(JsonElement body, string tenantId, AuditEventKind kind, DateTimeOffset time) => new()
    {
        EventId = Str(body, "id") ?? string.Empty,
        Kind = kind,
        Time = time,
        TenantId = tenantId,
        EndpointId = Str(body, "endpoint") ?? string.Empty,
        SessionId = Str(body, "session") ?? string.Empty,
        ClientAddress = Str(body, "client"),
        ProxyNode = Str(body, "node"),
        DatabaseUser = Str(body, "user"),
        Database = Str(body, "database"),
        ApplicationName = Str(body, "application"),
        Protocol = Str(body, "protocol"),
        Sql = Str(body, "sql"),
        StatementClass = Str(body, "class"),
        CommandTag = Str(body, "tag"),
        Rows = Num(body, "rows"),
        SqlState = Str(body, "sqlstate"),
        Message = Str(body, "message"),
        DurationMicros = Num(body, "duration_us"),
        BytesFromClient = Num(body, "bytes_from_client"),
        BytesFromServer = Num(body, "bytes_from_server"),
        Statements = Num(body, "statements"),
        TlsProtocol = Str(body, "tls"),
        TlsCipher = Str(body, "tls_cipher"),
        ServerName = Str(body, "server_name"),
        Parameters = body.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null).ToList()
            : null,
        CopyDirection = Str(body, "copy_direction"),
        CopyBytes = Num(body, "copy_bytes"),
        CopySha256 = Str(body, "copy_sha256"),
        Summary = body.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.Object ? ReadSummary(s) : null,
        Person = Str(body, "person"),
        PolicyDecision = Str(body, "policy_decision"),
        PolicyRuleId = Str(body, "policy_rule"),
        PolicyVersion = (int?)Num(body, "policy_version"),
        PolicyVersionHash = Str(body, "policy_sha256"),
    };

    // The summary object, in the order ledger-format.md ("Session summaries") gives; SQLSTATEs in ordinal order.
    private static void WriteSummary(Utf8JsonWriter writer, AuditSessionSummary summary)
    {
        writer.WriteStartObject("summary");
        writer.WriteNumber("first_leaf", summary.FirstLeaf);
        writer.WriteNumber("last_leaf", summary.LastLeaf);
        writer.WriteNumber("entries", summary.Entries);
        writer.WriteNumber("statements", summary.Statements);
        writer.WriteNumber("errors", summary.Errors);
        writer.WriteNumber("refused", summary.Refused);
        writer.WriteNumber("rows", summary.Rows);
        writer.WriteNumber("bytes_from_client", summary.BytesFromClient);
        writer.WriteNumber("bytes_from_server", summary.BytesFromServer);
        writer.WriteStartObject("sqlstates");
        foreach (var (state, count) in summary.SqlStates.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(state, count);
        }

        writer.WriteEndObject();
        writer.WriteString("digest", summary.Digest);
        writer.WriteEndObject();
    }

    private static AuditSessionSummary ReadSummary(JsonElement s) => new()
    {
        FirstLeaf = Num(s, "first_leaf") ?? -1,
        LastLeaf = Num(s, "last_leaf") ?? -1,
        Entries = Num(s, "entries") ?? 0,
        Statements = Num(s, "statements") ?? 0,
        Errors = Num(s, "errors") ?? 0,
        Refused = Num(s, "refused") ?? 0,
        Rows = Num(s, "rows") ?? 0,
        BytesFromClient = Num(s, "bytes_from_client") ?? 0,
        BytesFromServer = Num(s, "bytes_from_server") ?? 0,
        SqlStates = s.TryGetProperty("sqlstates", out var states) && states.ValueKind == JsonValueKind.Object
            ? states.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out _))
                .ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal)
            : new Dictionary<string, long>(StringComparer.Ordinal),
        Digest = Str(s, "digest") ?? string.Empty,
    };

    private static void String(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static string? Str(JsonElement body, string name) =>
        body.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static long? Num(JsonElement body, string name) =>
        body.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt64(out var v) ? v : null;
}
