using System.Formats.Tar;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Tenants.Ledger.Storage;
using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.EndToEnd.Tests;

/// <summary>
/// Background verification and export jobs through the API: a verification runs to done with progress and finds a
/// block altered in storage; an export downloads as a bundle that the real <c>tenants-verify</c> accepts offline and
/// refuses once altered; another tenant can neither see nor download a job.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LedgerJobsTests(PlatformFixture platform)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Verification_OfAValidLedger_RunsToDoneWithProgressAndIsValid()
    {
        var (index, status) = await platform.RunSignedAsync(PlatformFixture.TenantB, $"select 'verify_job_{Guid.NewGuid():N}'");
        using var api = platform.Api(PlatformFixture.TenantB);

        using var start = await api.PostAsync("/api/v1/ledger/verifications", null);

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var job = await start.Content.ReadFromJsonAsync<JsonElement>();
        var id = job.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/ledger/verifications/{id}", start.Headers.Location!.OriginalString);
        Assert.Contains(job.GetProperty("status").GetString(), (string[])["queued", "running", "done"]);
        var done = await WaitForJobAsync(api, $"/api/v1/ledger/verifications/{id}");
        Assert.Equal("done", done.GetProperty("status").GetString());
        var progress = done.GetProperty("progress");
        Assert.Equal(100, progress.GetProperty("percent").GetInt32());
        Assert.True(progress.GetProperty("blocksTotal").GetInt32() > 0, done.ToString());
        Assert.Equal(progress.GetProperty("blocksTotal").GetInt32(), progress.GetProperty("blocksChecked").GetInt32());
        Assert.Equal(progress.GetProperty("entriesTotal").GetInt64(), progress.GetProperty("entriesChecked").GetInt64());
        var result = done.GetProperty("verification");
        Assert.True(result.GetProperty("valid").GetBoolean(), done.ToString());
        Assert.True(result.GetProperty("treeSize").GetInt64() >= status.GetProperty("checkpointSize").GetInt64());
        Assert.True(result.GetProperty("entriesChecked").GetInt64() > index);
        Assert.True(result.GetProperty("checkpointsChecked").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("firstProblem").ValueKind);
    }

    [Fact]
    public async Task Verification_OfALedgerAlteredInStorage_IsDoneAndInvalidAtThatBlock()
    {
        const string tenant = PlatformFixture.JobsTamperTenant;
        var tag = $"jobtamper_{Guid.NewGuid():N}";
        await platform.RunSignedAsync(tenant, $"select '{tag}'");
        var altered = await AlterBlockHoldingAsync(tenant, tag);
        using var api = platform.Api(tenant);

        using var start = await api.PostAsync("/api/v1/ledger/verifications", null);
        var done = await WaitForJobAsync(api, start.Headers.Location!.OriginalString);

        Assert.Equal("done", done.GetProperty("status").GetString());
        var result = done.GetProperty("verification");
        Assert.False(result.GetProperty("valid").GetBoolean(), done.ToString());
        Assert.Equal(altered, result.GetProperty("firstProblem").GetProperty("location").GetString());
        Assert.StartsWith("INVALID", result.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_Downloaded_VerifiesOfflineWithTenantsVerify_AndFailsOnceAltered()
    {
        const string tenant = PlatformFixture.TenantA;
        var tag = $"export_job_{Guid.NewGuid():N}";
        var (index, _) = await platform.RunSignedAsync(tenant, $"select '{tag}'");
        using var api = platform.Api(tenant);

        using var start = await api.PostAsJsonAsync("/api/v1/exports", new { q = tag, kind = "statement" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var done = await WaitForJobAsync(api, start.Headers.Location!.OriginalString);
        Assert.Equal("done", done.GetProperty("status").GetString());
        Assert.Equal(1, done.GetProperty("export").GetProperty("events").GetInt64());
        var listed = await api.GetFromJsonAsync<JsonElement>("/api/v1/exports?limit=100");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), j => j.GetProperty("id").GetString() == done.GetProperty("id").GetString());

        using var download = await api.GetAsync(done.GetProperty("download").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/x-tar", download.Content.Headers.ContentType!.MediaType);
        var tar = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(done.GetProperty("export").GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(tar)));
        var files = await ReadTarAsync(tar);
        var events = Encoding.UTF8.GetString(files["events.jsonl"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(events);
        Assert.Contains(tag, events[0], StringComparison.Ordinal);
        Assert.True(files.ContainsKey($"proofs/{index:D12}.json"), string.Join(", ", files.Keys));
        Assert.Contains("tenants-verify --bundle", Encoding.UTF8.GetString(files["README.md"]), StringComparison.Ordinal);
        var manifest = JsonDocument.Parse(files["export.json"]).RootElement;
        foreach (var file in manifest.GetProperty("files").EnumerateArray())
        {
            var content = files[file.GetProperty("path").GetString()!];
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)));
        }

        var folder = Directory.CreateTempSubdirectory("tenants-export-").FullName;
        try
        {
            using var anonymous = platform.Api(null);
            var keys = Path.Combine(folder, "keys.json");
            await File.WriteAllTextAsync(keys, await anonymous.GetStringAsync("/.well-known/tenants/ledger-keys"));
            var bundle = Path.Combine(folder, "export.tar");
            await File.WriteAllBytesAsync(bundle, tar);
            var (valid, validOutput) = await VerifyOfflineAsync(bundle, tenant, keys);
            Assert.True(valid == 0, validOutput);
            Assert.Contains("VALID", validOutput, StringComparison.Ordinal);

            var alteredBundle = Path.Combine(folder, "altered.tar");
            await File.WriteAllBytesAsync(alteredBundle, await AlterTarAsync(files, tag));
            var (invalid, invalidOutput) = await VerifyOfflineAsync(alteredBundle, tenant, keys);
            Assert.True(invalid == 1, invalidOutput);
            Assert.Contains("INVALID", invalidOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Jobs_OfAnotherTenant_AreNotFoundAndNotListed()
    {
        await platform.RunSignedAsync(PlatformFixture.TenantA, $"select 'isolation_{Guid.NewGuid():N}'");
        using var owner = platform.Api(PlatformFixture.TenantA);
        using var other = platform.Api(PlatformFixture.TenantB);
        using var export = await owner.PostAsJsonAsync("/api/v1/exports", new { kind = "statement" });
        var exportId = (await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var verification = await owner.PostAsync("/api/v1/ledger/verifications", null);
        var verificationId = (await verification.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await WaitForJobAsync(owner, $"/api/v1/exports/{exportId}");

        // Tenant B with tenant A's ids, and tenant A with an id of the other kind: unknown, never data.
        foreach (var (client, path) in (List<(HttpClient, string)>)[
            (other, $"/api/v1/exports/{exportId}"), (other, $"/api/v1/exports/{exportId}/download"),
            (other, $"/api/v1/ledger/verifications/{verificationId}"), (owner, $"/api/v1/ledger/verifications/{exportId}"),
            (owner, $"/api/v1/exports/{verificationId}")])
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.DoesNotContain(PlatformFixture.TenantA, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var listed = await other.GetFromJsonAsync<JsonElement>("/api/v1/exports?limit=100");
        Assert.DoesNotContain(listed.GetProperty("items").EnumerateArray(), j => j.GetProperty("id").GetString() == exportId);
    }

    [Theory]
    [InlineData("/api/v1/exports/not-a-job-id")]
    [InlineData("/api/v1/exports/01ARZ3NDEKTSV4RRFFQ69G5FA'")]
    [InlineData("/api/v1/ledger/verifications/..%2F..%2Fetc")]
    public async Task Jobs_WithAMalformedId_Are400Problems(string path)
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Export_WithBadFilters_Is400ProblemNamingTheField()
    {
        using var api = platform.Api(PlatformFixture.TenantA);

        using var response = await api.PostAsJsonAsync("/api/v1/exports", new { sqlState = "'; drop table x; --", minRows = -1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("sqlstate must be five", body, StringComparison.Ordinal);
        Assert.Contains("minRows must be 0 or more", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WellKnownKeys_AreAnonymousCacheableAndTheSameAsTheApiKeys()
    {
        using var anonymous = platform.Api(null);

        using var response = await anonymous.GetAsync("/.well-known/tenants/ledger-keys");
        var keys = await anonymous.GetStringAsync("/api/v1/ledger/keys");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.True(response.Headers.CacheControl.MaxAge > TimeSpan.Zero);
        Assert.Equal(keys, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> WaitForJobAsync(HttpClient api, string path) =>
        await Eventually.MatchAsync(
            () => api.GetFromJsonAsync<JsonElement>(path),
            job => job.GetProperty("status").GetString() is "done" or "failed",
            JobTimeout,
            job => $"the job at {path} did not finish: {job}\nHost output:\n{ProcessRunner.Tail(platform.Host.Output)}");

    private async Task<string> AlterBlockHoldingAsync(string tenant, string tag)
    {
        var container = new BlobContainerClient(platform.Azurite.ConnectionString, "ledger");
        var prefix = $"tenants/{tenant}/blocks/";
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
        {
            var client = container.GetBlobClient(blob.Name);
            Assert.True(LedgerBlockName.TryParse(blob.Name[(prefix.Length - LedgerBlockName.Folder.Length)..], out var name), blob.Name);
            var stored = (await client.DownloadContentAsync()).Value.Content.ToArray();
            var found = false;
            var edited = StoredBlockEditor.Edit(name, stored, lines => found = Replace(lines, tag));
            if (found)
            {
                await client.UploadAsync(new BinaryData(edited), overwrite: true);
                return name.Path;
            }
        }

        throw new InvalidOperationException($"no block of {tenant} holds {tag}");
    }

    private static bool Replace(List<string> lines, string tag)
    {
        var found = false;
        for (var i = 0; i < lines.Count; i++)
        {
            found |= lines[i].Contains(tag, StringComparison.Ordinal);
            lines[i] = lines[i].Replace(tag, tag.ToUpperInvariant(), StringComparison.Ordinal);
        }

        return found;
    }

    private static async Task<Dictionary<string, byte[]>> ReadTarAsync(byte[] tar)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var reader = new TarReader(new MemoryStream(tar));
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            using var content = new MemoryStream();
            if (entry.DataStream is not null)
            {
                await entry.DataStream.CopyToAsync(content);
            }

            files[entry.Name] = content.ToArray();
        }

        return files;
    }

    // The same bundle with the block holding the event edited (the JSON stays well-formed), as a forger would.
    private static async Task<byte[]> AlterTarAsync(Dictionary<string, byte[]> files, string tag)
    {
        using var output = new MemoryStream();
        await using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                var bytes = content;
                if (LedgerBlockName.TryParse(path, out var name))
                {
                    bytes = StoredBlockEditor.Edit(name, content, lines => Replace(lines, tag));
                }

                await writer.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(bytes) });
            }
        }

        return output.ToArray();
    }

    private static async Task<(int ExitCode, string Output)> VerifyOfflineAsync(string bundle, string tenant, string keys)
    {
        var tool = Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "src", "Tenants.Verify", "bin"), "tenants-verify.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();
        return await ProcessRunner.RunAsync("dotnet", [tool, "--bundle", bundle, "--tenant", tenant, "--origin", $"e2e.tenants.test/ledger/{tenant}", "--keys", keys],
            false, TimeSpan.FromSeconds(60));
    }
}
