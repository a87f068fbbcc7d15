using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Abstractions.Secrets;
using Tenants.Abstractions.Webhooks;

namespace Tenants.Grains.Webhooks;

public sealed partial class WebhooksGrain
{
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = Hooks.Where(h => !_inFlight.Contains(h.Id!) && (h.NextAttempt is null || h.NextAttempt <= now)).ToList();
        if (due.Count == 0)
        {
            return;
        }

        long sealedSize;
        try
        {
            sealedSize = (await GrainFactory.GetGrain<ILedgerGrain>(_tenantId).GetStatusAsync(cancellationToken)).SealedSize;
        }
        catch (Exception e) when (e is LedgerUnavailableException or TimeoutException)
        {
            return;
        }

        foreach (var hook in due.Where(h => h.Pending is not null || h.Cursor < sealedSize))
        {
            _inFlight.Add(hook.Id!);
            _ = RunAsync(hook, sealedSize);
        }
    }

    private async Task RunAsync(WebhookState hook, long sealedSize)
    {
        try
        {
            await DeliverNextAsync(hook, sealedSize);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            // Storage or state trouble: the batch stays pending (or the cursor unmoved) and the next tick tries again.
            LogDeliveryCrashed(e, _tenantId, hook.Id!);
        }
        finally
        {
            _inFlight.Remove(hook.Id!);
        }
    }

    private async Task DeliverNextAsync(WebhookState hook, long sealedSize)
    {
        var token = _stopping.Token;
        if (hook.Pending is null)
        {
            var last = Math.Min(sealedSize, hook.Cursor + _options.MaxBatchEvents) - 1;
            var matching = await ReadEventsAsync(hook, hook.Cursor, last, token);
            if (!Hooks.Contains(hook))
            {
                return;
            }

            if (matching.Count == 0)
            {
                hook.Cursor = last + 1;
                await SaveAsync();
                return;
            }

            hook.Pending = new WebhookBatchState { DeliveryId = Ulid.New(_time.GetUtcNow()), FirstIndex = hook.Cursor, LastIndex = last, Events = matching.Count };
            await SaveAsync();
        }

        var batch = hook.Pending;
        var events = await ReadEventsAsync(hook, batch.FirstIndex, batch.LastIndex, token);
        var result = await SendAsync(hook, batch.DeliveryId!, "events", events, token);
        if (!Hooks.Contains(hook) || hook.Pending != batch)
        {
            return;
        }

        batch.Attempts++;
        var now = _time.GetUtcNow();
        string outcome;
        if (result.Delivered)
        {
            outcome = "delivered";
            hook.Cursor = batch.LastIndex + 1;
            hook.Pending = null;
            hook.ConsecutiveFailures = 0;
            hook.LastSuccess = now;
            hook.NextAttempt = null;
        }
        else
        {
            hook.ConsecutiveFailures++;
            var delay = WebhookBackoff.RetryAfter(result.RetryAfter, now, _options.RetryMaxDelay)
                ?? WebhookBackoff.Delay(batch.Attempts, _options.RetryBaseDelay, _options.RetryMaxDelay, Random.Shared.NextDouble());
            if (result.Permanent || batch.Attempts >= _options.MaxAttempts)
            {
                outcome = "dead-lettered";
                DeadLetter(hook, batch, result, now);
                hook.Cursor = batch.LastIndex + 1;
                hook.Pending = null;
                // A failing receiver gets the next batch only after a pause, so it is not hammered batch after batch.
                hook.NextAttempt = hook.ConsecutiveFailures >= _options.FailingAfter ? now + delay : null;
                LogBatchDeadLettered(_tenantId, hook.Id!, batch.DeliveryId!, batch.Attempts, result.Error);
            }
            else
            {
                outcome = "retrying";
                hook.NextAttempt = now + delay;
                LogBatchRetrying(_tenantId, hook.Id!, batch.DeliveryId!, batch.Attempts, WebhookBackoff.Describe(delay), result.Error);
            }
        }

        Record(hook, batch.DeliveryId!, "events", batch.Attempts, batch.FirstIndex, batch.LastIndex, events.Count, result, outcome, now);
        await SaveAsync();
    }

    public async Task<WebhookDelivery?> PingAsync(string webhookId, CancellationToken cancellationToken = default)
    {
        if (Find(webhookId) is not { } hook)
        {
            return null;
        }

        var deliveryId = Ulid.New(_time.GetUtcNow());
        var result = await SendAsync(hook, deliveryId, "ping", [], cancellationToken);
        var delivery = Record(hook, deliveryId, "ping", 1, null, null, 0, result, result.Delivered ? "delivered" : "failed", _time.GetUtcNow());
        if (Hooks.Contains(hook))
        {
            await SaveAsync();
        }

        return delivery;
    }

    public async Task<WebhookDelivery?> RedeliverAsync(string webhookId, string deliveryId, CancellationToken cancellationToken = default)
    {
        if (Find(webhookId) is not { } hook || hook.DeadLetters?.FirstOrDefault(d => d.DeliveryId == deliveryId) is not { } letter)
        {
            return null;
        }

        var events = await ReadEventsAsync(hook, letter.FirstIndex, letter.LastIndex, cancellationToken);
        var result = await SendAsync(hook, letter.DeliveryId, "events", events, cancellationToken);
        var now = _time.GetUtcNow();
        if (result.Delivered)
        {
            hook.DeadLetters?.Remove(letter);
            hook.ConsecutiveFailures = 0;
            hook.LastSuccess = now;
            LogBatchRedelivered(_tenantId, hook.Id!, deliveryId);
        }

        var delivery = Record(hook, letter.DeliveryId, "redelivery", letter.Attempts + 1, letter.FirstIndex, letter.LastIndex, events.Count, result,
            result.Delivered ? "delivered" : "failed", now);
        if (Hooks.Contains(hook))
        {
            await SaveAsync();
        }

        return delivery;
    }

    private Task<WebhookSendResult> SendAsync(WebhookState hook, string deliveryId, string kind, IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken)
    {
        var body = WebhookPayload.Write(_tenantId, hook.Id!, deliveryId, kind, events);
        return _sender.SendAsync(hook.Url!, SecretOf(hook), hook.Id!, deliveryId, body, cancellationToken);
    }

    private WebhookDelivery Record(
        WebhookState hook, string deliveryId, string kind, int attempt, long? first, long? last, int events, WebhookSendResult result, string outcome, DateTimeOffset now)
    {
        var delivery = new WebhookDelivery
        {
            DeliveryId = deliveryId,
            Kind = kind,
            Attempt = attempt,
            Time = now,
            FirstIndex = first,
            LastIndex = last,
            Events = events,
            StatusCode = result.StatusCode,
            Error = result.Error,
            DurationMs = (long)result.Duration.TotalMilliseconds,
            Outcome = outcome,
        };
        var deliveries = hook.Deliveries ??= [];
        deliveries.Add(delivery);
        deliveries.RemoveRange(0, Math.Max(0, deliveries.Count - _options.KeptDeliveries));
        return delivery;
    }

    private void DeadLetter(WebhookState hook, WebhookBatchState batch, WebhookSendResult result, DateTimeOffset now)
    {
        var letters = hook.DeadLetters ??= [];
        letters.Add(new WebhookDeadLetter
        {
            DeliveryId = batch.DeliveryId!,
            FirstIndex = batch.FirstIndex,
            LastIndex = batch.LastIndex,
            Events = batch.Events,
            Attempts = batch.Attempts,
            LastStatusCode = result.StatusCode,
            LastError = result.Error,
            Time = now,
        });
        letters.RemoveRange(0, Math.Max(0, letters.Count - _options.KeptDeadLetters));
    }

    // The sealed entries first..last (inclusive) that pass the webhook's filter, in ledger order.
    private async Task<List<WebhookEvent>> ReadEventsAsync(WebhookState hook, long first, long last, CancellationToken cancellationToken)
    {
        var events = new List<WebhookEvent>();
        if (last < first)
        {
            return events;
        }

        if (_blocks.Count == 0 || _blocks[^1].LastIndex < last)
        {
            // Blocks are create-only and listed in leaf order, so the list only grows at its end.
            _blocks.Clear();
            await foreach (var name in _store.ListBlocksAsync(_tenantId, cancellationToken))
            {
                _blocks.Add(name);
            }
        }

        foreach (var name in _blocks.Where(b => b.LastIndex >= first && b.FirstIndex <= last))
        {
            var block = await _store.ReadBlockAsync(_tenantId, name, cancellationToken);
            for (var i = 0; i < block.Entries.Count; i++)
            {
                var index = name.FirstIndex + i;
                if (index < first || index > last)
                {
                    continue;
                }

                var e = WebhookEvent.Parse(index, block.Entries[i]);
                if (hook.Filter is null || hook.Filter.Matches(e.Kind, e.Endpoint, e.StatementClass))
                {
                    events.Add(e);
                }
            }
        }

        return events;
    }

    private string SecretOf(WebhookState hook) =>
        hook.Secret ?? (_secrets ?? throw new InvalidOperationException(
                "this node has no credential keys (Secrets:CredentialKeys or Secrets:CredentialKeyFile) to open the webhook's sealed secret"))
            .Open(hook.SealedSecret ?? string.Empty, CredentialProtector.WebhookContext(_tenantId, hook.Id!));
}
