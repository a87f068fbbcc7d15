using FastEndpoints;
using Tenants.Api.Features.Ledger.Keys;
using Tenants.Ledger.Signing;

namespace Tenants.Api.Features.Ledger.WellKnownKeys;

/// <summary>
/// <c>GET /.well-known/tenants/ledger-keys</c>: the checkpoint signing keys at a stable, anonymous, cacheable address
/// (RFC 8615), the same data as <c>GET /api/v1/ledger/keys</c>, for verifiers and auditors who know only the host.
/// </summary>
public sealed class Endpoint(ILedgerSigner signer) : EndpointWithoutRequest<LedgerKeysResponse>
{
    /// <summary>Keys change only with a rotation, which takes a restart; an hour of caching is safe and cheap.</summary>
    public const int MaxAgeSeconds = 3600;

    public override void Configure()
    {
        Get("/.well-known/tenants/ledger-keys");
        AllowAnonymous();
        Summary(s => s.Summary = "Public keys that sign ledger checkpoints, at a well-known address (cacheable).");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        HttpContext.Response.Headers.CacheControl = $"public, max-age={MaxAgeSeconds}";
        await Send.OkAsync(await LedgerKeysResponse.CreateAsync(signer, ct), ct);
    }
}
