namespace Tenants.Infrastructure.Hosting;

/// <summary>
/// Orleans clustering and grain storage on PostgreSQL through the Orleans ADO.NET providers (invariant <c>Npgsql</c>).
/// The database must have the Tenants migrations applied (<see cref="Postgres.PostgresMigrator"/>): the providers read
/// their SQL from the <c>OrleansQuery</c> table those migrations fill.
/// </summary>
public static class OrleansPostgresExtensions
{
    /// <summary>The ADO.NET invariant name of Npgsql, as the Orleans providers expect it.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>Uses PostgreSQL for silo membership (ADO.NET clustering).</summary>
    public static ISiloBuilder UseTenantsPostgresClustering(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });
    }

    /// <summary>Lets an Orleans client find the cluster's gateways in PostgreSQL.</summary>
    public static IClientBuilder UseTenantsPostgresClustering(this IClientBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseAdoNetClustering(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });
    }

    /// <summary>Adds a named grain storage provider that keeps grain state in PostgreSQL (ADO.NET grain storage).</summary>
    public static ISiloBuilder AddTenantsPostgresGrainStorage(this ISiloBuilder builder, string name, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.AddAdoNetGrainStorage(name, options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });
    }
}
