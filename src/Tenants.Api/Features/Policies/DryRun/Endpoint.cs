using System.Text;
using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Ledger;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Security;
using Tenants.Ledger;
using Tenants.Ledger.Index;
using Tenants.Policy.Rules;

namespace Tenants.Api.Features.Policies.DryRun;

/// <summary>
/// <c>POST /api/v1/policies/dry-run</c>: compiles a policy document without publishing it and evaluates it against
/// the caller's recent statement events from the search index, at each statement's time, with each statement's
/// endpoint, database user and person (and the person's current role). Needs policy:read and events:read, since the
/// answer quotes events.
/// </summary>
public sealed partial class Endpoint(IServiceProvider services, IGrainFactory grains, IOptions<LedgerOptions> options, ILogger<Endpoint> logger)
    : Endpoint<DryRunRequest, DryRunResponse>
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    public override void Configure()
    {
        Post("/api/v1/policies/dry-run");
        PermissionsAll(ApiPermissions.PolicyRead, ApiPermissions.EventsRead);
        Summary(s => s.Summary = "Tries a policy document on recent statements (not published): what each rule would match, deny, mask, limit or redact.");
    }

    public override async Task HandleAsync(DryRunRequest req, CancellationToken ct)
    {
        var policy = Compile(req.Document);
        var index = services.GetService<ILedgerIndexReader>();
        if (index is null)
        {
            ThrowError("a dry-run reads events from the search index, which this node does not have (ConnectionStrings:Postgres)");
        }

        var to = req.To ?? (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var from = req.From ?? to.AddDays(-1);
        if (from >= to)
        {
            ThrowError(new ValidationFailure("from", $"from ({from:O}) must be before to ({to:O})"));
        }

        var tenantId = User.GetTenantId();
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        var roles = await tenant.GetAccountAsync(ct) is null
            ? new Dictionary<string, string>()
            : (await tenant.GetMembersAsync(ct)).ToDictionary(m => m.Id, m => m.Role.ToString().ToLowerInvariant(), StringComparer.Ordinal);
        var run = new PolicyDryRun(policy, roles);

        // The ledger grain's status also activates the ledger, whose recovery asks the indexer to catch up.
        await grains.GetGrain<ILedgerGrain>(tenantId).GetStatusAsync(ct);
        var complete = await DryRunEvents.ReadAsync(index, tenantId, options.Value.OriginFor(tenantId), from, to, req.Limit ?? DefaultLimit, run.Add, ct);
        LogDryRun(tenantId, run.Examined, policy.Rules.Count);
        await Send.OkAsync(run.Response(from, to, complete), ct);
    }

    private CompiledPolicy Compile(JsonElement document)
    {
        string? text = document.ValueKind switch
        {
            JsonValueKind.Object => document.GetRawText(),
            JsonValueKind.String => document.GetString(),
            _ => null,
        };
        if (text is null)
        {
            ThrowError(new ValidationFailure("document", document.ValueKind == JsonValueKind.Undefined
                ? "document is required: the policy document to try (an object, or a string holding one)"
                : "document must be a policy document (an object) or a string holding one"));
        }

        foreach (var (path, message) in PolicyDocumentSchema.Check(Encoding.UTF8.GetBytes(text)))
        {
            AddError(new ValidationFailure("document" + path[1..], message));
        }

        ThrowIfAnyErrors();
        return (CompiledPolicy)PolicyDocumentSchema.Compile(text).Policy!;
    }

    [LoggerMessage(EventId = 7500, EventName = "ApiPolicyDryRun", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: policy dry-run over {Examined} statements with {Rules} rules")]
    private partial void LogDryRun(string tenantId, int examined, int rules);
}

/// <summary>Rejects a limit that cannot be meant, before anything is read (the range is checked once its defaults are known).</summary>
public sealed class DryRunValidator : Validator<DryRunRequest>
{
    public DryRunValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, Endpoint.MaxLimit).When(r => r.Limit is not null)
            .WithMessage($"limit must be between 1 and {Endpoint.MaxLimit}");
    }
}
