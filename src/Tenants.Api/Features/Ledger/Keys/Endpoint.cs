using FastEndpoints;
using Tenants.Ledger.Signing;

namespace Tenants.Api.Features.Ledger.Keys;

/// <summary>
/// <c>GET /api/v1/ledger/keys</c>: the public keys checkpoints are signed with, the current one first, then the
/// earlier versions that signed checkpoints before a key rotation. Public: a verifier must be able to
/// fetch them without credentials, and they reveal nothing about any tenant.
/// </summary>
public sealed class Endpoint(ILedgerSigner signer) : EndpointWithoutRequest<LedgerKeysResponse>
{
    public override void Configure()
    {
        Get("/api/v1/ledger/keys");
        AllowAnonymous();
        Summary(s => s.Summary = "Public keys that sign ledger checkpoints.");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await Send.OkAsync(await LedgerKeysResponse.CreateAsync(signer, ct), ct);
    }
}
