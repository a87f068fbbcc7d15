using System.Security.Cryptography;
using Tenants.Abstractions.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Abstractions.Webhooks;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Webhooks;

/// <summary>
/// One per tenant: the tenant's webhooks and their delivery. A grain timer looks for newly sealed entries; each
/// webhook due for an attempt sends its next batch beside the grain (awaiting the receiver does not hold the grain),
/// so a slow or failing receiver delays only its own webhook. The cursor and the batch in flight are saved before and
/// after each attempt: after a restart the same batch is sent again (at least once), never skipped.
/// </summary>
public sealed partial class WebhooksGrain : Grain, IWebhooksGrain, IDisposable
{
    private readonly IPersistentState<WebhooksState> _state;
    private readonly ILedgerStore _store;
    private readonly WebhookSender _sender;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhooksGrain> _logger;
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _saving = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<LedgerBlockName> _blocks = [];
    private string _tenantId = string.Empty;
    private readonly CredentialProtector? _secrets;
    private IGrainTimer? _timer;

    public WebhooksGrain(
        [PersistentState("webhooks", "ledger")] IPersistentState<WebhooksState> state,
        ILedgerStore store,
        WebhookSender sender,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        ILogger<WebhooksGrain> logger,
        CredentialProtector? secrets = null)
    {
        _secrets = secrets;
        _state = state;
        _store = store;
        _sender = sender;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    private List<WebhookState> Hooks => _state.State.Webhooks ??= [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tenantId = this.GetPrimaryKeyString();
        if (_secrets is not null && Hooks.Any(h => h.Secret is not null))
        {
            // Webhooks made before secrets were sealed (or on a node without keys): seal them now.
            foreach (var hook in Hooks.Where(h => h.Secret is not null))
            {
                hook.SealedSecret = _secrets.Seal(hook.Secret!, CredentialProtector.WebhookContext(_tenantId, hook.Id!));
                hook.Secret = null;
            }

            await SaveAsync();
        }

        UpdateTimer();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>Orleans disposes the grain instance when its activation ends.</summary>
    public void Dispose()
    {
        _stopping.Dispose();
        _saving.Dispose();
    }

    public async Task<WebhookCreated> CreateAsync(WebhookRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (Hooks.Count >= _options.MaxWebhooks)
        {
            throw new InvalidOperationException($"a tenant has at most {_options.MaxWebhooks} webhooks");
        }

        var status = await GrainFactory.GetGrain<ILedgerGrain>(_tenantId).GetStatusAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var hook = new WebhookState
        {
            Id = "wh_" + Ulid.New(now).ToLowerInvariant(),
            Url = registration.Url,
            Description = registration.Description,
            Filter = registration.Filter,
            Created = now,
            CreatedBy = registration.CreatedBy,
            // A new webhook streams what is sealed from now on; history is what exports are for.
            Cursor = status.SealedSize,
        };
        var secret = "whsec_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        if (_secrets is null)
        {
            hook.Secret = secret;
        }
        else
        {
            hook.SealedSecret = _secrets.Seal(secret, CredentialProtector.WebhookContext(_tenantId, hook.Id));
        }

        Hooks.Add(hook);
        await SaveAsync();
        UpdateTimer();
        LogWebhookCreated(_tenantId, hook.Id, registration.CreatedBy, hook.Cursor);
        return new WebhookCreated { Webhook = View(hook), Secret = secret };
    }

    public Task<IReadOnlyList<Webhook>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Webhook>>([.. Hooks.Select(View)]);

    public Task<Webhook?> GetAsync(string webhookId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Find(webhookId) is { } hook ? View(hook) : null);

    public async Task<bool> DeleteAsync(string webhookId, CancellationToken cancellationToken = default)
    {
        if (Find(webhookId) is not { } hook)
        {
            return false;
        }

        Hooks.Remove(hook);
        await SaveAsync();
        UpdateTimer();
        LogWebhookDeleted(_tenantId, webhookId);
        return true;
    }

    public Task<IReadOnlyList<WebhookDelivery>?> ListDeliveriesAsync(string webhookId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<WebhookDelivery>?>(Find(webhookId) is { } hook ? [.. (hook.Deliveries ?? []).AsEnumerable().Reverse()] : null);

    public Task<IReadOnlyList<WebhookDeadLetter>?> ListDeadLettersAsync(string webhookId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<WebhookDeadLetter>?>(Find(webhookId) is { } hook ? [.. (hook.DeadLetters ?? []).AsEnumerable().Reverse()] : null);

    public Task WakeAsync(CancellationToken cancellationToken = default)
    {
        UpdateTimer();
        return Task.CompletedTask;
    }

    private WebhookState? Find(string webhookId) => Hooks.FirstOrDefault(h => string.Equals(h.Id, webhookId, StringComparison.Ordinal));

    private Webhook View(WebhookState hook) => new()
    {
        Id = hook.Id ?? string.Empty,
        Url = hook.Url ?? string.Empty,
        Description = hook.Description,
        Filter = hook.Filter,
        Created = hook.Created,
        CreatedBy = hook.CreatedBy,
        Status = hook.ConsecutiveFailures >= _options.FailingAfter ? "failing" : "active",
        ConsecutiveFailures = hook.ConsecutiveFailures,
        Cursor = hook.Cursor,
        LastSuccess = hook.LastSuccess,
        NextAttempt = hook.NextAttempt,
        DeadLetters = hook.DeadLetters?.Count ?? 0,
    };

    // The timer runs while the tenant has webhooks and keeps the grain active; without webhooks the grain may go idle.
    private void UpdateTimer()
    {
        if (Hooks.Count == 0)
        {
            _timer?.Dispose();
            _timer = null;
            return;
        }

        _timer ??= this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions
        {
            DueTime = _options.PollInterval,
            Period = _options.PollInterval,
            KeepAlive = true,
        });
    }

    private async Task SaveAsync()
    {
        // Deliveries run beside grain calls and interleave at awaits; one write at a time keeps the ETag in order.
        await _saving.WaitAsync();
        try
        {
            await _state.WriteStateAsync();
        }
        finally
        {
            _saving.Release();
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
