namespace Tenants.Infrastructure.Signing;

/// <summary>
/// A Key Vault call made for ledger signing failed. The message names the vault, the key (and version), the operation
/// and the service's error code and message, with a hint for the usual causes.
/// </summary>
public sealed class KeyVaultSigningException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyVaultSigningException(string message, int status = 0, string? errorCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>Creates the exception.</summary>
    public KeyVaultSigningException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public KeyVaultSigningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public KeyVaultSigningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status of the failed call, or 0 when no response arrived.</summary>
    public int Status { get; }

    /// <summary>The service's error code (e.g. <c>Forbidden</c>, <c>KeyNotFound</c>), when it sent one.</summary>
    public string? ErrorCode { get; }
}
