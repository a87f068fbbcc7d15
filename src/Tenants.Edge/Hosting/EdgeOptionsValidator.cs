using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Tenants.Edge.Hosting;

/// <summary>Checks the edge options, including each endpoint, at start so that a bad setting stops the node loudly.</summary>
internal sealed class EdgeOptionsValidator : IValidateOptions<EdgeOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeOptions options)
    {
        var failures = new List<string>();
        Check(options, "Edge", failures);
        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            Check(options.Endpoints[i], $"Edge:Endpoints:{i}", failures);
            if (options.Endpoints[i].Broker is { } broker && (string.IsNullOrEmpty(broker.User) || (broker.Password is null) == (broker.SealedPassword is null)))
            {
                failures.Add($"Edge:Endpoints:{i}:Broker needs a User and exactly one of Password and SealedPassword");
            }
        }

        failures.AddRange(options.Endpoints.GroupBy(e => e.Id, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"Edge:Endpoints: the endpoint id '{g.Key}' is used more than once"));
        failures.AddRange(options.Endpoints.Where(e => e.Port != 0).GroupBy(e => e.Port).Where(g => g.Count() > 1 || g.Key == options.Port)
            .Select(g => $"Edge:Endpoints: port {g.Key} is used by more than one listener"));
        CheckAudit(options.Audit, failures);
        if (options.Policy.RefreshInterval < TimeSpan.FromMilliseconds(100) || options.Policy.RefreshInterval > TimeSpan.FromHours(1))
        {
            failures.Add("Edge:Policy:RefreshInterval must be between 100 ms and 1 hour");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckAudit(EdgeAuditOptions audit, List<string> failures)
    {
        if (audit.DurableTimeout <= TimeSpan.Zero || audit.DurableTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Edge:Audit:DurableTimeout must be more than zero and at most 5 minutes");
        }

        if (audit.SequencedMaxWait < TimeSpan.Zero || audit.SequencedMaxWait > TimeSpan.FromHours(1))
        {
            failures.Add("Edge:Audit:SequencedMaxWait must be between zero and 1 hour");
        }

        if (string.IsNullOrWhiteSpace(audit.SpoolPath))
        {
            failures.Add("Edge:Audit:SpoolPath is required");
        }

        if (audit.SpoolSegmentBytes < 64 * 1024 || audit.SpoolSegmentBytes > audit.SpoolMaxBytes)
        {
            failures.Add("Edge:Audit:SpoolSegmentBytes must be at least 64 KiB and at most Edge:Audit:SpoolMaxBytes");
        }
    }

    private static void Check(object value, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{path}: {r.ErrorMessage}"));
        }
    }
}
