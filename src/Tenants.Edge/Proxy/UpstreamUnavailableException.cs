namespace Tenants.Edge.Proxy;

/// <summary>The endpoint's database cannot be reached (or not securely, when the endpoint requires TLS).</summary>
internal sealed class UpstreamUnavailableException : Exception
{
    public UpstreamUnavailableException()
    {
    }

    public UpstreamUnavailableException(string message)
        : base(message)
    {
    }

    public UpstreamUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
