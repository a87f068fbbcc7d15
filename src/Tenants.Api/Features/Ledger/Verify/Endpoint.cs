using FastEndpoints;
using Microsoft.Extensions.Options;
using Tenants.Api.Security;
using Tenants.Ledger;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Verification;

namespace Tenants.Api.Features.Ledger.Verify;

/// <summary>
/// <c>GET /api/v1/ledger/verify</c>: re-reads the caller's whole ledger from storage and checks it against the
/// signed checkpoints with the published public keys, as an outside auditor would.
/// </summary>
public sealed class Endpoint(ILedgerReader store, ILedgerSigner signer, IOptions<LedgerOptions> options) : EndpointWithoutRequest<VerifyLedgerResponse>
{
    public override void Configure()
    {
        Get("/api/v1/ledger/verify");
        Permissions(ApiPermissions.LedgerRead);
        Summary(s => s.Summary = "Verify the caller's ledger end to end.");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var tenantId = User.GetTenantId();
        // Every published key, so checkpoints signed before a key rotation still verify.
        var verifier = new LedgerVerifier(store, await signer.GetPublicKeysAsync(ct));
        var report = await verifier.VerifyAsync(tenantId, options.Value.OriginFor(tenantId), ct);
        await Send.OkAsync(new VerifyLedgerResponse
        {
            Valid = report.IsValid,
            TreeSize = report.TreeSize,
            EntriesChecked = report.EntriesChecked,
            BlocksChecked = report.BlocksChecked,
            CheckpointsChecked = report.CheckpointsChecked,
            FirstProblem = report.FirstProblem is { } p
                ? new VerifyProblem { Location = p.Location, LeafIndex = p.LeafIndex, Line = p.Line, Message = p.Message }
                : null,
            Report = report.Lines,
        }, ct);
    }
}
