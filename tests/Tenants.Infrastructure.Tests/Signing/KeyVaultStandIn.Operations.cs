using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tenants.Infrastructure.Tests.Signing;

public sealed partial class KeyVaultStandIn
{
    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var arrived = Now();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var authorization = request.Headers.Authorization.ToString();
        var hadToken = authorization.StartsWith("Bearer ", StringComparison.Ordinal) && authorization.Length > "Bearer ".Length;
        var segments = (request.Path.Value ?? string.Empty).Trim('/').Split('/');
        var operation = (request.Method, segments) switch
        {
            ("GET", ["keys", _, "versions"]) => "list versions",
            ("GET", ["keys", _] or ["keys", _, _]) => "get key",
            ("POST", ["keys", _, _, "sign"]) => "sign",
            _ => "unknown",
        };

        int status;
        if (!hadToken)
        {
            // Key Vault's answer to an unauthenticated request: the challenge that names the audience and tenant.
            context.Response.Headers.WWWAuthenticate = $"Bearer authorization=\"{Authorization}\", resource=\"{Resource}\"";
            status = await Answer(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
            operation = "challenge";
        }
        else if (request.Query["api-version"] != "7.5")
        {
            status = await Answer(context, 400, "BadParameter", "The api-version is missing or not supported.");
        }
        else
        {
            status = operation switch
            {
                "get key" => await GetKeyAsync(context, segments[1], segments.Length > 2 ? segments[2] : null),
                "list versions" => await ListVersionsAsync(context, segments[1]),
                "sign" => await SignAsync(context, segments[1], segments[2], body),
                _ => await Answer(context, 400, "BadParameter", "Unknown operation."),
            };
        }

        Requests.Enqueue(new StandInRequest(request.Method, request.Path.Value ?? string.Empty, operation, hadToken, body.Length, status, arrived));
    }

    private async Task<int> GetKeyAsync(HttpContext context, string name, string? version)
    {
        var key = Find(name, version);
        if (key is null)
        {
            return await Answer(context, 404, "KeyNotFound", $"A key with (name/id) {name} was not found in this key vault.");
        }

        if (!key.Enabled)
        {
            return await Answer(context, 403, "Forbidden", "Operation get is not allowed on a disabled key.");
        }

        var q = key.Key.ExportParameters(includePrivateParameters: false).Q;
        await WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("key");
            writer.WriteString("kid", Kid(context, name, key.Version));
            writer.WriteString("kty", "EC");
            writer.WriteStartArray("key_ops");
            writer.WriteStringValue("sign");
            writer.WriteStringValue("verify");
            writer.WriteEndArray();
            writer.WriteString("crv", key.Curve);
            writer.WriteString("x", Base64Url.EncodeToString(q.X));
            writer.WriteString("y", Base64Url.EncodeToString(q.Y));
            writer.WriteEndObject();
            WriteAttributes(writer, key);
            writer.WriteEndObject();
        });
        return 200;
    }

    private async Task<int> ListVersionsAsync(HttpContext context, string name)
    {
        if (!_keys.TryGetValue(name, out var all))
        {
            return await Answer(context, 404, "KeyNotFound", $"A key with (name/id) {name} was not found in this key vault.");
        }

        StandInKeyVersion[] versions;
        lock (all)
        {
            versions = [.. all];
        }

        var skip = int.TryParse(context.Request.Query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var page = versions.Skip(skip).Take(VersionsPageSize).ToArray();
        var next = skip + page.Length < versions.Length
            ? $"https://{context.Request.Host}/keys/{name}/versions?api-version=7.5&$skiptoken={skip + page.Length}"
            : null;
        await WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("value");
            foreach (var version in page)
            {
                writer.WriteStartObject();
                writer.WriteString("kid", Kid(context, name, version.Version));
                WriteAttributes(writer, version);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("nextLink", next);
            writer.WriteEndObject();
        });
        return 200;
    }

    private async Task<int> SignAsync(HttpContext context, string name, string version, byte[] body)
    {
        var key = Find(name, version);
        if (key is null)
        {
            return await Answer(context, 404, "KeyNotFound", $"A key with (name/id) {name}/{version} was not found in this key vault.");
        }

        if (DenySign)
        {
            return await Answer(context, 403, "Forbidden",
                $"The user, group or application does not have keys sign permission on key vault '{VaultHost}'.", "ForbiddenByRbac");
        }

        if (Interlocked.Decrement(ref _throttleRemaining) >= 0)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return await Answer(context, 429, "Throttled", "Request was not allowed because application is over quota.");
        }

        string? alg;
        byte[] digest;
        try
        {
            using var document = JsonDocument.Parse(body);
            alg = document.RootElement.GetProperty("alg").GetString();
            digest = Base64Url.DecodeFromChars(document.RootElement.GetProperty("value").GetString());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            return await Answer(context, 400, "BadParameter", "The request body is not a sign request.");
        }

        if (alg != "ES256" || key.Curve != "P-256")
        {
            return await Answer(context, 400, "BadParameter", $"Algorithm {alg} does not fit the key.");
        }

        if (digest.Length != 32)
        {
            return await Answer(context, 400, "BadParameter", "Invalid length of digest for ES256: expected 32 bytes.");
        }

        var signature = key.Key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        await WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("kid", Kid(context, name, key.Version));
            writer.WriteString("value", Base64Url.EncodeToString(signature));
            writer.WriteEndObject();
        });
        return 200;
    }

    private static string Kid(HttpContext context, string name, string version) => $"https://{context.Request.Host}/keys/{name}/{version}";

    private static void WriteAttributes(Utf8JsonWriter writer, StandInKeyVersion key)
    {
        writer.WriteStartObject("attributes");
        writer.WriteBoolean("enabled", key.Enabled);
        writer.WriteNumber("created", key.Created);
        writer.WriteNumber("updated", key.Created);
        writer.WriteString("recoveryLevel", "Recoverable+Purgeable");
        writer.WriteEndObject();
    }

    private static async Task<int> Answer(HttpContext context, int status, string code, string message, string? innerCode = null)
    {
        await WriteJsonAsync(context, status, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            if (innerCode is not null)
            {
                writer.WriteStartObject("innererror");
                writer.WriteString("code", innerCode);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        return status;
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        await context.Response.Body.WriteAsync(buffer.ToArray());
    }

    private sealed class StandInKeyVersion(string version, string curve, ECDsa key, long created)
    {
        public string Version { get; } = version;

        public string Curve { get; } = curve;

        public ECDsa Key { get; } = key;

        public long Created { get; } = created;

        public bool Enabled { get; set; } = true;
    }
}
