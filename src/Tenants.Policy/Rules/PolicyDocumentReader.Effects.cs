using System.Text.Json;

namespace Tenants.Policy.Rules;

internal sealed partial class PolicyDocumentReader
{
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private static readonly string[] MaskKinds = ["redact", "partial", "hash"];

    private static readonly string[] WindowFields = ["days", "from", "to", "timeZone", "not"];

    private static readonly string[] ColumnFields = ["schema", "table", "column", "mask"];

    private const long MaxMaxRows = 1_000_000_000_000;

    private TimeWindow[]? Windows(JsonElement rule, string path)
    {
        if (!rule.TryGetProperty("when", out var when))
        {
            return null;
        }

        var at = $"{path}.when";
        if (when.ValueKind == JsonValueKind.Object)
        {
            return Window(when, at) is { } single ? [single] : null;
        }

        if (when.ValueKind != JsonValueKind.Array || when.GetArrayLength() is 0 or > 50)
        {
            Problem(at, $"when must be a time window (an object) or an array of 1-50 of them, not {Describe(when)}");
            return null;
        }

        var windows = new List<TimeWindow>();
        var i = 0;
        var ok = true;
        foreach (var item in when.EnumerateArray())
        {
            if (Window(item, $"{at}[{i++}]") is { } window)
            {
                windows.Add(window);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? [.. windows] : null;
    }

    private TimeWindow? Window(JsonElement window, string path)
    {
        if (window.ValueKind != JsonValueKind.Object)
        {
            Problem(path, $"a time window must be an object with days, from, to, timeZone, not; not {Describe(window)}");
            return null;
        }

        var before = _problems.Count;
        UnknownFields(window, path, WindowFields, "a time window has");
        var days = TimeWindow.AllDays;
        if (window.TryGetProperty("days", out _))
        {
            days = 0;
            foreach (var day in StringList(window, "days", path, (text, at) =>
            {
                var index = Array.IndexOf(Days, text.Length >= 3 ? text[..3].ToLowerInvariant() : "");
                var full = index < 0 ? null : ((DayOfWeek)index).ToString();
                if (index < 0 || (text.Length > 3 && !string.Equals(text, full, StringComparison.OrdinalIgnoreCase)))
                {
                    Problem(at, $"unknown day '{Cut(text)}'; days are mon, tue, wed, thu, fri, sat, sun");
                    return null;
                }

                return Days[index];
            }) ?? [])
            {
                days |= 1 << Array.IndexOf(Days, day);
            }
        }

        var from = Clock(window, "from", path, allowMidnightEnd: false);
        var to = Clock(window, "to", path, allowMidnightEnd: true);
        var hasFrom = window.TryGetProperty("from", out _);
        var hasTo = window.TryGetProperty("to", out _);
        if (hasFrom != hasTo)
        {
            Problem(path, "from and to go together: give both (\"from\": \"22:00\", \"to\": \"06:00\") or neither for whole days");
        }
        else if (from is not null && from == to)
        {
            Problem(path, $"from and to are both {window.GetProperty("from").GetString()}; leave both out for whole days");
        }
        else if (!hasFrom && !window.TryGetProperty("days", out _))
        {
            Problem(path, "a time window needs days, or from and to, or both");
        }

        var zone = TimeZoneInfo.Utc;
        if (OptionalString(window, "timeZone", path, 100) is { } zoneId)
        {
            if (zoneId is "UTC" or "Etc/UTC")
            {
                zone = TimeZoneInfo.Utc;
            }
            else if (!zoneId.Contains('/') || !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out zone))
            {
                Problem($"{path}.timeZone", $"unknown time zone '{Cut(zoneId)}'; use an IANA name such as Europe/Berlin, America/New_York or UTC");
            }
        }

        var outside = false;
        if (window.TryGetProperty("not", out var not))
        {
            if (not.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                outside = not.GetBoolean();
            }
            else
            {
                Problem($"{path}.not", $"not must be true or false, not {Describe(not)}");
            }
        }

        return _problems.Count == before ? new TimeWindow(days, from, to, zone!, outside) : null;
    }

    /// <summary>A time of day "HH:mm" as minutes after midnight; "24:00" only as the end of a window.</summary>
    private int? Clock(JsonElement window, string name, string path, bool allowMidnightEnd)
    {
        if (!window.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        if (text.Length == 5 && text[2] == ':' && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[3])
            && char.IsAsciiDigit(text[4]))
        {
            var hours = ((text[0] - '0') * 10) + (text[1] - '0');
            var minutes = ((text[3] - '0') * 10) + (text[4] - '0');
            if ((hours < 24 && minutes < 60) || (allowMidnightEnd && hours == 24 && minutes == 0))
            {
                return (hours * 60) + minutes;
            }
        }

        Problem($"{path}.{name}", $"{name} must be a time of day \"HH:mm\" from 00:00 to 23:59{(allowMidnightEnd ? " (or 24:00)" : "")}, not {Describe(value)}");
        return null;
    }

    private StatementVerdict? Denial(JsonElement rule, string path, string? id, string fallback)
    {
        var message = OptionalString(rule, "message", path, 500);
        if (message is not null && message.Any(char.IsControl))
        {
            Problem($"{path}.message", "message must not contain control characters");
        }

        return new StatementVerdict
        {
            Denied = true,
            RuleId = id,
            Message = message is null ? fallback : $"{message} (policy rule '{id}')",
        };
    }

    private ColumnMask[] Columns(JsonElement rule, string path, string id)
    {
        var at = $"{path}.columns";
        if (!rule.TryGetProperty("columns", out var columns))
        {
            Problem(at, "a mask rule needs columns: [{\"table\": \"users\", \"column\": \"email\", \"mask\": \"partial\"}]");
            return [];
        }

        if (columns.ValueKind != JsonValueKind.Array || columns.GetArrayLength() is 0 or > MaxListLength)
        {
            Problem(at, $"columns must be an array of 1-{MaxListLength} columns, not {Describe(columns)}");
            return [];
        }

        var masks = new List<ColumnMask>();
        var i = 0;
        foreach (var column in columns.EnumerateArray())
        {
            var itemPath = $"{at}[{i++}]";
            if (column.ValueKind != JsonValueKind.Object)
            {
                Problem(itemPath, $"a column is an object with table, column, mask and optionally schema; not {Describe(column)}");
                continue;
            }

            UnknownFields(column, itemPath, ColumnFields, "a column has");
            var schema = Identifier(column, "schema", itemPath, required: false);
            var table = Identifier(column, "table", itemPath, required: true);
            var name = Identifier(column, "column", itemPath, required: true);
            MaskKind? kind = null;
            if (!column.TryGetProperty("mask", out var mask) || mask.ValueKind != JsonValueKind.String
                || Array.IndexOf(MaskKinds, mask.GetString()!.ToLowerInvariant()) is var k && k < 0)
            {
                Problem($"{itemPath}.mask", mask.ValueKind == JsonValueKind.Undefined
                    ? "mask is required: redact, partial or hash"
                    : $"mask {Show(mask)} is not one of redact, partial, hash");
            }
            else
            {
                kind = (MaskKind)k;
            }

            if (table is not null && name is not null && kind is not null)
            {
                masks.Add(new ColumnMask(schema, table, name, kind.Value, id));
            }
        }

        return [.. masks];
    }

    private string? Identifier(JsonElement column, string name, string path, bool required)
    {
        if (!column.TryGetProperty(name, out var value))
        {
            if (required)
            {
                Problem($"{path}.{name}", $"{name} is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 63 } text || text.Any(char.IsControl)
            || text.Contains('.') || text == "*")
        {
            Problem($"{path}.{name}", $"{name} must be a name of 1-63 characters (no dots, no wildcards), not {Describe(value)}");
            return null;
        }

        return text;
    }

    private void RedactValues(JsonElement rule, string path)
    {
        if (rule.TryGetProperty("values", out var values) && values.ValueKind != JsonValueKind.True)
        {
            Problem($"{path}.values", values.ValueKind == JsonValueKind.False
                ? "values false would redact nothing; leave values out (it defaults to true) or remove the rule"
                : $"values must be true, not {Describe(values)}");
        }
    }

    private EffectDraft ReadLimit(JsonElement rule, EffectDraft draft)
    {
        var path = draft.Path;
        long? maxRows = null;
        double? rate = null;
        int? sessions = null;
        if (rule.TryGetProperty("maxRows", out var rows))
        {
            if (rows.ValueKind == JsonValueKind.Number && rows.TryGetInt64(out var n) && n is >= 1 and <= MaxMaxRows)
            {
                maxRows = n;
            }
            else
            {
                Problem($"{path}.maxRows", $"maxRows must be a whole number from 1 to {MaxMaxRows}, not {Describe(rows)}");
            }
        }

        if (rule.TryGetProperty("statementsPerSecond", out var perSecond))
        {
            if (perSecond.ValueKind == JsonValueKind.Number && perSecond.TryGetDouble(out var x) && x is >= 0.001 and <= 1_000_000)
            {
                rate = x;
            }
            else
            {
                Problem($"{path}.statementsPerSecond", $"statementsPerSecond must be a number from {Number(0.001)} to 1000000, not {Describe(perSecond)}");
            }
        }

        if (rule.TryGetProperty("concurrentSessions", out var concurrent))
        {
            if (concurrent.ValueKind == JsonValueKind.Number && concurrent.TryGetInt32(out var c) && c is >= 1 and <= 100_000)
            {
                sessions = c;
            }
            else
            {
                Problem($"{path}.concurrentSessions", $"concurrentSessions must be a whole number from 1 to 100000, not {Describe(concurrent)}");
            }
        }

        var hasAny = rule.TryGetProperty("maxRows", out _) || rule.TryGetProperty("statementsPerSecond", out _) || rule.TryGetProperty("concurrentSessions", out _);
        if (!hasAny)
        {
            Problem(path, "a limit rule needs maxRows, statementsPerSecond or concurrentSessions");
        }
        else if (draft.HasStatementCondition && !rule.TryGetProperty("maxRows", out _))
        {
            Problem(path, "statement conditions (kinds, commands, relations, ...) apply only to maxRows; "
                + "statementsPerSecond and concurrentSessions count whole sessions, so scope them with endpoints, databaseUsers, persons, roles or when");
        }

        return draft with { MaxRows = maxRows, StatementsPerSecond = rate, ConcurrentSessions = sessions };
    }
}
