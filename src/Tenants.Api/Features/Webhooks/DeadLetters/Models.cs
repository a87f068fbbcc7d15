using Tenants.Abstractions.Webhooks;

namespace Tenants.Api.Features.Webhooks.DeadLetters;

/// <summary>A webhook's dead letters, newest first.</summary>
public sealed record WebhookDeadLetterList(IReadOnlyList<WebhookDeadLetter> Items);
