namespace Tenants.Api.Features.Exports.List;

/// <summary>A page of the caller's exports, newest first.</summary>
public sealed class ListExportsRequest
{
    /// <summary>How many (1 to 100, default 20).</summary>
    public int? Limit { get; set; }

    /// <summary>Only exports older than this id: pass the previous page's <c>next</c>.</summary>
    public string? Before { get; set; }
}
