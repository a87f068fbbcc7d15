using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Tenants.Abstractions.Secrets;

namespace Tenants.Host.Security;

/// <summary>
/// Seals a data protection key's secret with the cluster's credential keys (<see cref="CredentialProtector"/>, the
/// same on every node) before the key ring is stored; <see cref="SealedXmlDecryptor"/> opens it.
/// </summary>
internal sealed class SealedXmlEncryptor(CredentialProtector protector) : IXmlEncryptor
{
    /// <summary>What the sealed secrets are bound to: a value sealed for anything else does not open as a key.</summary>
    public const string Context = "data-protection-key";

    /// <summary>The element holding the sealed secret.</summary>
    public const string ElementName = "sealed";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var sealedSecret = protector.Seal(plaintextElement.ToString(SaveOptions.DisableFormatting), Context);
        return new EncryptedXmlInfo(new XElement(ElementName, sealedSecret), typeof(SealedXmlDecryptor));
    }
}
