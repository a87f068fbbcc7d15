using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tenants.Api.Features.Policies;

/// <summary>
/// The canonical pretty-printed form of a policy document, which diffs compare: object properties sorted by name
/// (ordinal), two-space indentation, one value per line. Arrays keep their order, since rule order may matter.
/// </summary>
internal static class PolicyDocumentFormat
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Canonical(string document)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(document);
        }
        catch (JsonException)
        {
            // Versions published before the schema check may not be JSON: compare them as they are.
            return document;
        }

        return Sorted(node)?.ToJsonString(Indented) ?? "null";
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        null => null,
        _ => node.DeepClone(),
    };

    public static int Size(string document) => Encoding.UTF8.GetByteCount(document);
}
