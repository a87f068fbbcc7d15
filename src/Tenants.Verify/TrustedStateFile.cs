using System.Text.Json;
using System.Text.Json.Serialization;
using Tenants.Ledger.Verification;

namespace Tenants.Verify;

/// <summary>
/// The auditor's memory between runs (<c>--state</c>): the last verified checkpoint of one ledger, as JSON
/// <c>{"version":1,"origin","treeSize","rootHash","note"}</c>. Replaced atomically (temp file, then rename) so a
/// crash leaves the old state or the new one, never a mix.
/// </summary>
internal static class TrustedStateFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task<LedgerTrustedCheckpoint?> ReadAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        State? state;
        try
        {
            state = JsonSerializer.Deserialize<State>(await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a tenants-verify state file ({ex.Message})", ex);
        }

        if (state is not { Version: 1, Origin.Length: > 0, TreeSize: >= 0, RootHash: not null })
        {
            throw new InvalidDataException($"{path}: not a version 1 tenants-verify state file");
        }

        var root = Convert.FromBase64String(state.RootHash);
        return root.Length == 32 ? new LedgerTrustedCheckpoint(state.Origin, state.TreeSize, root, state.Note)
            : throw new InvalidDataException($"{path}: rootHash is not 32 bytes");
    }

    public static async Task WriteAsync(string path, LedgerTrustedCheckpoint checkpoint, CancellationToken ct)
    {
        var state = new State
        {
            Version = 1,
            Origin = checkpoint.Origin,
            TreeSize = checkpoint.TreeSize,
            RootHash = Convert.ToBase64String(checkpoint.RootHash),
            Note = checkpoint.Note,
        };
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(state, Json), ct).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private sealed class State
    {
        [JsonPropertyName("version")]
        public int Version { get; init; }

        [JsonPropertyName("origin")]
        public string Origin { get; init; } = string.Empty;

        [JsonPropertyName("treeSize")]
        public long TreeSize { get; init; }

        [JsonPropertyName("rootHash")]
        public string? RootHash { get; init; }

        [JsonPropertyName("note")]
        public string? Note { get; init; }
    }
}
