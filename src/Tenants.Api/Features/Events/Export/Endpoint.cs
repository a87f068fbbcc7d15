using System.Text;
using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tenants.Api.Security;
using Tenants.Ledger;
using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Events.Export;

/// <summary>
/// <c>GET /api/v1/events/export?format=csv|jsonl&amp;&lt;filters&gt;</c>: every one of the caller's events matching the
/// filters, streamed from one snapshot of the search index as it is read, for spreadsheets (CSV) and SIEMs (JSON Lines).
/// The filter is echoed in the <c>X-Tenants-Export-Filter</c> header.
/// </summary>
public sealed class Endpoint(IServiceProvider services, IOptions<LedgerOptions> options) : Endpoint<ExportEventsRequest>
{
    public const string FilterHeader = "X-Tenants-Export-Filter";

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public override void Configure()
    {
        Get("/api/v1/events/export");
        Permissions(ApiPermissions.ExportsWrite);
        Summary(s => s.Summary = "Export the caller's matching events as CSV or JSON Lines, streamed.");
    }

    public override async Task HandleAsync(ExportEventsRequest req, CancellationToken ct)
    {
        if (services.GetService<ILedgerIndexReader>() is not { } index)
        {
            AddError("exports need the search index, which this node does not have (ConnectionStrings:Postgres)");
            await Send.ErrorsAsync(cancellation: ct);
            return;
        }

        var tenant = User.GetTenantId();
        var origin = options.Value.OriginFor(tenant);
        var csv = req.Format == "csv";
        var query = req.ToQuery() with { Sort = req.Sort == "-time" ? LedgerIndexSort.TimeDescending : LedgerIndexSort.TimeAscending };

        var response = HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = csv ? "text/csv; charset=utf-8; header=present" : "application/jsonl; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"events-{tenant}.{(csv ? "csv" : "jsonl")}\"";
        // Header values are ASCII: the query string as the client sent it (percent-encoded), never decoded text.
        response.Headers[FilterHeader] = HttpContext.Request.QueryString.HasValue ? HttpContext.Request.QueryString.Value![1..] : string.Empty;

        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);
        if (csv)
        {
            await writer.WriteAsync(EventCsv.Header().AsMemory(), ct);
        }

        await foreach (var entry in index.StreamAsync(tenant, query, ct))
        {
            if (EventItems.TryRead(Encoding.UTF8.GetBytes(entry.Entry), tenant, origin, entry.Fingerprint) is not { } item)
            {
                continue;
            }

            await writer.WriteAsync((csv ? EventCsv.Row(item) : JsonSerializer.Serialize(item, _json) + "\n").AsMemory(), ct);
        }

        await writer.FlushAsync(ct);
    }
}

/// <summary>A known format and order, and the shared filter rules.</summary>
public sealed class ExportEventsValidator : Validator<ExportEventsRequest>
{
    public ExportEventsValidator()
    {
        RuleFor(r => r.Format).Must(f => f is "csv" or "jsonl").WithMessage("format must be csv or jsonl");
        RuleFor(r => r.Sort).Must(s => s is "time" or "-time").When(r => r.Sort is not null).WithMessage("sort must be time or -time");
        this.AddEventFilterRules();
    }
}
