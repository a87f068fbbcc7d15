namespace Tenants.Verify;

/// <summary>The command line of <c>tenants-verify</c>, parsed and checked.</summary>
internal sealed class VerifyArguments
{
    public const string Usage = """
        usage: tenants-verify (--dir <folder> | --bundle <file.tar> | --container <SAS URL> | --connection-string <cs> --container-name <name>)
                              [--tenant <tenant id>] [--origin <ledger origin>]
                              (--key <public key PEM> ... [--key-name <name>] | --keys <keys.json>)
                              [--state <state file> | --trusted <note file>]

          --dir                a folder holding the tenant's blocks/ and checkpoints/ (a copy of its blob prefix)
          --bundle             an export bundle (GET /api/v1/ledger/export); tenant, origin and keys default to its manifest
          --container          a container SAS URL; the ledger is read from tenants/<tenant>/ (read-only)
          --connection-string  a storage connection string, with --container-name, instead of --container
          --tenant             the tenant id the entries must carry
          --origin             the ledger origin the checkpoints must carry, e.g. tenants.local/ledger/<tenant>
          --key                a checkpoint signing public key (SubjectPublicKeyInfo PEM); repeat for rotated keys
          --key-name           the key name on the signature lines (default: the origin without its last segment)
          --keys               the JSON of GET /api/v1/ledger/keys (names and PEMs)
          --state              a file remembering the last verified checkpoint: read if present, and updated
                               (atomically) after a VALID run; catches rollback and split views
          --trusted            a signed checkpoint note seen before (read only), for the same checks

        Exit code: 0 valid, 1 invalid, 2 usage or input error.
        """;

    private static readonly HashSet<string> Single =
        ["dir", "bundle", "container", "connection-string", "container-name", "tenant", "origin", "key-name", "keys", "state", "trusted"];

    public string? Directory { get; private set; }

    public string? Bundle { get; private set; }

    public string? ContainerUrl { get; private set; }

    public string? ConnectionString { get; private set; }

    public string? ContainerName { get; private set; }

    public string? Tenant { get; private set; }

    public string? Origin { get; private set; }

    public List<string> KeyFiles { get; } = [];

    public string? KeyName { get; private set; }

    public string? KeysJson { get; private set; }

    public string? StateFile { get; private set; }

    public string? TrustedNote { get; private set; }

    /// <summary>Parses <paramref name="args"/>; on failure returns <see langword="null"/> with the reason.</summary>
    public static VerifyArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        var parsed = new VerifyArguments();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            var option = args[i];
            if (!option.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{option}'";
                return null;
            }

            var name = option[2..];
            if (name != "key" && !Single.Contains(name))
            {
                error = $"unknown option '{option}'";
                return null;
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                error = $"{option} needs a value";
                return null;
            }

            if (name != "key" && !seen.Add(name))
            {
                error = $"{option} given twice";
                return null;
            }

            parsed.Set(name, args[i + 1]);
        }

        error = parsed.Check();
        return error is null ? parsed : null;
    }

    private void Set(string name, string value)
    {
        switch (name)
        {
            case "dir": Directory = value; break;
            case "bundle": Bundle = value; break;
            case "container": ContainerUrl = value; break;
            case "connection-string": ConnectionString = value; break;
            case "container-name": ContainerName = value; break;
            case "tenant": Tenant = value; break;
            case "origin": Origin = value; break;
            case "key": KeyFiles.Add(value); break;
            case "key-name": KeyName = value; break;
            case "keys": KeysJson = value; break;
            case "state": StateFile = value; break;
            case "trusted": TrustedNote = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(name), name, "not an option");
        }
    }

    private string? Check()
    {
        var sources = new[] { Directory, Bundle, ContainerUrl, ConnectionString }.Count(s => s is not null);
        if (sources != 1)
        {
            return sources == 0
                ? "name the ledger: --dir, --bundle, --container or --connection-string"
                : "name one ledger only: --dir, --bundle, --container and --connection-string exclude each other";
        }

        if ((ConnectionString is null) != (ContainerName is null))
        {
            return "--connection-string and --container-name go together";
        }

        if (Bundle is null && (Tenant is null || Origin is null))
        {
            return "--tenant and --origin are required (only a bundle carries defaults)";
        }

        if (Bundle is null && KeyFiles.Count == 0 && KeysJson is null)
        {
            return "give the signing public key: --key <PEM> or --keys <keys.json>";
        }

        if (KeyName is not null && KeyFiles.Count == 0)
        {
            return "--key-name names the keys given with --key";
        }

        return StateFile is not null && TrustedNote is not null ? "--state and --trusted exclude each other" : null;
    }
}
