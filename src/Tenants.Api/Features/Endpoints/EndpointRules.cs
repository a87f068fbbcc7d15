using System.Text.RegularExpressions;
using FluentValidation;

namespace Tenants.Api.Features.Endpoints;

/// <summary>What an endpoint id and the settings in a request may be; checked before anything reaches a grain.</summary>
internal static partial class EndpointRules
{
    public const string IdMessage = "id must be 1-63 lowercase letters, digits and hyphens, starting with a letter or digit";

    public static readonly string[] TlsModes = ["disable", "require", "verify-full"];

    public static readonly string[] DurabilityModes = ["durable", "sequenced", "async"];

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    public static bool IsId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static IRuleBuilderOptions<T, string> ValidEndpointId<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(IsId).WithMessage(IdMessage);

    /// <summary>The rules every action shares for the settings in its body.</summary>
    public static void AddSettingsRules<T>(AbstractValidator<T> v)
        where T : EndpointSettingsBody
    {
        v.RuleFor(r => r.UpstreamHost).Must(h => Plain(h, 253) && !h!.Any(char.IsWhiteSpace)).When(r => r.UpstreamHost is not null)
            .WithMessage("upstreamHost must be a host name or address of 1-253 characters without spaces or control characters");
        v.RuleFor(r => r.UpstreamPort).InclusiveBetween(1, 65535).When(r => r.UpstreamPort is not null)
            .WithMessage("upstreamPort must be a port from 1 to 65535");
        v.RuleFor(r => r.DefaultDatabase).Must(d => Plain(d, 63)).When(r => r.DefaultDatabase is not null)
            .WithMessage("defaultDatabase must be 1-63 characters without control characters or surrounding spaces");
        v.RuleFor(r => r.TlsMode).Must(m => TlsModes.Contains(m)).When(r => r.TlsMode is not null)
            .WithMessage("tlsMode must be one of disable, require, verify-full");
        v.RuleFor(r => r.CaCertificatePem).Must(p => p!.Length <= 65536 && p.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            .When(r => r.CaCertificatePem is not null).WithMessage("caCertificatePem must be a PEM certificate of at most 64 KiB");
        v.RuleFor(r => r.MaxConnections).InclusiveBetween(0, 1_000_000).When(r => r.MaxConnections is not null)
            .WithMessage("maxConnections must be 0 (no limit) to 1000000");
        foreach (var (name, mode) in (ReadOnlySpan<(string, Func<EndpointDurabilityBody, string?>)>)[
            ("read", d => d.Read), ("write", d => d.Write), ("ddl", d => d.Ddl), ("dcl", d => d.Dcl), ("tcl", d => d.Tcl), ("other", d => d.Other)])
        {
            v.RuleFor(r => mode(r.Durability!)).Must(m => DurabilityModes.Contains(m)).When(r => r.Durability is not null && mode(r.Durability) is not null)
                .OverridePropertyName($"durability.{name}").WithMessage($"durability.{name} must be one of durable, sequenced, async");
        }

        v.RuleFor(r => r.Broker!.User).Must(u => Plain(u, 63)).When(r => r.Broker?.User is not null)
            .OverridePropertyName("broker.user").WithMessage("broker.user must be a database role of 1-63 characters");
        v.RuleFor(r => r.Broker!.Password).Must(p => p!.Length is > 0 and <= 1024 && !p.Contains('\0', StringComparison.Ordinal))
            .When(r => r.Broker?.Password is not null).OverridePropertyName("broker.password").WithMessage("broker.password must be 1-1024 characters without NUL");
    }

    public static bool Plain(string? value, int max) =>
        value is { Length: > 0 } s && s.Length <= max && !s.Any(char.IsControl) && s == s.Trim();
}
