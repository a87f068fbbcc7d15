using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Tenants.Policy.Rules;

internal sealed partial class PolicyDocumentReader
{
    private const int MaxNameLength = 200;
    private const int MaxListLength = 1_000;

    private void Problem(string path, string message) => _problems.Add(new PolicyProblem(path, message));

    private void UnknownFields(JsonElement obj, string path, string[] allowed, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                Problem($"{path}.{property.Name}", $"field '{property.Name}' appears more than once");
            }
            else if (!allowed.Contains(property.Name))
            {
                var hint = allowed.FirstOrDefault(a => string.Equals(a, property.Name, StringComparison.OrdinalIgnoreCase)) is { } near
                    ? $" (did you mean '{near}'?)"
                    : "";
                Problem($"{path}.{property.Name}", $"unknown field '{property.Name}'{hint}; {what} {string.Join(", ", allowed)}");
            }
        }
    }

    private string? OptionalString(JsonElement obj, string name, string path, int max)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text || text.Length > max)
        {
            Problem($"{path}.{name}", $"{name} must be a string of 1-{max} characters, not {Describe(value)}");
            return null;
        }

        return text;
    }

    /// <summary>A list of names (ids, users, schemas): a non-empty array of non-empty strings.</summary>
    private FrozenSet<string>? NameSet(JsonElement rule, string name, string path)
    {
        var items = StringList(rule, name, path, (text, at) =>
        {
            if (text.Length > MaxNameLength || text.Any(char.IsControl) || text != text.Trim())
            {
                Problem(at, $"'{Cut(text)}' is not a name: 1-{MaxNameLength} characters without control characters or surrounding spaces");
                return null;
            }

            return text;
        });
        return items?.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>A list of words from a fixed vocabulary (kinds, roles), case-insensitive, stored lower-case.</summary>
    private FrozenSet<string>? Vocabulary(JsonElement rule, string name, string path, IReadOnlyList<string> words, string what)
    {
        var items = StringList(rule, name, path, (text, at) =>
        {
            var lower = text.ToLowerInvariant();
            if (!words.Contains(lower))
            {
                Problem(at, $"unknown {what} '{Cut(text)}'; {name} are {string.Join(", ", words)}");
                return null;
            }

            return lower;
        });
        return items?.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    private FrozenSet<string>? Commands(JsonElement rule, string path)
    {
        var items = StringList(rule, "commands", path, (text, at) =>
        {
            var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || text.Length > 64 || words.Any(w => !w.All(char.IsAsciiLetter)))
            {
                Problem(at, $"'{Cut(text)}' is not a command: words of letters as PostgreSQL names them, such as 'DROP TABLE' or 'TRUNCATE TABLE'");
                return null;
            }

            return string.Join(' ', words).ToUpperInvariant();
        });
        return items?.ToFrozenSet(StringComparer.Ordinal);
    }

    private RelationMatcher? Relations(JsonElement rule, string path)
    {
        List<string> qualified = [], bare = [], schemas = [];
        var items = StringList(rule, "relations", path, (text, at) =>
        {
            var parts = text.Split('.');
            if (text.Length > MaxNameLength || parts.Length > 2 || parts.Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace) || p.Any(char.IsControl))
                || parts[0] == "*" || (parts.Length == 1 && text.Contains('*')) || (parts.Length == 2 && parts[1].Contains('*') && parts[1] != "*"))
            {
                Problem(at, $"'{Cut(text)}' is not a relation: write table, schema.table or schema.*");
                return null;
            }

            (parts.Length == 1 ? bare : parts[1] == "*" ? schemas : qualified).Add(parts.Length == 2 && parts[1] == "*" ? parts[0] : text);
            return text;
        });
        return items is null ? null : new RelationMatcher(qualified, bare, schemas);
    }

    private List<string>? StringList(JsonElement rule, string name, string path, Func<string, string, string?> check)
    {
        if (!rule.TryGetProperty(name, out var list))
        {
            return null;
        }

        var at = $"{path}.{name}";
        if (list.ValueKind != JsonValueKind.Array)
        {
            Problem(at, $"{name} must be an array of strings, not {Describe(list)}");
            return null;
        }

        var count = list.GetArrayLength();
        if (count is 0 or > MaxListLength)
        {
            Problem(at, count == 0
                ? $"{name} is empty, so the rule could never apply; leave {name} out to match any"
                : $"{name} has {count} entries; at most {MaxListLength} are allowed");
            return null;
        }

        var result = new List<string>(count);
        var ok = true;
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemPath = $"{at}[{i++}]";
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } text)
            {
                Problem(itemPath, $"an entry of {name} must be a non-empty string, not {Describe(item)}");
                ok = false;
            }
            else if (check(text, itemPath) is { } value)
            {
                result.Add(value);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? result : null;
    }

    private bool TrueFlag(JsonElement rule, string name, string path)
    {
        if (!rule.TryGetProperty(name, out var value))
        {
            return false;
        }

        if (value.ValueKind != JsonValueKind.True)
        {
            Problem($"{path}.{name}", value.ValueKind == JsonValueKind.False
                ? $"{name} can only be true (a condition); leave it out to match statements either way"
                : $"{name} must be true, not {Describe(value)}");
            return false;
        }

        return true;
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {Show(e)}",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{e.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private static string Show(JsonElement e) => e.ValueKind == JsonValueKind.String ? $"'{Cut(e.GetString() ?? "")}'" : Describe(e);

    private static string Cut(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
