using FastEndpoints;
using FluentValidation;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Endpoints.Test;

/// <summary>
/// <c>POST /api/v1/endpoints/{id}/test</c>: tests a saved endpoint's upstream from this API node. A login is tried with
/// the credentials in the request, else with the stored brokered credential.
/// </summary>
public sealed class Endpoint : Endpoint<TestEndpointRequest, ConnectionTestResponse>
{
    public override void Configure()
    {
        Post("/api/v1/endpoints/{id}/test");
        Permissions(ApiPermissions.EndpointsWrite);
        Summary(s => s.Summary = "Tests the connection to a saved endpoint's database: DNS, TCP, TLS, and a login when credentials are known.");
    }

    public override async Task HandleAsync(TestEndpointRequest req, CancellationToken ct)
    {
        var ops = Resolve<EndpointOperations>();
        var endpoint = await ops.FindAsync(User, req.Id, ct);
        var settings = endpoint.Settings;
        var (user, password) = req.User is not null ? (req.User, req.Password)
            : settings.Broker is { } broker ? (broker.User, ops.Open(User, settings))
            : (null, null);
        await Send.OkAsync(await Resolve<ConnectionTester>().RunAsync(settings, user, password, ct), ct);
    }
}

/// <summary>The id, and credentials that come as a pair.</summary>
public sealed class TestEndpointValidator : Validator<TestEndpointRequest>
{
    public TestEndpointValidator()
    {
        RuleFor(r => r.Id).ValidEndpointId();
        RuleFor(r => r.User).Must(u => EndpointRules.Plain(u, 63)).When(r => r.User is not null).WithMessage("user must be a database role of 1-63 characters");
        RuleFor(r => r.Password).NotNull().When(r => r.User is not null).WithMessage("password is required with user");
        RuleFor(r => r.User).NotNull().When(r => r.Password is not null).WithMessage("user is required with password");
        RuleFor(r => r.Password).MaximumLength(1024).WithMessage("password must be at most 1024 characters");
    }
}
