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
        }

        failures.AddRange(options.Endpoints.GroupBy(e => e.Id, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"Edge:Endpoints: the endpoint id '{g.Key}' is used more than once"));
        failures.AddRange(options.Endpoints.Where(e => e.Port != 0).GroupBy(e => e.Port).Where(g => g.Count() > 1 || g.Key == options.Port)
            .Select(g => $"Edge:Endpoints: port {g.Key} is used by more than one listener"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
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
