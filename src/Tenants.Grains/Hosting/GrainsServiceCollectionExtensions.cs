using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tenants.Grains.Accounts;
using Tenants.Grains.Jobs;
using Tenants.Grains.Ledger;
using Tenants.Grains.Sessions;
using Tenants.Ledger;

namespace Tenants.Grains.Hosting;

/// <summary>Registers what the grains need besides the ports (which the host wires to adapters).</summary>
public static class GrainsServiceCollectionExtensions
{
    public static IServiceCollection AddTenantsGrains(this IServiceCollection services)
    {
        services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.SectionName);
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.SectionName)
            .Validate(o => o.IdleTimeout > TimeSpan.Zero && o.SummaryRetryDelay > TimeSpan.Zero, "Sessions:IdleTimeout and Sessions:SummaryRetryDelay must be positive.")
            .ValidateOnStart();
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName)
            .Validate(o => o.MaxFailedSignIns > 0 && o.LockoutDuration > TimeSpan.Zero, "Accounts:MaxFailedSignIns and Accounts:LockoutDuration must be positive.")
            .ValidateOnStart();
        services.AddOptions<LedgerExportOptions>().BindConfiguration(LedgerExportOptions.SectionName)
            .Validate(o => o.MaxEvents is >= 1 and <= 1_000_000 && o.KeptJobs is >= 1 and <= 10_000 && o.MaxAttempts is >= 1 and <= 10 && o.Retention > TimeSpan.Zero,
                "Exports:MaxEvents must be 1 to 1,000,000, Exports:KeptJobs 1 to 10,000, Exports:MaxAttempts 1 to 10 and Exports:Retention positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new LedgerMetrics(sp.GetService<IMeterFactory>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
