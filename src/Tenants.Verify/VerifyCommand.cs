using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Tenants.Ledger.Bundles;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Verification;

namespace Tenants.Verify;

/// <summary>One run of <c>tenants-verify</c>: read the inputs, verify, print the report, keep the trusted state.</summary>
internal sealed class VerifyCommand(TextWriter output, TextWriter error, bool showProgress)
{
    public const int Valid = 0;
    public const int Invalid = 1;
    public const int BadInput = 2;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var arguments = VerifyArguments.Parse(args, out var problem);
        if (arguments is null)
        {
            await error.WriteLineAsync($"tenants-verify: {problem}\n\n{VerifyArguments.Usage}").ConfigureAwait(false);
            return BadInput;
        }

        try
        {
            return await VerifyAsync(arguments, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException
            or InvalidDataException or FormatException or RequestFailedException or UriFormatException)
        {
            await error.WriteLineAsync($"tenants-verify: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
    }

    private async Task<int> VerifyAsync(VerifyArguments arguments, CancellationToken ct)
    {
        ILedgerReader store;
        LedgerBundleStore? bundle = null;
        string source;
        if (arguments.Bundle is { } bundlePath)
        {
            store = bundle = await LedgerBundleStore.OpenFileAsync(bundlePath, ct).ConfigureAwait(false);
            source = bundlePath;
        }
        else if (arguments.Directory is { } directory)
        {
            store = Directory.Exists(directory) ? new DirectoryLedgerStore(directory) : throw new DirectoryNotFoundException($"no folder {directory}");
            source = directory;
        }
        else
        {
            var container = arguments.ContainerUrl is { } url
                ? new BlobContainerClient(new Uri(url))
                : new BlobContainerClient(arguments.ConnectionString, arguments.ContainerName);
            store = new BlobContainerLedgerStore(container);
            source = container.Uri.GetLeftPart(UriPartial.Path);
        }

        // The auditor's word wins: a bundle's manifest and keys are claims, not facts.
        var tenant = arguments.Tenant ?? bundle!.Manifest.TenantId;
        var origin = arguments.Origin ?? bundle!.Manifest.Origin;
        var keys = await TrustedKeys.LoadAsync(arguments, origin, ct).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            keys.AddRange(bundle!.Keys);
            await output.WriteLineAsync($"info\t{source}\tno --key given: using the bundle's own keys, which proves integrity only against the bundle's claim").ConfigureAwait(false);
        }

        var trusted = await ReadTrustedAsync(arguments, keys, origin, ct).ConfigureAwait(false);
        await output.WriteLineAsync($"info\t{source}\tverifying tenant {tenant}, origin {origin}, {keys.Count} key(s)"
            + (trusted is null ? string.Empty : $", trusted checkpoint at size {trusted.TreeSize}")).ConfigureAwait(false);

        var progress = showProgress ? new ProgressLine(error) : null;
        var report = await new LedgerVerifier(store, keys).VerifyAsync(
            tenant,
            origin,
            new LedgerVerificationOptions { Trusted = trusted, Start = bundle?.Start, Progress = progress },
            ct).ConfigureAwait(false);
        progress?.Clear();

        foreach (var line in report.Lines)
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (report.IsValid && arguments.StateFile is { } stateFile && report.NewestCheckpoint is { } newest
            && (trusted is null || newest.TreeSize >= trusted.TreeSize))
        {
            await TrustedStateFile.WriteAsync(stateFile, newest, ct).ConfigureAwait(false);
            await output.WriteLineAsync($"info\t{stateFile}\ttrusted state now at size {newest.TreeSize}").ConfigureAwait(false);
        }

        return report.IsValid ? Valid : Invalid;
    }

    private static async Task<LedgerTrustedCheckpoint?> ReadTrustedAsync(
        VerifyArguments arguments, IReadOnlyCollection<LedgerPublicKey> keys, string origin, CancellationToken ct)
    {
        LedgerTrustedCheckpoint? trusted = null;
        if (arguments.StateFile is { } stateFile)
        {
            trusted = await TrustedStateFile.ReadAsync(stateFile, ct).ConfigureAwait(false);
        }
        else if (arguments.TrustedNote is { } noteFile)
        {
            var note = await File.ReadAllTextAsync(noteFile, ct).ConfigureAwait(false);
            if (!LedgerTrustedCheckpoint.TryFromNote(note, keys, out trusted, out var reason))
            {
                throw new InvalidDataException($"{noteFile}: the trusted note does not verify with the given keys ({reason})");
            }
        }

        return trusted is null || trusted.Origin == origin ? trusted
            : throw new InvalidDataException($"the trusted checkpoint is for origin {trusted.Origin}, not {origin}");
    }

    private sealed class ProgressLine(TextWriter error) : IProgress<LedgerVerificationProgress>
    {
        public void Report(LedgerVerificationProgress value) =>
            error.Write($"\rverifying: {value.BlocksChecked}/{value.BlocksTotal} blocks, {value.EntriesChecked} entries");

        public void Clear() => error.Write("\r\u001b[K");
    }
}
