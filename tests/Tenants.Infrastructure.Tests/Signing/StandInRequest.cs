namespace Tenants.Infrastructure.Tests.Signing;

/// <summary>One request <see cref="KeyVaultStandIn"/> received, and how it answered.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path.</param>
/// <param name="Operation"><c>challenge</c>, <c>get key</c>, <c>list versions</c>, <c>sign</c> or <c>unknown</c>.</param>
/// <param name="HadToken">Whether it carried a bearer token.</param>
/// <param name="BodyLength">Bytes of request body.</param>
/// <param name="Status">The status the stand-in answered with.</param>
/// <param name="Timestamp"><see cref="System.Diagnostics.Stopwatch"/> timestamp when it arrived.</param>
public sealed record StandInRequest(string Method, string Path, string Operation, bool HadToken, int BodyLength, int Status, long Timestamp);
