using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Identity;

namespace Tenants.Infrastructure.Signing;

public sealed partial class KeyVaultLedgerSigner
{
    private Task<T> GetAsync<T>(string path, string operation, string? version, Func<JsonElement, T> read, CancellationToken cancellationToken) =>
        SendAsync(RequestMethod.Get, new Uri($"{_vault}/{path}?api-version={KeyVaultClientOptions.ApiVersion}"), null, operation, version, read, cancellationToken);

    /// <summary>
    /// Sends one request through the pipeline (challenge auth, retries) and reads a 200 answer; anything else becomes a
    /// <see cref="KeyVaultSigningException"/> naming the vault, key, operation and the service's error.
    /// </summary>
    private async Task<T> SendAsync<T>(
        RequestMethod method, Uri uri, byte[]? body, string operation, string? version, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(body);
        }

        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException or InvalidOperationException or IOException)
        {
            LogCallFailed(_vault, _keyName, operation, 0, e.GetType().Name);
            throw new KeyVaultSigningException($"{Describe(version)}: {operation} failed: {e.Message}", 0, null, e);
        }

        var response = message.Response;
        if (response.Status != 200)
        {
            var (code, text) = ReadError(response);
            LogCallFailed(_vault, _keyName, operation, response.Status, code ?? string.Empty);
            throw new KeyVaultSigningException(
                string.Create(CultureInfo.InvariantCulture,
                    $"{Describe(version)}: {operation} failed with {response.Status} {response.ReasonPhrase}{(code is null ? string.Empty : $" ({code}: {text})")}.{Hint(response.Status)}"),
                response.Status, code);
        }

        try
        {
            using var document = JsonDocument.Parse(response.Content);
            return read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new KeyVaultSigningException($"{Describe(version)}: {operation} returned an answer that is not understood: {e.Message}", response.Status, null, e);
        }
    }

    // Key Vault errors: {"error":{"code":"Forbidden","message":"...","innererror":{"code":"ForbiddenByRbac"}}}
    private static (string? Code, string? Message) ReadError(Response response)
    {
        try
        {
            using var document = JsonDocument.Parse(response.Content);
            if (!document.RootElement.TryGetProperty("error", out var error))
            {
                return (null, null);
            }

            var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
            if (error.TryGetProperty("innererror", out var inner) && inner.ValueKind == JsonValueKind.Object
                && inner.TryGetProperty("code", out var innerCode))
            {
                code = $"{code}/{innerCode.GetString()}";
            }

            return (code, error.TryGetProperty("message", out var m) ? m.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string Hint(int status) => status switch
    {
        401 => " The vault refused the token: check the identity and that the credential can get tokens in the vault's tenant.",
        403 => " Grant the signer's identity the 'Key Vault Crypto User' role on the vault (or an access policy with get, list and sign on keys), and check the vault's firewall.",
        404 => " Check Ledger:Signing:KeyVault:KeyName and KeyVersion: the key must exist in this vault.",
        429 => " The vault was still throttling after the retries: lengthen Ledger:CheckpointInterval or spread tenants over more vaults (docs/operations.md).",
        _ => string.Empty,
    };
}
