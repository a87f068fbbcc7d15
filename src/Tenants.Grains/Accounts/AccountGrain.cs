using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Accounts;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Accounts;

/// <summary>
/// One per person, keyed by normalised email. Hashing runs on the thread pool (Argon2id takes tens of milliseconds of
/// CPU, which must not hold the grain scheduler); the grain's own turn keeps the counters consistent.
/// </summary>
public sealed partial class AccountGrain : Grain, IAccountGrain
{
    // A hash of a random password: an unknown email costs the same verification as a known one.
    private static readonly Lazy<string> DecoyHash = new(() => PasswordHash.Create(Guid.NewGuid().ToString("N")));

    private readonly IPersistentState<AccountState> _state;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<AccountOptions> _options;
    private readonly ILogger<AccountGrain> _logger;

    // Failures for an email with no account are counted in memory only: unknown emails cost no storage, yet lock out alike.
    private int _unknownFailures;
    private DateTimeOffset? _unknownLockedUntil;

    public AccountGrain(
        [PersistentState("account", "ledger")] IPersistentState<AccountState> state,
        TimeProvider time,
        IOptionsMonitor<AccountOptions> options,
        ILogger<AccountGrain> logger)
    {
        _state = state;
        _time = time;
        _options = options;
        _logger = logger;
    }

    private string Email => this.GetPrimaryKeyString();

    private AccountState State => _state.State;

    public async Task<bool> CreateAsync(string password, AccountMembership membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!AccountEmail.IsValid(Email) || AccountEmail.Normalize(Email) != Email)
        {
            throw new TenantValidationException($"'{Email}' is not a normalised email address");
        }

        if (AccountPasswordRules.Check(password, Email) is { } problem)
        {
            throw new TenantValidationException(problem);
        }

        if (State.Created)
        {
            return false;
        }

        var hash = await Task.Run(() => PasswordHash.Create(password), cancellationToken);
        if (State.Created)
        {
            return false;
        }

        State.Created = true;
        State.PasswordHash = hash;
        State.CreatedAt = _time.GetUtcNow();
        State.Memberships.Add(membership);
        await WriteAsync(cancellationToken);
        LogCreated(membership.TenantId, membership.MemberId);
        return true;
    }

    public Task<AccountInfo?> GetAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(State.Created ? Info() : null);

    public async Task<SignInOutcome> SignInAsync(string password, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var lockedUntil = State.Created ? State.LockedUntil : _unknownLockedUntil;
        if (lockedUntil is { } until && until > now)
        {
            return new SignInOutcome { LockedUntil = until };
        }

        var hash = State.Created ? State.PasswordHash! : DecoyHash.Value;
        var matched = password is { Length: > 0 and <= AccountPasswordRules.MaxLength }
            && await Task.Run(() => PasswordHash.Verify(password, hash), cancellationToken)
            && State.Created;
        var options = _options.CurrentValue;
        if (!State.Created)
        {
            _unknownFailures++;
            if (_unknownFailures >= options.MaxFailedSignIns)
            {
                _unknownFailures = 0;
                _unknownLockedUntil = now + options.LockoutDuration;
            }

            return new SignInOutcome();
        }

        if (matched)
        {
            if (State.FailedSignIns > 0 || State.LockedUntil is not null)
            {
                State.FailedSignIns = 0;
                State.LockedUntil = null;
                await WriteAsync(cancellationToken);
            }

            return new SignInOutcome { Account = Info() };
        }

        State.FailedSignIns++;
        if (State.FailedSignIns >= options.MaxFailedSignIns)
        {
            State.FailedSignIns = 0;
            State.LockedUntil = now + options.LockoutDuration;
            LogLocked(State.LockedUntil.Value);
        }

        await WriteAsync(cancellationToken);
        return new SignInOutcome();
    }

    public async Task<AccountInfo> AddMembershipAsync(AccountMembership membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!State.Created)
        {
            throw new TenantValidationException($"there is no account for '{Email}'");
        }

        var index = State.Memberships.FindIndex(m => m.TenantId == membership.TenantId);
        if (index >= 0 && State.Memberships[index] == membership)
        {
            return Info();
        }

        if (index >= 0)
        {
            State.Memberships[index] = membership;
        }
        else
        {
            State.Memberships.Add(membership);
        }

        await WriteAsync(cancellationToken);
        return Info();
    }

    public async Task RemoveMembershipAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        if (State.Created && State.Memberships.RemoveAll(m => m.TenantId == tenantId) > 0)
        {
            await WriteAsync(cancellationToken);
        }
    }

    private AccountInfo Info() => new() { Email = Email, Memberships = [.. State.Memberships], Created = State.CreatedAt };

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            await _state.ReadStateAsync(cancellationToken);
            throw;
        }
    }

    [LoggerMessage(EventId = 3200, EventName = "AccountCreated", Level = LogLevel.Information,
        Message = "Account created as member {MemberId} of tenant {TenantId}")]
    private partial void LogCreated(string tenantId, string memberId);

    [LoggerMessage(EventId = 3201, EventName = "AccountLocked", Level = LogLevel.Warning,
        Message = "Account locked after repeated failed sign-ins, until {LockedUntil:O}")]
    private partial void LogLocked(DateTimeOffset lockedUntil);
}
