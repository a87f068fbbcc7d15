using Tenants.Abstractions.Tenancy;

namespace Tenants.Api.Features.Endpoints;

/// <summary>
/// Turns request bodies into <see cref="EndpointSettings"/> and settings into what responses show. Passwords are sealed
/// here, through the given function, so a password in clear never reaches a grain.
/// </summary>
internal static class EndpointSettingsMapper
{
    /// <summary>
    /// The settings after applying <paramref name="body"/> to <paramref name="current"/> (null when creating: then the
    /// upstream host is required and the rest has defaults). A broker without a password keeps the stored one.
    /// </summary>
    /// <exception cref="TenantValidationException">What is missing or does not fit together.</exception>
    public static EndpointSettings Apply(string id, EndpointSettingsBody body, EndpointSettings? current, bool removeBroker, Func<string, string> seal)
    {
        var host = body.UpstreamHost ?? current?.UpstreamHost
            ?? throw new TenantValidationException("upstreamHost is required");
        var tls = body.TlsMode is { } mode ? ParseTls(mode) : current?.TlsMode ?? EndpointTlsMode.Disable;
        var ca = body.CaCertificatePem ?? current?.CaCertificatePem;
        if (body.TlsMode is not null && tls != EndpointTlsMode.VerifyFull && body.CaCertificatePem is null)
        {
            // Leaving verify-full drops the CA it needed rather than refusing the change.
            ca = null;
        }

        BrokeredCredential? broker = removeBroker ? null : current?.Broker;
        if (body.Broker is { } b)
        {
            if (removeBroker)
            {
                throw new TenantValidationException("give either broker or removeBroker, not both");
            }

            var user = b.User ?? broker?.User ?? throw new TenantValidationException("broker.user is required");
            var sealedPassword = b.Password is { } password ? seal(password)
                : broker?.SealedPassword ?? throw new TenantValidationException("broker.password is required for a new brokered credential");
            broker = new BrokeredCredential { User = user, SealedPassword = sealedPassword };
        }

        return new EndpointSettings
        {
            Id = id,
            UpstreamHost = host,
            UpstreamPort = body.UpstreamPort ?? current?.UpstreamPort ?? 5432,
            DefaultDatabase = body.DefaultDatabase ?? current?.DefaultDatabase,
            TlsMode = tls,
            CaCertificatePem = ca,
            MaxConnections = body.MaxConnections ?? current?.MaxConnections ?? 0,
            AllowReplication = body.AllowReplication ?? current?.AllowReplication ?? false,
            Durability = body.Durability is { } d ? Durability(d, current?.Durability ?? EndpointDurability.Default) : current?.Durability,
            Broker = broker,
        };
    }

    public static EndpointTlsMode ParseTls(string mode) => mode switch
    {
        "disable" => EndpointTlsMode.Disable,
        "require" => EndpointTlsMode.Require,
        "verify-full" => EndpointTlsMode.VerifyFull,
        _ => throw new TenantValidationException("tlsMode must be one of disable, require, verify-full"),
    };

    public static string TlsName(EndpointTlsMode mode) => mode switch
    {
        EndpointTlsMode.Require => "require",
        EndpointTlsMode.VerifyFull => "verify-full",
        _ => "disable",
    };

    public static EndpointResponse ToResponse(TenantEndpoint endpoint, ProxyAddress proxy, EndpointStatusView? status)
    {
        var s = endpoint.Settings;
        var d = s.Durability ?? EndpointDurability.Default;
        return new EndpointResponse
        {
            Id = s.Id,
            UpstreamHost = s.UpstreamHost,
            UpstreamPort = s.UpstreamPort,
            DefaultDatabase = s.DefaultDatabase,
            TlsMode = TlsName(s.TlsMode),
            HasCaCertificate = s.CaCertificatePem is not null,
            MaxConnections = s.MaxConnections,
            AllowReplication = s.AllowReplication,
            Durability = new EndpointDurabilityView
            {
                Read = Name(d.Read), Write = Name(d.Write), Ddl = Name(d.Ddl), Dcl = Name(d.Dcl), Tcl = Name(d.Tcl), Other = Name(d.Other),
            },
            Broker = s.Broker is { } b ? new EndpointBrokerView { User = b.User, PasswordSet = true } : null,
            Enabled = endpoint.Enabled,
            Deleted = endpoint.Deleted,
            Created = endpoint.Created,
            Updated = endpoint.Updated,
            Version = endpoint.Version,
            Address = endpoint.Deleted ? null : EndpointConnectionStrings.For(s, proxy),
            Status = status,
        };
    }

    private static EndpointDurability Durability(EndpointDurabilityBody body, EndpointDurability basis) => new()
    {
        Read = Parse(body.Read) ?? basis.Read,
        Write = Parse(body.Write) ?? basis.Write,
        Ddl = Parse(body.Ddl) ?? basis.Ddl,
        Dcl = Parse(body.Dcl) ?? basis.Dcl,
        Tcl = Parse(body.Tcl) ?? basis.Tcl,
        Other = Parse(body.Other) ?? basis.Other,
    };

    private static AuditDurability? Parse(string? mode) => mode switch
    {
        null => null,
        "durable" => AuditDurability.Durable,
        "sequenced" => AuditDurability.Sequenced,
        "async" => AuditDurability.Async,
        _ => throw new TenantValidationException($"durability '{mode}' is not one of durable, sequenced, async"),
    };

    private static string Name(AuditDurability mode) => mode switch
    {
        AuditDurability.Sequenced => "sequenced",
        AuditDurability.Async => "async",
        _ => "durable",
    };
}
