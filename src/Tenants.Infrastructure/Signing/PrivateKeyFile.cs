namespace Tenants.Infrastructure.Signing;

/// <summary>Creates a key file that only its owner can read (0600 in a 0700 folder), readable by nobody else at any moment.</summary>
public static class PrivateKeyFile
{
    /// <summary>Writes <paramref name="content"/> to a new file at <paramref name="path"/>, flushed to disk.</summary>
    /// <exception cref="IOException">The file exists (another process made it first: read theirs).</exception>
    public static void CreateNew(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Set at creation so the key is never readable by others, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            // The umask may have taken bits away at creation; never more than these.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
