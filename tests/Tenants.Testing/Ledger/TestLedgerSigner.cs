using System.Security.Cryptography;
using Tenants.Ledger.Signing;

namespace Tenants.Testing.Ledger;

/// <summary>An in-memory ECDSA P-256 signer for tests (the real local signer lives in Tenants.Infrastructure).</summary>
public sealed class TestLedgerSigner : ILedgerSigner, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestLedgerSigner(string name)
    {
        PublicKey = new LedgerPublicKey(name, _key.ExportSubjectPublicKeyInfo());
    }

    public LedgerPublicKey PublicKey { get; }

    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        Task.FromResult(_key.SignData(message.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public void Dispose() => _key.Dispose();
}
