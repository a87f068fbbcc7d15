using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Tenants.Abstractions.Accounts;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Accounts;

/// <summary>One per invitation id; the token is <c>inv_&lt;id&gt;_&lt;32 random bytes, base64url&gt;</c> and only its hash is kept.</summary>
public sealed class InvitationGrain(
    [PersistentState("invitation", "ledger")] IPersistentState<InvitationState> state,
    TimeProvider time) : Grain, IInvitationGrain
{
    public const string TokenPrefix = "inv_";

    private string Id => this.GetPrimaryKeyString();

    public async Task<string> IssueAsync(Invitation invitation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        if (invitation.Id != Id)
        {
            throw new TenantValidationException($"invitation '{invitation.Id}' cannot be issued as '{Id}'");
        }

        if (state.State.Invitation is not null)
        {
            throw new TenantValidationException($"invitation '{Id}' was issued already", TenantRefusalKind.Conflict);
        }

        var token = $"{TokenPrefix}{Id}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        state.State.Invitation = invitation;
        state.State.TokenSha256 = Sha256Hex(token);
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            state.State.Invitation = null;
            state.State.TokenSha256 = null;
            throw;
        }

        return token;
    }

    public Task<InvitationRedemption> CheckAsync(string token, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(token) is { } failure ? new InvitationRedemption { Failure = failure } : new InvitationRedemption { Invitation = state.State.Invitation });

    public async Task<InvitationRedemption> RedeemAsync(string token, CancellationToken cancellationToken = default)
    {
        if (Check(token) is { } failure)
        {
            return new InvitationRedemption { Failure = failure };
        }

        var s = state.State;
        s.Redeemed = time.GetUtcNow();
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            s.Redeemed = null;
            throw;
        }

        return new InvitationRedemption { Invitation = s.Invitation };
    }

    /// <summary>Why the token cannot be used now, or null.</summary>
    private string? Check(string token)
    {
        var s = state.State;
        if (s.Invitation is null || s.TokenSha256 is null || token is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sha256Hex(token)), Encoding.ASCII.GetBytes(s.TokenSha256)))
        {
            return "the invitation is unknown";
        }

        if (s.Redeemed is not null)
        {
            return "the invitation was used already";
        }

        return s.Invitation.Expires <= time.GetUtcNow() ? $"the invitation expired at {s.Invitation.Expires:O}" : null;
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
