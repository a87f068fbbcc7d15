using FastEndpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tenants.Api.Security;
using Tenants.Ledger;
using Tenants.Ledger.Bundles;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;

namespace Tenants.Api.Features.Ledger.Export;

/// <summary>
/// <c>GET /api/v1/ledger/export</c>: the caller's ledger as an export bundle (a tar of the manifest, the public keys,
/// the checkpoints and the blocks exactly as stored), streamed, for <c>tenants-verify --bundle</c>.
/// </summary>
public sealed class Endpoint(ILedgerReader store, ILedgerSigner signer, IOptions<LedgerOptions> options) : Endpoint<ExportLedgerRequest>
{
    public override void Configure()
    {
        Get("/api/v1/ledger/export");
        Permissions(ApiPermissions.ExportsWrite);
        Summary(s => s.Summary = "Export the caller's ledger as a bundle an auditor verifies offline.");
    }

    public override async Task HandleAsync(ExportLedgerRequest req, CancellationToken ct)
    {
        var tenantId = User.GetTenantId();
        var origin = options.Value.OriginFor(tenantId);
        var range = new LedgerBundleRange(req.From, req.To);
        var created = (HttpContext.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();

        // Check the range against the stored checkpoints before the first byte goes out, so a bad one is a 400.
        await using var buffer = new BundleStart(HttpContext.Response, $"ledger-{tenantId}.tar");
        try
        {
            // Every published key, so a bundle that spans a key rotation carries the keys of its older checkpoints too.
            await LedgerBundleWriter.WriteAsync(store, tenantId, origin, await signer.GetPublicKeysAsync(ct), range, created, buffer, ct);
        }
        catch (ArgumentException ex) when (!HttpContext.Response.HasStarted)
        {
            ThrowError(ex.Message, 400);
        }
    }
}
