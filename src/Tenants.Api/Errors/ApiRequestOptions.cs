namespace Tenants.Api.Errors;

/// <summary>Limits on API requests (configuration section <c>Api:Requests</c>).</summary>
public sealed class ApiRequestOptions
{
    public const string SectionName = "Api:Requests";

    /// <summary>
    /// The largest request body under <c>/api</c>, in bytes (default 1 MiB); a larger one is refused with 413 problem
    /// details before it is read.
    /// </summary>
    public long MaxBodyBytes { get; set; } = 1 << 20;
}
