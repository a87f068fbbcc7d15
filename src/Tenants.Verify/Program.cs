using System.Security.Cryptography;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Verification;
using Tenants.Verify;

// tenants-verify: checks a tenant ledger offline with nothing but its public key.
var options = ParseArguments(args);
if (options is null)
{
    Console.Error.WriteLine("""
        usage: tenants-verify --dir <ledger folder> --tenant <tenant id> --origin <ledger origin> --key <public key PEM> [--key-name <name>]

          --dir       a folder holding the tenant's blocks/ and checkpoints/ (a copy of its blob prefix)
          --tenant    the tenant id the entries must carry
          --origin    the ledger origin the checkpoints must carry, e.g. tenants.local/ledger/<tenant>
          --key       the checkpoint signing key's public key (SubjectPublicKeyInfo PEM)
          --key-name  the key name on the signature lines (default: the origin without its last segment)

        Exit code: 0 valid, 1 invalid, 2 usage or input error.
        """);
    return 2;
}

try
{
    using var ecdsa = ECDsa.Create();
    ecdsa.ImportFromPem(await File.ReadAllTextAsync(options["key"]));
    var keyName = options.GetValueOrDefault("key-name") ?? options["origin"][..Math.Max(0, options["origin"].LastIndexOf('/'))];
    var key = new LedgerPublicKey(keyName, ecdsa.ExportSubjectPublicKeyInfo());
    var verifier = new LedgerVerifier(new DirectoryLedgerStore(options["dir"]), [key]);
    var report = await verifier.VerifyAsync(options["tenant"], options["origin"]);
    foreach (var line in report.Lines)
    {
        Console.WriteLine(line);
    }

    return report.IsValid ? 0 : 1;
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
{
    Console.Error.WriteLine($"tenants-verify: {ex.Message}");
    return 2;
}

static Dictionary<string, string>? ParseArguments(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            return null;
        }

        options[args[i][2..]] = args[i + 1];
    }

    string[] required = ["dir", "tenant", "origin", "key"];
    return args.Length % 2 == 0 && required.All(options.ContainsKey) ? options : null;
}
