using FastEndpoints;
using FluentValidation;
using Tenants.Api.Features.Endpoints.Test;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Endpoints.TestUnsaved;

/// <summary><c>POST /api/v1/endpoints/test</c>: tests settings before they are saved; nothing is stored.</summary>
public sealed class Endpoint : Endpoint<TestUnsavedEndpointRequest, ConnectionTestResponse>
{
    public override void Configure()
    {
        Post("/api/v1/endpoints/test");
        Permissions(ApiPermissions.EndpointsWrite);
        Summary(s => s.Summary = "Tests the connection to a database with settings that are not saved yet.");
    }

    public override async Task HandleAsync(TestUnsavedEndpointRequest req, CancellationToken ct)
    {
        // The password is used at once and never sealed or stored.
        var settings = EndpointOperations.Settings(() => EndpointSettingsMapper.Apply(req.Id ?? "unsaved", req, current: null, removeBroker: false, static p => p));
        var (user, password) = req.User is not null ? (req.User, req.Password)
            : req.Broker is { User: { } u, Password: { } p } ? (u, p)
            : (null, null);
        await Send.OkAsync(await Resolve<ConnectionTester>().RunAsync(settings, user, password, ct), ct);
    }
}

/// <summary>The settings rules every endpoint action shares, and credentials that come as a pair.</summary>
public sealed class TestUnsavedEndpointValidator : Validator<TestUnsavedEndpointRequest>
{
    public TestUnsavedEndpointValidator()
    {
        RuleFor(r => r.Id!).ValidEndpointId().When(r => r.Id is not null);
        RuleFor(r => r.UpstreamHost).NotNull().WithMessage("upstreamHost is required");
        EndpointRules.AddSettingsRules(this);
        RuleFor(r => r.User).Must(u => EndpointRules.Plain(u, 63)).When(r => r.User is not null).WithMessage("user must be a database role of 1-63 characters");
        RuleFor(r => r.Password).NotNull().When(r => r.User is not null).WithMessage("password is required with user");
        RuleFor(r => r.User).NotNull().When(r => r.Password is not null).WithMessage("user is required with password");
        RuleFor(r => r.Password).MaximumLength(1024).WithMessage("password must be at most 1024 characters");
    }
}
