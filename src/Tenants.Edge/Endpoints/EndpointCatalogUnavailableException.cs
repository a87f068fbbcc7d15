namespace Tenants.Edge.Endpoints;

/// <summary>The endpoint directory could not be asked (cluster unreachable, timeout): the client gets SQLSTATE 57P03.</summary>
public sealed class EndpointCatalogUnavailableException : Exception
{
    public EndpointCatalogUnavailableException()
    {
    }

    public EndpointCatalogUnavailableException(string message)
        : base(message)
    {
    }

    public EndpointCatalogUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
