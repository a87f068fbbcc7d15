using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Tenants.Ledger.Merkle;

/// <summary>
/// SHA-256 of a one-byte domain prefix followed by up to two inputs, the only shape the tree needs. Where the
/// machine's OpenSSL libcrypto is loadable (Linux, which .NET itself uses for its cryptography), its one-context
/// <c>SHA256_Init/Update/Final</c> functions are called directly: .NET's own SHA-256 sets up a provider-backed
/// context on every call, which costs four times more than hashing a 65-byte node. Elsewhere, or if the native
/// functions fail a self-test against .NET's SHA-256, a per-thread <see cref="IncrementalHash"/> is used.
/// </summary>
internal static unsafe class Sha256
{
    // SHA256_CTX is 112 bytes in OpenSSL 1.1 and 3.x; the buffer leaves room.
    private const int ContextSize = 256;
    private const int HashSize = 32;

    private static readonly string[] LibraryNames = ["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.3.dylib", "libcrypto.dylib"];

    private static readonly delegate* unmanaged<byte*, int> s_init;
    private static readonly delegate* unmanaged<byte*, byte*, nuint, int> s_update;
    private static readonly delegate* unmanaged<byte*, byte*, int> s_final;

    [ThreadStatic]
    private static IncrementalHash? t_managed;

#pragma warning disable CA1810 // The native functions are looked up once, and only kept if they pass the self-test.
    static Sha256()
#pragma warning restore CA1810
    {
        if (Environment.GetEnvironmentVariable("TENANTS_LEDGER_MANAGED_SHA256") == "1")
        {
            return;
        }

        foreach (var name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out var library)
                && NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
                && NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
                && NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
            {
                s_init = (delegate* unmanaged<byte*, int>)init;
                s_update = (delegate* unmanaged<byte*, byte*, nuint, int>)update;
                s_final = (delegate* unmanaged<byte*, byte*, int>)final;
                if (SelfTest())
                {
                    return;
                }

                s_init = null;
                s_update = null;
                s_final = null;
            }
        }
    }

    /// <summary>Whether the native functions are in use.</summary>
    public static bool IsNative => s_init != null;

    /// <summary>Writes SHA-256(<paramref name="prefix"/> || <paramref name="first"/> || <paramref name="second"/>).</summary>
    public static void Hash(byte prefix, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        if (IsNative)
        {
            HashNative(prefix, first, second, destination);
        }
        else
        {
            HashManaged(prefix, first, second, destination);
        }
    }

    internal static void HashNative(byte prefix, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        var context = stackalloc byte[ContextSize];
        var hash = stackalloc byte[HashSize];
        fixed (byte* a = first)
        fixed (byte* b = second)
        {
            if (s_init(context) != 1
                || s_update(context, &prefix, 1) != 1
                || s_update(context, a, (nuint)first.Length) != 1
                || s_update(context, b, (nuint)second.Length) != 1
                || s_final(hash, context) != 1)
            {
                throw new CryptographicException("libcrypto's SHA-256 failed.");
            }
        }

        // Written last, so the destination may overlap either input.
        new ReadOnlySpan<byte>(hash, HashSize).CopyTo(destination);
    }

    internal static void HashManaged(byte prefix, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination)
    {
        var sha256 = t_managed ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData([prefix]);
        sha256.AppendData(first);
        sha256.AppendData(second);
        sha256.GetHashAndReset(destination);
    }

    private static bool SelfTest()
    {
        try
        {
            Span<byte> native = stackalloc byte[HashSize];
            Span<byte> managed = stackalloc byte[HashSize];
            var data = "The native SHA-256 must agree with .NET's on every length."u8;
            for (var length = 0; length <= data.Length; length += 7)
            {
                HashNative(0x01, data[..length], data[length..], native);
                HashManaged(0x01, data[..length], data[length..], managed);
                if (!native.SequenceEqual(managed))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or CryptographicException or DllNotFoundException)
        {
            return false;
        }
    }
}
