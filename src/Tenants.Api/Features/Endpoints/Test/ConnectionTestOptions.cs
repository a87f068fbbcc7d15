using System.ComponentModel.DataAnnotations;

namespace Tenants.Api.Features.Endpoints.Test;

/// <summary>Limits of the connection test the API runs against an endpoint's upstream (<c>Api:ConnectionTest</c>).</summary>
public sealed class ConnectionTestOptions
{
    public const string SectionName = "Api:ConnectionTest";

    /// <summary>Time allowed for the name lookup and the TCP connection, each.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for the TLS handshake, the login and <c>select version()</c>, each.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
