namespace Tenants.Abstractions.Secrets;

/// <summary>A sealed credential that cannot be opened here; the message says why, never what the value is.</summary>
public sealed class CredentialUnavailableException(string message) : Exception(message);
