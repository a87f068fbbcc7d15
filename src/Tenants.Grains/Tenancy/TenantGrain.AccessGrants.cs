using Microsoft.Extensions.Logging;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Tenancy;

/// <summary>
/// Access grants: requests, decisions, revocations and expiries, each a <c>tenant_changed</c> ledger event and a new
/// tenant version (so the edge's cached snapshot is replaced). Expiry is recorded by a grain timer due at the next
/// expiry (kept alive meanwhile), and caught up on activation and before every grant call and edge snapshot, so a
/// grant whose time passed while no silo ran is recorded as soon as the grain is next used. What the edge enforces
/// never waits for the record: a grant past its time is not in the snapshot and <see cref="AccessGrantRecord.StatusAt"/>
/// says expired.
/// </summary>
public sealed partial class TenantGrain
{
    private IGrainTimer? _expiry;
    private DateTimeOffset? _expiryDue;

    public async Task<IReadOnlyList<AccessGrantRecord>> GetAccessGrantsAsync(CancellationToken cancellationToken = default)
    {
        RequireCreated();
        await CatchUpExpiriesAsync(cancellationToken);
        return [.. State.AccessGrants];
    }

    public async Task<AccessGrantRecord> RequestAccessAsync(string actor, string endpointId, string reason, int minutes, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        TenantRules.EndpointId(endpointId);
        AccessGrantRules.Reason(reason);
        AccessGrantRules.Minutes(minutes);
        await CatchUpExpiriesAsync(cancellationToken);
        RequireLiveEndpoint(endpointId);
        var pending = State.AccessGrants.Count(g => g.MemberId == actor && g.Status == AccessGrantStatus.Pending);
        if (pending >= AccessGrantRules.MaxPendingPerMember)
        {
            throw TenantRules.Conflict($"member '{actor}' has {pending} pending access requests already (at most {AccessGrantRules.MaxPendingPerMember}); "
                + "withdraw one or wait for a decision");
        }

        await FlushAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var grant = new AccessGrantRecord
        {
            Id = Ulid.New(now),
            EndpointId = endpointId,
            MemberId = actor,
            Reason = reason,
            Minutes = minutes,
            Status = AccessGrantStatus.Pending,
            RequestedAt = now,
        };
        State.AccessGrants.Add(grant);
        PruneAccessGrants();
        await CommitAsync(actor, $"member '{actor}' requested access to endpoint '{endpointId}' for {minutes} minutes (access request '{grant.Id}'), reason: {reason}",
            endpointId, publish: false, cancellationToken);
        return grant;
    }

    public async Task<AccessGrantRecord> DecideAccessAsync(string actor, string grantId, bool approve, string? note, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        AccessGrantRules.GrantId(grantId);
        AccessGrantRules.Note(note);
        await CatchUpExpiriesAsync(cancellationToken);
        var index = GrantIndex(grantId);
        var existing = State.AccessGrants[index];
        var decider = State.Members.Find(m => m.Id == actor)!;
        if (decider.Role is not (MemberRole.Owner or MemberRole.Admin))
        {
            throw TenantRules.Refused($"member '{actor}' is {decider.Role}; only an owner or admin may decide access requests");
        }

        if (existing.MemberId == actor)
        {
            throw TenantRules.Conflict($"member '{actor}' cannot decide their own access request '{grantId}': another owner or admin must");
        }

        var now = _time.GetUtcNow();
        if (existing.Status != AccessGrantStatus.Pending)
        {
            throw TenantRules.Conflict($"access request '{grantId}' is {Describe(existing.StatusAt(now))} already; only a pending request can be decided");
        }

        if (approve)
        {
            RequireLiveEndpoint(existing.EndpointId);
            if (!State.Members.Exists(m => m.Id == existing.MemberId))
            {
                throw TenantRules.Conflict($"member '{existing.MemberId}' who asked for access request '{grantId}' is no longer a member; it can only be rejected");
            }
        }

        await FlushAsync(cancellationToken);
        var decided = existing with
        {
            Status = approve ? AccessGrantStatus.Approved : AccessGrantStatus.Rejected,
            DecidedBy = actor,
            DecidedAt = now,
            Note = note,
            ExpiresAt = approve ? now.AddMinutes(existing.Minutes) : null,
        };
        State.AccessGrants[index] = decided;
        var what = approve
            ? $"approved access request '{grantId}' of member '{existing.MemberId}' to endpoint '{existing.EndpointId}' until {decided.ExpiresAt:O}"
            : $"rejected access request '{grantId}' of member '{existing.MemberId}' to endpoint '{existing.EndpointId}'";
        await CommitAsync(actor, $"member '{actor}' {what}" + (note is null ? string.Empty : $", note: {note}"), existing.EndpointId, publish: false, cancellationToken);
        ScheduleExpiry();
        return decided;
    }

    public async Task<AccessGrantRecord> RevokeAccessAsync(string actor, string grantId, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        AccessGrantRules.GrantId(grantId);
        await CatchUpExpiriesAsync(cancellationToken);
        var index = GrantIndex(grantId);
        var existing = State.AccessGrants[index];
        var role = State.Members.Find(m => m.Id == actor)!.Role;
        if (existing.MemberId != actor && role is not (MemberRole.Owner or MemberRole.Admin))
        {
            throw TenantRules.Refused($"member '{actor}' may revoke only their own access requests; an owner or admin may revoke any");
        }

        if (existing.Status == AccessGrantStatus.Revoked)
        {
            await FlushAsync(cancellationToken);
            return existing;
        }

        if (existing.Status is not (AccessGrantStatus.Pending or AccessGrantStatus.Approved))
        {
            throw TenantRules.Conflict($"access request '{grantId}' is {Describe(existing.Status)} already; only a pending or approved one can be revoked");
        }

        await FlushAsync(cancellationToken);
        var revoked = existing with { Status = AccessGrantStatus.Revoked, RevokedBy = actor, RevokedAt = _time.GetUtcNow() };
        State.AccessGrants[index] = revoked;
        var what = existing.Status == AccessGrantStatus.Pending
            ? $"withdrew access request '{grantId}' of member '{existing.MemberId}' to endpoint '{existing.EndpointId}'"
            : $"revoked access grant '{grantId}' of member '{existing.MemberId}' to endpoint '{existing.EndpointId}' (it ran until {existing.ExpiresAt:O})";
        await CommitAsync(actor, $"member '{actor}' {what}", existing.EndpointId, publish: false, cancellationToken);
        return revoked;
    }

    /// <summary>Grants in force at <paramref name="now"/> for members still in the tenant, on endpoints not deleted, for the edge.</summary>
    private List<AccessGrant> GrantsInForce(DateTimeOffset now) =>
        [.. State.AccessGrants
            .Where(g => g.IsInForce(now) && State.Members.Exists(m => m.Id == g.MemberId)
                && State.Endpoints.Exists(e => e.Id == g.EndpointId && !e.Deleted))
            .Select(g => new AccessGrant { Id = g.Id, EndpointId = g.EndpointId, MemberId = g.MemberId, ExpiresAt = g.ExpiresAt!.Value })];

    /// <summary>Records each approved grant whose time has passed as expired (one ledger event each), then schedules the next.</summary>
    private async Task CatchUpExpiriesAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        for (var index = State.AccessGrants.FindIndex(g => g.Status == AccessGrantStatus.Approved && g.ExpiresAt <= now);
             index >= 0;
             index = State.AccessGrants.FindIndex(g => g.Status == AccessGrantStatus.Approved && g.ExpiresAt <= now))
        {
            var grant = State.AccessGrants[index];
            State.AccessGrants[index] = grant with { Status = AccessGrantStatus.Expired };
            await CommitAsync("(expiry)", $"access grant '{grant.Id}' of member '{grant.MemberId}' to endpoint '{grant.EndpointId}' expired at {grant.ExpiresAt:O}",
                grant.EndpointId, publish: false, cancellationToken);
            LogGrantExpired(TenantId, grant.Id, grant.MemberId, grant.EndpointId);
        }

        ScheduleExpiry();
    }

    /// <summary>A one-shot timer at the next expiry; replaced when an earlier one appears.</summary>
    private void ScheduleExpiry()
    {
        var next = State.AccessGrants.Where(g => g.Status == AccessGrantStatus.Approved).Min(g => g.ExpiresAt);
        if (next == _expiryDue)
        {
            return;
        }

        _expiry?.Dispose();
        _expiry = null;
        _expiryDue = next;
        if (next is not { } due)
        {
            return;
        }

        var wait = due - _time.GetUtcNow();
        _expiry = this.RegisterGrainTimer(TryCatchUpExpiriesAsync, new GrainTimerCreationOptions
        {
            // A moment after the time, so the grant has surely passed it by this clock.
            DueTime = (wait < TimeSpan.Zero ? TimeSpan.Zero : wait) + TimeSpan.FromMilliseconds(50),
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = true,
        });
    }

    /// <summary>Catches up on expiries where a failure must not fail the caller (the timer, activation, the edge's snapshot).</summary>
    private async Task TryCatchUpExpiriesAsync(CancellationToken cancellationToken)
    {
        _expiryDue = null;
        try
        {
            await CatchUpExpiriesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The state write failed; the next call or activation catches up, and the edge never counted the grant anyway.
            LogExpiryFailed(ex, TenantId);
        }
    }

    /// <summary>Drops the oldest finished records (rejected, revoked, expired) beyond <see cref="AccessGrantRules.MaxRecords"/>.</summary>
    private void PruneAccessGrants()
    {
        var excess = State.AccessGrants.Count - AccessGrantRules.MaxRecords;
        for (var i = 0; i < State.AccessGrants.Count && excess > 0;)
        {
            if (State.AccessGrants[i].Status is AccessGrantStatus.Rejected or AccessGrantStatus.Revoked or AccessGrantStatus.Expired)
            {
                State.AccessGrants.RemoveAt(i);
                excess--;
            }
            else
            {
                i++;
            }
        }
    }

    private int GrantIndex(string grantId)
    {
        var index = State.AccessGrants.FindIndex(g => g.Id == grantId);
        return index >= 0 ? index : throw TenantRules.NotFound($"tenant '{TenantId}' has no access request '{grantId}'");
    }

    private void RequireLiveEndpoint(string endpointId)
    {
        var endpoint = State.Endpoints.Find(e => e.Id == endpointId) ?? throw NoSuchEndpoint(endpointId);
        if (endpoint.Deleted)
        {
            throw TenantRules.Conflict($"endpoint '{endpointId}' is deleted; access to it cannot be requested or granted");
        }
    }

    private static string Describe(AccessGrantStatus status) => status.ToString().ToLowerInvariant();

    [LoggerMessage(EventId = 7400, EventName = "AccessGrantExpired", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: access grant {GrantId} of member {MemberId} to endpoint {EndpointId} expired")]
    private partial void LogGrantExpired(string tenantId, string grantId, string memberId, string endpointId);

    [LoggerMessage(EventId = 7401, EventName = "AccessGrantExpiryFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: recording expired access grants failed; retried on the next call or activation")]
    private partial void LogExpiryFailed(Exception exception, string tenantId);
}
