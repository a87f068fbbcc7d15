using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Tenants.Infrastructure.Postgres;

/// <summary>One versioned SQL script: <c>Migrations/NNNN_name.sql</c>, embedded in this assembly.</summary>
internal sealed partial record PostgresMigration(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "Tenants.Infrastructure.Postgres.Migrations.";

    /// <summary>Hex SHA-256 of the script with line endings normalised, so a checkout's line-ending settings do not matter.</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>All migrations embedded in <paramref name="assembly"/>, ordered by version.</summary>
    public static IReadOnlyList<PostgresMigration> LoadEmbedded(Assembly assembly)
    {
        var migrations = new List<PostgresMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var fileName = resource[ResourcePrefix.Length..];
            var match = FileName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Embedded migration '{fileName}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration '{resource}' could not be opened.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new PostgresMigration(
                int.Parse(match.Groups["version"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Migration version {duplicate.Key} is used by more than one file: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        return [.. migrations.OrderBy(m => m.Version)];
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileName();
}
