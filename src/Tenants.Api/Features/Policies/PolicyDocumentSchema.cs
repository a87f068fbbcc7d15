using System.Text;
using System.Text.Json;
using Tenants.Policy.Rules;

namespace Tenants.Api.Features.Policies;

/// <summary>
/// The checks a policy document passes before it is published or dry-run: at most 1 MiB, one well-formed JSON value
/// (no comments, depth at most 32, nothing after it), and then the policy language itself, which
/// <see cref="PolicyCompiler"/> checks (docs/policy.md). Every problem is reported with its JSON path.
/// </summary>
public static class PolicyDocumentSchema
{
    public const int MaxBytes = 1 << 20;

    public static IReadOnlyList<string> Effects => PolicyCompiler.Effects;

    /// <summary>The problems of <paramref name="utf8"/> as <c>(path, message)</c>; none when it may be published.</summary>
    public static IReadOnlyList<(string Path, string Message)> Check(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            return [("$", $"the document is {utf8.Length} bytes; at most {MaxBytes} are allowed")];
        }

        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 32 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.BytesConsumed != utf8.Length && !IsWhiteSpace(utf8[(int)reader.BytesConsumed..]))
            {
                return [("$", "the document has content after its JSON value")];
            }
        }
        catch (JsonException ex)
        {
            return [(ex.Path is { Length: > 0 } p ? p : "$", $"not well-formed JSON: {ex.Message}")];
        }

        return [.. Compile(Text(utf8)).Problems.Select(p => (p.Path, p.Message))];
    }

    /// <summary>Compiles a document that passed the JSON-level checks (version 0: not published).</summary>
    public static PolicyCompilation Compile(string document) => PolicyCompiler.Compile(document, 0, "");

    private static bool IsWhiteSpace(ReadOnlySpan<byte> rest) => rest.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    /// <summary>The document as UTF-8 text (for storage, once checked).</summary>
    public static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}
