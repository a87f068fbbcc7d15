using Microsoft.Extensions.Logging;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Endpoints;
using Tenants.Abstractions.Ledger;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Tenancy;

/// <summary>
/// One per tenant: the account, endpoints, members, keys and policies. A change is validated, applied and persisted
/// together with what it still owes the rest of the system (its <c>tenant_changed</c> ledger event and, for endpoints,
/// the push to the endpoint directory); those are then delivered, and whatever fails is retried on a timer and before
/// the next change (both are idempotent), so a crash or outage between the two loses nothing.
/// </summary>
public sealed partial class TenantGrain : Grain, ITenantGrain
{
    /// <summary>How often undelivered ledger events and directory pushes are retried.</summary>
    internal static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private readonly IPersistentState<TenantState> _state;
    private readonly TimeProvider _time;
    private readonly ILogger<TenantGrain> _logger;
    private IGrainTimer? _retry;

    public TenantGrain(
        // The grain storage provider the ledger grains use ("ledger": PostgreSQL in the Host), under its own state name.
        [PersistentState("tenant", "ledger")] IPersistentState<TenantState> state,
        TimeProvider time,
        ILogger<TenantGrain> logger)
    {
        _state = state;
        _time = time;
        _logger = logger;
    }

    private string TenantId => this.GetPrimaryKeyString();

    private TenantState State => _state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (HasPending)
        {
            EnsureRetryTimer();
        }

        // Grants whose time passed while the grain was not active are recorded as expired now.
        await TryCatchUpExpiriesAsync(cancellationToken);
    }

    public async Task<TenantAccount> CreateAsync(string displayName, TenantMember owner, CancellationToken cancellationToken = default)
    {
        TenantRules.TenantId(TenantId);
        TenantRules.DisplayName(displayName);
        TenantRules.Member(owner);
        if (owner.Role != MemberRole.Owner)
        {
            throw TenantRules.Refused($"the first member of a tenant must be an owner, not {owner.Role}");
        }

        if (State.Created)
        {
            var first = State.Members.FirstOrDefault();
            if (State.DisplayName == displayName && first is not null && first.Id == owner.Id && first.Email == owner.Email)
            {
                await FlushAsync(cancellationToken);
                return Account();
            }

            throw TenantRules.Conflict($"tenant '{TenantId}' already exists");
        }

        var now = _time.GetUtcNow();
        State.Created = true;
        State.DisplayName = displayName;
        State.CreatedAt = now;
        State.Members.Add(owner with { Added = now });
        await CommitAsync(owner.Id, $"created tenant '{displayName}' with owner '{owner.Id}'", endpointId: null, cancellationToken);
        return Account();
    }

    public Task<TenantAccount?> GetAccountAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(State.Created ? Account() : null);

    private TenantAccount Account() => new()
    {
        TenantId = TenantId,
        DisplayName = State.DisplayName,
        Created = State.CreatedAt,
        Version = State.Version,
    };

    private bool HasPending => State.PendingAudit.Count > 0 || State.PendingPublish.Count > 0;

    /// <summary>Refuses calls on a tenant that does not exist, and changes by someone who is not a member.</summary>
    private void RequireActor(string actor)
    {
        RequireCreated();
        if (!State.Members.Exists(m => m.Id == actor))
        {
            throw TenantRules.Refused($"'{actor}' is not a member of tenant '{TenantId}'");
        }
    }

    private void RequireCreated()
    {
        if (!State.Created)
        {
            throw TenantRules.NotFound($"tenant '{TenantId}' does not exist");
        }
    }

    /// <summary>
    /// Bumps the version and persists the change (already applied to <see cref="State"/>) with its ledger event and the
    /// directory pushes it owes, then delivers them. If the write fails, the applied change is undone by reading the
    /// stored state back, and the caller gets the failure.
    /// </summary>
    private Task CommitAsync(string actor, string what, string? endpointId, CancellationToken cancellationToken) =>
        CommitAsync(actor, $"member '{actor}' {what}", endpointId, publish: endpointId is not null, cancellationToken);

    /// <summary>
    /// As above, with the event's whole <paramref name="message"/> (for changes no member makes, such as an expiry) and
    /// whether the endpoint's record goes to the directory (not for changes that leave the record as it is).
    /// </summary>
    private async Task CommitAsync(string actor, string message, string? endpointId, bool publish, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        State.Version++;
        State.PendingAudit.Add(new AuditEvent
        {
            EventId = Ulid.New(now),
            Kind = AuditEventKind.TenantChanged,
            Time = now,
            TenantId = TenantId,
            EndpointId = endpointId ?? string.Empty,
            SessionId = string.Empty,
            Message = $"{message} (tenant version {State.Version})",
        });
        if (publish && endpointId is not null && !State.PendingPublish.Contains(endpointId))
        {
            State.PendingPublish.Add(endpointId);
        }

        try
        {
            await _state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            await _state.ReadStateAsync(cancellationToken);
            throw;
        }

        LogChanged(TenantId, State.Version, actor);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Delivers owed ledger events and directory pushes; on failure keeps them for the retry timer.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!HasPending)
        {
            return;
        }

        try
        {
            if (State.PendingAudit.Count > 0)
            {
                await GrainFactory.GetGrain<ILedgerGrain>(TenantId).AppendAsync([.. State.PendingAudit], cancellationToken);
            }

            foreach (var id in State.PendingPublish)
            {
                var endpoint = State.Endpoints.Find(e => e.Id == id);
                if (endpoint is not null)
                {
                    await GrainFactory.GetGrain<IEndpointGrain>(id).PublishAsync(endpoint, cancellationToken);
                }
            }

            State.PendingAudit.Clear();
            State.PendingPublish.Clear();
            await _state.WriteStateAsync(cancellationToken);
            _retry?.Dispose();
            _retry = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDeliveryFailed(ex, TenantId, State.PendingAudit.Count, State.PendingPublish.Count);
            EnsureRetryTimer();
        }
    }

    private void EnsureRetryTimer() =>
        _retry ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions
        {
            DueTime = RetryInterval,
            Period = RetryInterval,
            Interleave = false,
            KeepAlive = true,
        });

    [LoggerMessage(EventId = 2300, EventName = "TenantChanged", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: version {Version} by member {Actor}")]
    private partial void LogChanged(string tenantId, long version, string actor);

    [LoggerMessage(EventId = 2301, EventName = "TenantDeliveryFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: {Events} ledger events and {Endpoints} directory pushes not delivered yet; retrying")]
    private partial void LogDeliveryFailed(Exception exception, string tenantId, int events, int endpoints);
}
