namespace Tenants.Edge.Endpoints;

/// <summary>
/// The endpoint a connection is for, and the startup parameters to send upstream with the routing marks removed;
/// or why the connection is refused (<see cref="SqlState"/>, <see cref="Message"/>, <see cref="Hint"/>).
/// </summary>
public sealed record EndpointResolution
{
    public EdgeEndpointOptions? Endpoint { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> UpstreamParameters { get; init; } = [];

    public string? SqlState { get; init; }

    public string? Message { get; init; }

    public string? Hint { get; init; }

    public bool Succeeded => Endpoint is not null && SqlState is null;
}
