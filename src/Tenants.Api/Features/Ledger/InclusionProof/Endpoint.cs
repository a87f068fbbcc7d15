using FastEndpoints;
using FluentValidation;
using Tenants.Ledger.Storage;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Ledger.InclusionProof;

/// <summary>
/// <c>GET /api/v1/ledger/proofs/inclusion?index=&lt;i&gt;&amp;size=&lt;s&gt;</c>: the caller's entry <c>i</c> with its
/// RFC 6962 audit path to the checkpointed tree of size <c>s</c> and that signed checkpoint, read from hash tiles.
/// </summary>
public sealed class Endpoint(ILedgerReader store) : LedgerProofEndpoint<InclusionProofRequest, InclusionProofResponse>(store)
{
    public override void Configure()
    {
        Get("/api/v1/ledger/proofs/inclusion");
        Permissions(ApiPermissions.LedgerRead);
        Summary(s => s.Summary = "Inclusion proof of one of the caller's entries in a checkpointed tree.");
    }

    public override async Task HandleAsync(InclusionProofRequest req, CancellationToken ct)
    {
        var proof = await ProveAsync((proofs, token) => proofs.GetInclusionProofAsync(req.Index!.Value, req.Size!.Value, token), ct);

        await Send.OkAsync(new InclusionProofResponse
        {
            LeafIndex = proof.LeafIndex,
            TreeSize = proof.TreeSize,
            Entry = Convert.ToBase64String(proof.Entry.Span),
            Hashes = [.. proof.Hashes.Select(Convert.ToBase64String)],
            Checkpoint = proof.Checkpoint,
        }, ct);
    }
}

/// <summary>Both numbers present, not negative, and the index below the size.</summary>
public sealed class InclusionProofValidator : Validator<InclusionProofRequest>
{
    public InclusionProofValidator()
    {
        RuleFor(r => r.Index).NotNull().WithMessage("index is required")
            .GreaterThanOrEqualTo(0).WithMessage("index must not be negative");
        RuleFor(r => r.Size).NotNull().WithMessage("size is required")
            .GreaterThan(0).WithMessage("size must be a positive checkpointed tree size");
        RuleFor(r => r.Index).LessThan(r => r.Size).When(r => r.Index is not null && r.Size is not null)
            .WithMessage("index must be below size");
    }
}
