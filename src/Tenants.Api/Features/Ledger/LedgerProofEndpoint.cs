using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Api.Security;
using Tenants.Ledger.Proofs;
using Tenants.Ledger.Storage;

namespace Tenants.Api.Features.Ledger;

/// <summary>
/// What the proof endpoints share: proofs over the caller's own ledger only, a caller's mistake (a size no checkpoint
/// was signed for, an index beyond it) as a 400, and storage that does not rebuild the signed root as a 500 naming
/// the blob.
/// </summary>
public abstract class LedgerProofEndpoint<TRequest, TResponse>(ILedgerReader store) : Endpoint<TRequest, TResponse>
    where TRequest : notnull
{
    /// <summary>Runs <paramref name="prove"/> over the caller's ledger, mapping its failures to problem details.</summary>
    protected async Task<TProof> ProveAsync<TProof>(Func<LedgerProofs, CancellationToken, Task<TProof>> prove, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prove);
        try
        {
            return await prove(new LedgerProofs(store, User.GetTenantId()), ct);
        }
        catch (LedgerProofRequestException ex)
        {
            ThrowError(ex.Message);
            throw;
        }
        catch (InvalidDataException ex)
        {
            ThrowError(ex.Message, StatusCodes.Status500InternalServerError);
            throw;
        }
    }
}
