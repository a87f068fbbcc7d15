using System.Security.Cryptography;
using System.Text;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Endpoints.Create;

/// <summary>
/// <c>POST /api/v1/endpoints</c>: connects a database. A brokered password is sealed for this tenant and endpoint
/// before it reaches the grain and is never returned. An id anyone holds (another tenant's, or a deleted endpoint's)
/// is 409.
/// </summary>
public sealed class Endpoint : Endpoint<CreateEndpointRequest, EndpointResponse>
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public override void Configure()
    {
        Post("/api/v1/endpoints");
        Permissions(ApiPermissions.EndpointsWrite);
        Summary(s => s.Summary = "Connects a database: upstream, TLS, limits, durability and optional brokered credentials.");
    }

    public override async Task HandleAsync(CreateEndpointRequest req, CancellationToken ct)
    {
        var ops = Resolve<EndpointOperations>();
        var actor = await ops.ActorAsync(User, ct);
        var id = req.Id;
        if (id is null)
        {
            // Four random characters make a collision unlikely; a few tries make it harmless.
            for (var attempt = 0; attempt < 5 && (id is null || await ops.IsTakenAsync(id, ct)); attempt++)
            {
                id = Generate(req.Name ?? req.DefaultDatabase ?? "db");
            }
        }

        if (await ops.IsTakenAsync(id!, ct))
        {
            ThrowError($"endpoint id '{id}' is taken (by this or another tenant, now or before); choose another id", StatusCodes.Status409Conflict);
        }

        var settings = EndpointOperations.Settings(() => EndpointSettingsMapper.Apply(id!, req, current: null, removeBroker: false, ops.Sealer(User, id!)));
        var tenant = ops.Tenant(User);
        Abstractions.Tenancy.TenantEndpoint created;
        try
        {
            created = await tenant.AddEndpointAsync(actor, settings, ct);
        }
        catch (Abstractions.Tenancy.TenantValidationException ex)
        {
            // Another request may have taken the id since the check above.
            var taken = await ops.IsTakenAsync(id!, ct) && !(await tenant.GetEndpointsAsync(ct)).Any(e => e.Id == id && !e.Deleted);
            ThrowError(taken ? $"endpoint id '{id}' is taken (by this or another tenant, now or before); choose another id" : ex.Message,
                taken ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
            throw;
        }

        ops.Changed(User, created.Id, "created", actor);
        await Send.CreatedAtAsync<Get.Endpoint>(new { id = created.Id }, ops.Response(created), cancellation: ct);
    }

    /// <summary><c>&lt;slug of name&gt;-&lt;4 random characters&gt;</c>, within the id rules.</summary>
    internal static string Generate(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= 40)
            {
                break;
            }
        }

        var stem = slug.ToString().Trim('-');
        return $"{(stem.Length == 0 ? "db" : stem)}-{RandomNumberGenerator.GetString(Alphabet, 4)}";
    }
}

/// <summary>The id and name, and the settings rules every endpoint action shares.</summary>
public sealed class CreateEndpointValidator : Validator<CreateEndpointRequest>
{
    public CreateEndpointValidator()
    {
        RuleFor(r => r.Id!).ValidEndpointId().When(r => r.Id is not null);
        RuleFor(r => r.Name).Must(n => EndpointRules.Plain(n, 100)).When(r => r.Name is not null)
            .WithMessage("name must be 1-100 characters without control characters");
        RuleFor(r => r.UpstreamHost).NotNull().WithMessage("upstreamHost is required");
        EndpointRules.AddSettingsRules(this);
    }
}
