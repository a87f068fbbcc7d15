using System.Globalization;
using FastEndpoints;
using Tenants.Ledger.Signing;

namespace Tenants.Api.Features.Ledger.Keys;

/// <summary>
/// <c>GET /api/v1/ledger/keys</c>: the public keys checkpoints are signed with. Public: a verifier must be able to
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
        var key = signer.PublicKey;
        await Send.OkAsync(new LedgerKeysResponse
        {
            Keys =
            [
                new LedgerKeyItem
                {
                    Name = key.Name,
                    KeyId = key.KeyId.ToString("x8", CultureInfo.InvariantCulture),
                    Algorithm = "ECDSA-P256-SHA256",
                    PublicKeyPem = key.ToPem(),
                },
            ],
        }, ct);
    }
}
