using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Npgsql;
using Tenants.Api.Errors;
using Tenants.Api.Hosting;
using Tenants.Edge.Hosting;
using Tenants.Grains.Hosting;
using Tenants.Grains.Index;
using Tenants.Host.Health;
using Tenants.Host.Portal;
using Tenants.Host.Security;
using Tenants.Host.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tenants.Infrastructure.Hosting;
using Tenants.Infrastructure.Journal;
using Tenants.Ledger;

namespace Tenants.Host.Hosting;

/// <summary>Composes the roles of the one executable from the projects' own registration methods.</summary>
public static class TenantsHostBuilderExtensions
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddTenantsHost(this WebApplicationBuilder builder)
    {
        var roles = builder.Configuration.GetSection(TenantsHostOptions.SectionName).Get<TenantsHostOptions>() ?? new();
        var cluster = builder.Configuration.GetSection(TenantsClusterOptions.SectionName).Get<TenantsClusterOptions>() ?? new();
        var postgres = builder.Configuration.GetConnectionString("Postgres");
        var orleansDatabase = builder.Configuration.GetConnectionString("Orleans") ?? postgres;

        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddTenantsTelemetry(roles.Roles);
        var health = builder.Services.AddHealthChecks();
        if (postgres is not null)
        {
            builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(postgres));
            builder.Services.AddHostedService<DatabaseMigrationService>();
            health.AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag]);
            builder.Services.AddPostgresLedgerIndex();
        }

        builder.Services.AddBlobLedgerStore(builder.Configuration);
        if (roles.Has("silo"))
        {
            builder.Services.AddLedgerJournal(builder.Configuration);
        }

        // With the journal in PostgreSQL a silo goes on acknowledging while blob storage is down (up to
        // Ledger:MaxUnsealedEntries per ledger): degraded, still ready. Otherwise nothing durable can be acknowledged.
        var journalInPostgres = roles.Has("silo") && LedgerJournalServiceCollectionExtensions.SelectLedgerJournal(builder.Configuration) == LedgerJournalKind.Postgres;
        health.AddCheck<BlobStorageHealthCheck>("blob-storage", journalInPostgres ? HealthStatus.Degraded : HealthStatus.Unhealthy, tags: [ReadyTag]);
        builder.Services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddLedgerSigner(builder.Environment.ContentRootPath, createAtStart: roles.Has("silo") || roles.Has("api"));

        if (roles.Has("silo"))
        {
            builder.Services.AddTenantsGrains();
            builder.Services.AddTenantsWebhooks();
            if (postgres is not null)
            {
                builder.Services.AddTenantsLedgerIndexing();
                builder.Services.AddOptions<LedgerIndexOptions>().ValidateDataAnnotations().ValidateOnStart();
            }

            builder.UseOrleans(silo =>
            {
                ConfigureClusterIdentity(silo.Services, cluster);
                if (TelemetryHostingExtensions.IsTracing(builder.Configuration))
                {
                    silo.AddActivityPropagation();
                }

                if (cluster.Clustering == "Postgres")
                {
                    silo.UseTenantsPostgresClustering(RequireConnection(orleansDatabase));
                    if (string.IsNullOrWhiteSpace(cluster.AdvertisedAddress))
                    {
                        silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort);
                    }
                    else
                    {
                        silo.ConfigureEndpoints(System.Net.IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
                    }
                }
                else
                {
                    silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                }

                if (orleansDatabase is not null)
                {
                    silo.AddTenantsPostgresGrainStorage("ledger", orleansDatabase);
                }
                else
                {
                    silo.AddMemoryGrainStorage("ledger");
                }
            });
            health.AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag]);
        }
        else
        {
            builder.UseOrleansClient(client =>
            {
                ConfigureClusterIdentity(client.Services, cluster);
                if (TelemetryHostingExtensions.IsTracing(builder.Configuration))
                {
                    client.AddActivityPropagation();
                }

                if (cluster.Clustering == "Postgres")
                {
                    client.UseTenantsPostgresClustering(RequireConnection(orleansDatabase));
                }
                else
                {
                    client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
                }
            });
            health.AddCheck<SiloHealthCheck>("cluster", tags: [ReadyTag]);
        }

        // Edge nodes open brokered passwords, API nodes seal them, silos seal and open webhook secrets.
        if (roles.Has("edge") || roles.Has("api") || roles.Has("silo"))
        {
            builder.Services.AddCredentialProtector(builder.Configuration, builder.Environment.ContentRootPath);
        }

        if (roles.Has("edge"))
        {
            builder.Services.AddTenantsEdge();
        }

        if (roles.Has("api"))
        {
            builder.Services.AddTenantsApi();
            if (postgres is not null)
            {
                builder.Services.AddSharedDataProtection();
            }
        }

        return builder;
    }

    public static WebApplication MapTenantsHost(this WebApplication app)
    {
        var roles = app.Configuration.GetSection(TenantsHostOptions.SectionName).Get<TenantsHostOptions>() ?? new();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapTenantsTelemetry();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        if (roles.Has("api"))
        {
            app.UseTenantsApiErrors();
            app.UseUnavailableProblems();
            app.MapTenantsApi();
            app.UseTenantsPortal();
        }

        return app;
    }

    private static void ConfigureClusterIdentity(IServiceCollection services, TenantsClusterOptions cluster) =>
        services.Configure<Orleans.Configuration.ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });

    private static string RequireConnection(string? connectionString) =>
        connectionString ?? throw new InvalidOperationException(
            "Cluster:Clustering is Postgres but neither ConnectionStrings:Orleans nor ConnectionStrings:Postgres is set.");
}
