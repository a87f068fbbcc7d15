namespace Tenants.Abstractions.Tenancy;

/// <summary>
/// A tenant or endpoint change was refused because its input breaks a rule (a malformed id, an endpoint id another
/// tenant holds, removing the last owner, ...). Nothing was changed; the message says what to fix, in words fit for
/// the person who asked; <see cref="Kind"/> says whether the API answers 400, 404 or 409.
/// </summary>
[GenerateSerializer]
[Alias("tenants.tenant-validation-exception.v1")]
public sealed class TenantValidationException : Exception
{
    public TenantValidationException()
        : this("The change was refused.")
    {
    }

    public TenantValidationException(string message)
        : base(message)
    {
    }

    public TenantValidationException(string message, TenantRefusalKind kind)
        : base(message) => Kind = kind;

    public TenantValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why the change was refused; the API's status code follows from it, never from the message's words.</summary>
    [Id(0)] public TenantRefusalKind Kind { get; init; }
}
