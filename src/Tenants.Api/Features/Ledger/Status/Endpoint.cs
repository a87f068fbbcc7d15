using FastEndpoints;
using Tenants.Abstractions.Ledger;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Ledger.Status;

/// <summary><c>GET /api/v1/ledger</c>: size, sealed size and last checkpoint of the caller's ledger.</summary>
public sealed class Endpoint(IGrainFactory grains) : EndpointWithoutRequest<LedgerStatus>
{
    public override void Configure()
    {
        Get("/api/v1/ledger");
        Permissions(ApiPermissions.LedgerRead);
        Summary(s => s.Summary = "Status of the caller's ledger.");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var status = await grains.GetGrain<ILedgerGrain>(User.GetTenantId()).GetStatusAsync(ct);
        await Send.OkAsync(status, ct);
    }
}
