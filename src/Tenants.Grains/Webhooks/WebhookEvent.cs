using System.Text.Json;

namespace Tenants.Grains.Webhooks;

/// <summary>A sealed entry with the fields webhook filters look at.</summary>
public sealed record WebhookEvent(long LeafIndex, string? EventId, string? Kind, string? Endpoint, string? StatementClass, ReadOnlyMemory<byte> Entry)
{
    /// <summary>Reads the header's kind and the event's id, endpoint and class from a sealed entry.</summary>
    public static WebhookEvent Parse(long leafIndex, ReadOnlyMemory<byte> entry)
    {
        try
        {
            using var document = JsonDocument.Parse(entry);
            var root = document.RootElement;
            var body = root.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
            return new WebhookEvent(leafIndex, Text(body, "id"), Text(root, "kind"), Text(body, "endpoint"), Text(body, "class"), entry);
        }
        catch (JsonException)
        {
            // The verifier reports a malformed entry; delivery passes it on as it is (validated raw JSON is not needed).
            return new WebhookEvent(leafIndex, null, null, null, null, entry);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
