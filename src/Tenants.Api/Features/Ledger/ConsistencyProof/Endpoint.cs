using FastEndpoints;
using FluentValidation;
using Tenants.Ledger.Storage;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Ledger.ConsistencyProof;

/// <summary>
/// <c>GET /api/v1/ledger/proofs/consistency?from=&lt;a&gt;&amp;to=&lt;b&gt;</c>: the RFC 6962 consistency proof between two
/// of the caller's checkpoints, and both signed notes, read from hash tiles.
/// </summary>
public sealed class Endpoint(ILedgerReader store) : LedgerProofEndpoint<ConsistencyProofRequest, ConsistencyProofResponse>(store)
{
    public override void Configure()
    {
        Get("/api/v1/ledger/proofs/consistency");
        Permissions(ApiPermissions.LedgerRead);
        Summary(s => s.Summary = "Consistency proof between two of the caller's checkpoints.");
    }

    public override async Task HandleAsync(ConsistencyProofRequest req, CancellationToken ct)
    {
        var proof = await ProveAsync((proofs, token) => proofs.GetConsistencyProofAsync(req.From!.Value, req.To!.Value, token), ct);

        await Send.OkAsync(new ConsistencyProofResponse
        {
            From = proof.FromSize,
            To = proof.ToSize,
            Hashes = [.. proof.Hashes.Select(Convert.ToBase64String)],
            FromCheckpoint = proof.FromCheckpoint,
            ToCheckpoint = proof.ToCheckpoint,
        }, ct);
    }
}

/// <summary>Both sizes present, not negative, and in order.</summary>
public sealed class ConsistencyProofValidator : Validator<ConsistencyProofRequest>
{
    public ConsistencyProofValidator()
    {
        RuleFor(r => r.From).NotNull().WithMessage("from is required")
            .GreaterThanOrEqualTo(0).WithMessage("from must not be negative");
        RuleFor(r => r.To).NotNull().WithMessage("to is required")
            .GreaterThanOrEqualTo(0).WithMessage("to must not be negative");
        RuleFor(r => r.From).LessThanOrEqualTo(r => r.To).When(r => r.From is not null && r.To is not null)
            .WithMessage("from must not exceed to");
    }
}
