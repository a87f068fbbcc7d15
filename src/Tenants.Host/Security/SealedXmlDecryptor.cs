using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Tenants.Abstractions.Secrets;

namespace Tenants.Host.Security;

/// <summary>
/// Opens a key secret sealed by <see cref="SealedXmlEncryptor"/>. Data protection creates it by type name from the
/// stored key ring, with the service provider: hence public, with that constructor.
/// </summary>
public sealed class SealedXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var protector = services.GetRequiredService<CredentialProtector>();
        return XElement.Parse(protector.Open(encryptedElement.Value, SealedXmlEncryptor.Context));
    }
}
