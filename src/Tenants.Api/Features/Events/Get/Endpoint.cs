using System.Globalization;
using System.Text;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tenants.Api.Security;
using Tenants.Ledger;
using Tenants.Ledger.Index;
using Tenants.Ledger.Storage;

namespace Tenants.Api.Features.Events.Get;

/// <summary>
/// <c>GET /api/v1/events/{id}</c>: one of the caller's events by event id or <c>index:&lt;leaf&gt;</c>, from the search
/// index (confined to the caller's tenant), with its sealed entry, its block and links to its session and proof.
/// Another tenant's event id is simply unknown (404).
/// </summary>
public sealed class Endpoint(IServiceProvider services, ILedgerReader store, IOptions<LedgerOptions> options) : Endpoint<GetEventRequest, EventDetailResponse>
{
    public const string IndexPrefix = "index:";

    public override void Configure()
    {
        Get("/api/v1/events/{id}");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "One event of the caller's tenant: the sealed entry, its block, its session and proof links.");
    }

    public override async Task HandleAsync(GetEventRequest req, CancellationToken ct)
    {
        if (services.GetService<ILedgerIndexReader>() is not { } index)
        {
            AddError("event detail needs the search index, which this node does not have (ConnectionStrings:Postgres)");
            await Send.ErrorsAsync(cancellation: ct);
            return;
        }

        var tenant = User.GetTenantId();
        var found = req.Id.StartsWith(IndexPrefix, StringComparison.Ordinal)
            ? await index.FindAsync(tenant, null, long.Parse(req.Id.AsSpan(IndexPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture), ct)
            : await index.FindAsync(tenant, req.Id, null, ct);
        if (found is null
            || EventItems.TryRead(Encoding.UTF8.GetBytes(found.Entry), tenant, options.Value.OriginFor(tenant), found.Fingerprint) is not { } item)
        {
            ThrowError($"no event '{req.Id}' in this tenant's search index", StatusCodes.Status404NotFound);
            return;
        }

        var block = found.Block ?? await FindBlockAsync(tenant, found.LeafIndex, ct);
        var session = Uri.EscapeDataString(item.Session);
        await Send.OkAsync(new EventDetailResponse
        {
            Event = item,
            Entry = found.Entry,
            Block = block is { } b ? new BlockReference { FirstIndex = b.FirstIndex, LastIndex = b.LastIndex, Path = b.Path } : null,
            SessionHref = $"/api/v1/sessions/{session}",
            TimelineHref = $"/api/v1/sessions/{session}/timeline",
            InclusionProofHref = string.Create(CultureInfo.InvariantCulture, $"/api/v1/ledger/proofs/inclusion?index={found.LeafIndex}"),
        }, ct);
    }

    // Rows indexed before the index recorded blocks: the listing is in leaf order, so it stops at the block.
    private async Task<LedgerBlockName?> FindBlockAsync(string tenant, long leaf, CancellationToken ct)
    {
        await foreach (var name in store.ListBlocksAsync(tenant, ct))
        {
            if (name.FirstIndex <= leaf && leaf <= name.LastIndex)
            {
                return name;
            }

            if (name.FirstIndex > leaf)
            {
                break;
            }
        }

        return null;
    }
}

/// <summary>An event id as the edge gives them (at most 128 plain characters), or <c>index:</c> and a leaf index.</summary>
public sealed class GetEventValidator : Validator<GetEventRequest>
{
    public GetEventValidator() =>
        RuleFor(r => r.Id)
            .Must(id => id.StartsWith(Endpoint.IndexPrefix, StringComparison.Ordinal)
                ? long.TryParse(id.AsSpan(Endpoint.IndexPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _)
                : id is { Length: > 0 and <= 128 } && id.All(c => c > ' ' && c != '/' && c < 127))
            .WithMessage("id must be an event id (1 to 128 printable ASCII characters without '/') or index:<leaf index>");
}
