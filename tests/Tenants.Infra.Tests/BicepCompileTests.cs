using System.Text.Json;

namespace Tenants.Infra.Tests;

/// <summary>
/// Every template compiles without a diagnostic: infra/bicepconfig.json puts the linter's core rules at warning, so a
/// warning here is a broken rule, an unknown API version or a property the resource type does not have.
/// </summary>
public sealed class BicepCompileTests(CompiledMainTemplate main) : IClassFixture<CompiledMainTemplate>
{
    public static TheoryData<string> Modules()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.Combine("infra", "modules"), "*.bicep").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void MainTemplate_Build_SucceedsWithoutDiagnostics()
    {
        Assert.True(main.Build.ExitCode == 0, main.Build.Describe());
        Assert.True(main.Build.Diagnostics.Count == 0, main.Build.Describe());
        Assert.Equal("Microsoft.Resources/resourceGroups", main.Template.GetProperty("resources")[0].GetProperty("type").GetString());
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public async Task Module_BuildOnItsOwn_SucceedsWithoutDiagnostics(string module)
    {
        var result = await BicepCli.BuildAsync(RepositoryRoot.Combine("infra", "modules", module), CancellationToken.None);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.True(result.Diagnostics.Count == 0, result.Describe());
    }

    [Fact]
    public async Task Linter_UnusedParameterUnderInfraConfig_IsReported()
    {
        // infra/bicepconfig.json next to a template that breaks a rule: the configuration makes the break a warning.
        var directory = Directory.CreateTempSubdirectory("tenants-infra-lint-");
        try
        {
            File.Copy(RepositoryRoot.Combine("infra", "bicepconfig.json"), Path.Combine(directory.FullName, "bicepconfig.json"));
            var file = Path.Combine(directory.FullName, "probe.bicep");
            await File.WriteAllTextAsync(file, "param unused string\nvar alsoUnused = 1\n");

            var result = await BicepCli.BuildAsync(file, CancellationToken.None);

            Assert.Contains(result.Diagnostics, d => d.Contains("Warning no-unused-params", StringComparison.Ordinal));
            Assert.Contains(result.Diagnostics, d => d.Contains("Warning no-unused-vars", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void BicepConfig_CoreRules_AreWarningOrError()
    {
        using var config = JsonDocument.Parse(
            File.ReadAllText(RepositoryRoot.Combine("infra", "bicepconfig.json")),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var core = config.RootElement.GetProperty("analyzers").GetProperty("core");

        Assert.True(core.GetProperty("enabled").GetBoolean());
        var weak = core.GetProperty("rules").EnumerateObject()
            .Where(rule => rule.Value.GetProperty("level").GetString() is not ("warning" or "error"))
            .Select(rule => rule.Name)
            .ToList();
        Assert.True(weak.Count == 0, $"rules below warning: {string.Join(", ", weak)}");
        Assert.True(core.GetProperty("rules").EnumerateObject().Count() >= 30, "the core rules are listed");
    }
}
