using System.Text.Json;

namespace Tenants.Grains.Webhooks;

/// <summary>
/// The body of a delivery: <c>{ "webhook", "delivery", "tenant", "kind", "events": [{ "index", "id", "kind",
/// "entry" }] }</c>, where <c>entry</c> is the sealed ledger entry byte for byte (its leaf hash can be recomputed from
/// it) and <c>id</c> the event id, the receiver's idempotency key.
/// </summary>
public static class WebhookPayload
{
    /// <summary>Writes the body for <paramref name="events"/> (empty for a ping).</summary>
    public static byte[] Write(string tenantId, string webhookId, string deliveryId, string kind, IReadOnlyList<WebhookEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("webhook", webhookId);
            writer.WriteString("delivery", deliveryId);
            writer.WriteString("tenant", tenantId);
            writer.WriteString("kind", kind);
            writer.WriteStartArray("events");
            foreach (var e in events)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", e.LeafIndex);
                writer.WriteString("id", e.EventId);
                writer.WriteString("kind", e.Kind);
                writer.WritePropertyName("entry");
                writer.WriteRawValue(e.Entry.Span, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
