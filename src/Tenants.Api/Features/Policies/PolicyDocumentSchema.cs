using System.Text;
using System.Text.Json;

namespace Tenants.Api.Features.Policies;

/// <summary>
/// The shape a policy document must have before it is published: a JSON object of at most 1 MiB with a <c>rules</c>
/// array; each rule has a unique <c>id</c>, an <c>effect</c> (deny, mask, limit, require-grant, redact) and an optional
/// <c>description</c>. Unknown top-level fields are refused. Every problem is reported with its JSON path. This is the
/// one place the schema lives: issue 7 (the policy model and evaluator) replaces it.
/// </summary>
public static class PolicyDocumentSchema
{
    public const int MaxBytes = 1 << 20;

    public static IReadOnlyList<string> Effects { get; } = ["deny", "mask", "limit", "require-grant", "redact"];

    private static readonly string[] TopLevel = ["version", "description", "rules"];

    /// <summary>The problems of <paramref name="utf8"/> as <c>(path, message)</c>; none when it may be published.</summary>
    public static IReadOnlyList<(string Path, string Message)> Check(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            return [("$", $"the document is {utf8.Length} bytes; at most {MaxBytes} are allowed")];
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 32 });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.BytesConsumed != utf8.Length && !IsWhiteSpace(utf8[(int)reader.BytesConsumed..]))
            {
                document.Dispose();
                return [("$", "the document has content after its JSON value")];
            }
        }
        catch (JsonException ex)
        {
            return [(ex.Path is { Length: > 0 } p ? p : "$", $"not well-formed JSON: {ex.Message}")];
        }

        using (document)
        {
            return Check(document.RootElement);
        }
    }

    private static List<(string, string)> Check(JsonElement root)
    {
        var errors = new List<(string, string)>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(("$", $"a policy document is a JSON object, not {Kind(root)}"));
            return errors;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!TopLevel.Contains(property.Name))
            {
                errors.Add(($"$.{property.Name}", $"unknown field '{property.Name}'; a policy document has {string.Join(", ", TopLevel)}"));
            }
        }

        if (root.TryGetProperty("version", out var version) && version.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
        {
            errors.Add(("$.version", "version must be a number or a string"));
        }

        if (root.TryGetProperty("description", out var description) && description.ValueKind != JsonValueKind.String)
        {
            errors.Add(("$.description", "description must be a string"));
        }

        if (!root.TryGetProperty("rules", out var rules))
        {
            errors.Add(("$.rules", "rules is required (an array, possibly empty)"));
            return errors;
        }

        if (rules.ValueKind != JsonValueKind.Array)
        {
            errors.Add(("$.rules", $"rules must be an array, not {Kind(rules)}"));
            return errors;
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var rule in rules.EnumerateArray())
        {
            var path = $"$.rules[{index}]";
            if (rule.ValueKind != JsonValueKind.Object)
            {
                errors.Add((path, $"a rule must be an object, not {Kind(rule)}"));
            }
            else
            {
                CheckRule(rule, path, index, ids, errors);
            }

            index++;
        }

        return errors;
    }

    private static void CheckRule(JsonElement rule, string path, int index, Dictionary<string, int> ids, List<(string, string)> errors)
    {
        if (!rule.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= 100 } text
            || text.Any(char.IsControl))
        {
            errors.Add(($"{path}.id", "id is required: a string of 1-100 characters without control characters"));
        }
        else if (ids.TryGetValue(text, out var first))
        {
            errors.Add(($"{path}.id", $"id '{text}' is already used by $.rules[{first}]; rule ids must be unique"));
        }
        else
        {
            ids[text] = index;
        }

        if (!rule.TryGetProperty("effect", out var effect) || effect.ValueKind != JsonValueKind.String || !Effects.Contains(effect.GetString()))
        {
            errors.Add(($"{path}.effect", $"effect is required: one of {string.Join(", ", Effects)}"));
        }

        if (rule.TryGetProperty("description", out var description) && description.ValueKind != JsonValueKind.String)
        {
            errors.Add(($"{path}.description", "description must be a string"));
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private static bool IsWhiteSpace(ReadOnlySpan<byte> rest) => rest.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    /// <summary>The document as UTF-8 text (for storage, once checked).</summary>
    public static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}
