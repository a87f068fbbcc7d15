using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Policies.Publish;

/// <summary>
/// <c>POST /api/v1/policies</c>: publishes the request body (a policy document, JSON) as the next version, after
/// <see cref="PolicyDocumentSchema"/> accepts it. Problems come back as 400 problem details, one error per JSON path;
/// a body over 1 MiB is 413. <c>POST /api/v1/policies/dry-run</c> tries a document on recent events first.
/// </summary>
public sealed partial class Endpoint(IGrainFactory grains, ILogger<Endpoint> logger) : EndpointWithoutRequest<PolicyResponse>
{
    public override void Configure()
    {
        Post("/api/v1/policies");
        Permissions(ApiPermissions.PolicyWrite);
        Summary(s => s.Summary = "Publishes a new policy version (the body is the document).");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var body = await ReadBodyAsync(HttpContext.Request, ct);
        if (body is null)
        {
            ThrowError($"the policy document may be at most {PolicyDocumentSchema.MaxBytes} bytes", StatusCodes.Status413PayloadTooLarge);
        }

        foreach (var (path, message) in PolicyDocumentSchema.Check(body))
        {
            AddError(new ValidationFailure(path, message));
        }

        ThrowIfAnyErrors();
        var tenant = grains.GetGrain<ITenantGrain>(User.GetTenantId());
        var actor = await TenantActor.ResolveAsync(User, tenant, ct);
        TenantPolicy published;
        try
        {
            published = await tenant.PublishPolicyAsync(actor, PolicyDocumentSchema.Text(body), ct);
        }
        catch (TenantValidationException ex)
        {
            ThrowError(ex.Message, StatusCodes.Status400BadRequest);
            throw;
        }

        LogPublished(User.GetTenantId(), published.Version, actor);
        await Send.ResponseAsync(PolicyVersions.Response(published, published.Version), StatusCodes.Status201Created, ct);
    }

    /// <summary>The body, or null when it is larger than a policy may be (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > PolicyDocumentSchema.MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > PolicyDocumentSchema.MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(EventId = 3320, EventName = "ApiPolicyPublished", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: policy version {Version} published by member {Actor} through the API")]
    private partial void LogPublished(string tenantId, int version, string actor);
}
