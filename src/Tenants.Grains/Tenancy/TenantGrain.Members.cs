using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Tenancy;

public sealed partial class TenantGrain
{
    public Task<IReadOnlyList<TenantMember>> GetMembersAsync(CancellationToken cancellationToken = default)
    {
        RequireCreated();
        return Task.FromResult<IReadOnlyList<TenantMember>>([.. State.Members]);
    }

    public async Task<TenantMember> AddMemberAsync(string actor, TenantMember member, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        TenantRules.Member(member);
        await FlushAsync(cancellationToken);
        if (State.Members.Find(m => m.Id == member.Id) is { } existing)
        {
            return existing.Email == member.Email && existing.Role == member.Role
                ? existing
                : throw TenantRules.Conflict($"tenant '{TenantId}' already has a member '{member.Id}'");
        }

        if (State.Members.Exists(m => string.Equals(m.Email, member.Email, StringComparison.OrdinalIgnoreCase)))
        {
            throw TenantRules.Conflict($"tenant '{TenantId}' already has a member with email '{member.Email}'");
        }

        var added = member with { Added = _time.GetUtcNow() };
        State.Members.Add(added);
        await CommitAsync(actor, $"added member '{member.Id}' ({member.Email}) as {member.Role}", endpointId: null, cancellationToken);
        return added;
    }

    public async Task<TenantMember> ChangeMemberRoleAsync(string actor, string memberId, MemberRole role, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        TenantRules.Role(role);
        var index = MemberIndex(memberId);
        var existing = State.Members[index];
        if (existing.Role == role)
        {
            await FlushAsync(cancellationToken);
            return existing;
        }

        RequireAnotherOwner(existing, "demoted");
        var changed = existing with { Role = role };
        State.Members[index] = changed;
        await CommitAsync(actor, $"changed the role of member '{memberId}' from {existing.Role} to {role}", endpointId: null, cancellationToken);
        return changed;
    }

    public async Task RemoveMemberAsync(string actor, string memberId, CancellationToken cancellationToken = default)
    {
        RequireActor(actor);
        var index = MemberIndex(memberId);
        var existing = State.Members[index];
        RequireAnotherOwner(existing, "removed");
        State.Members.RemoveAt(index);
        await CommitAsync(actor, $"removed member '{memberId}' ({existing.Email}, {existing.Role})", endpointId: null, cancellationToken);
    }

    private int MemberIndex(string memberId)
    {
        var index = State.Members.FindIndex(m => m.Id == memberId);
        return index >= 0 ? index : throw TenantRules.NotFound($"tenant '{TenantId}' has no member '{memberId}'");
    }

    private void RequireAnotherOwner(TenantMember member, string change)
    {
        if (member.Role == MemberRole.Owner && State.Members.Count(m => m.Role == MemberRole.Owner) == 1)
        {
            throw TenantRules.Conflict($"member '{member.Id}' is the last owner of tenant '{TenantId}' and cannot be {change}; make another member an owner first");
        }
    }
}
