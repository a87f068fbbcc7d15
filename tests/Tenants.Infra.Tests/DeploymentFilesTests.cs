using System.Text.RegularExpressions;

namespace Tenants.Infra.Tests;

/// <summary>
/// azure.yaml, the Dockerfile and infra/ agree: every azd service lands on a container app tagged for it and is built
/// from the repository's Dockerfile, whose image runs the Host as a non-root user with the portal built in.
/// </summary>
public sealed partial class DeploymentFilesTests(CompiledMainTemplate main) : IClassFixture<CompiledMainTemplate>
{
    [Fact]
    public void AzureYaml_EveryService_IsBuiltFromTheDockerfileAndHasAContainerAppTaggedForIt()
    {
        var services = Services(File.ReadAllText(RepositoryRoot.Combine("azure.yaml")));
        var tags = ArmTemplateScope.Root(main.Template).SelfAndDescendants()
            .SelectMany(s => s.OfType("Microsoft.App/containerApps"))
            .Select(app => app.TryGetProperty("tags", out var t) ? t.ToString() : string.Empty)
            .ToList();

        Assert.Equal(["host", "edge"], services.Select(s => s.Name));
        foreach (var (name, project, dockerfile) in services)
        {
            Assert.True(Directory.Exists(RepositoryRoot.Combine(project)), $"service {name}: project {project} does not exist");
            Assert.Equal(RepositoryRoot.Combine("Dockerfile"), Path.GetFullPath(Path.Combine(RepositoryRoot.Combine(project), dockerfile)));
            Assert.Single(tags, t => t.Contains($"'azd-service-name', '{name}'", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Dockerfile_FinalImage_RunsAsNonRootWithThePortalBuiltIn()
    {
        var lines = File.ReadAllLines(RepositoryRoot.Combine("Dockerfile")).Where(l => !l.TrimStart().StartsWith('#')).ToList();
        var stages = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        var final = lines.Skip(stages[^1].i).ToList();

        Assert.True(stages.Count >= 3, "the portal, the Host and the runtime image are built in stages of their own");
        Assert.Contains(stages, s => s.l.Contains("npm", StringComparison.Ordinal) || s.l.StartsWith("FROM node:", StringComparison.Ordinal));
        Assert.Contains(final, l => l.StartsWith("COPY --from=portal ", StringComparison.Ordinal) && l.EndsWith("./wwwroot", StringComparison.Ordinal));
        var user = Assert.Single(final, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotMatch(@"^USER\s+(root|0)(:|\s|$)", user);
        Assert.True(final.IndexOf(user) > final.FindLastIndex(l => l.StartsWith("RUN ", StringComparison.Ordinal)), "nothing runs as root after USER");
    }

    private static List<(string Name, string Project, string Dockerfile)> Services(string yaml)
    {
        // azure.yaml is small and regular: a `services:` map of two-space-indented names with four-space properties.
        var block = yaml[(yaml.IndexOf("\nservices:\n", StringComparison.Ordinal) + 1)..];
        var end = TopLevelKey().Match(block, "services:\n".Length);
        block = end.Success ? block[..end.Index] : block;
        return ServiceEntry().Matches(block)
            .Select(m => (m.Groups["name"].Value, m.Groups["project"].Value, m.Groups["docker"].Value))
            .ToList();
    }

    [GeneratedRegex(@"^[a-z]", RegexOptions.Multiline)]
    private static partial Regex TopLevelKey();

    [GeneratedRegex(@"^  (?<name>[a-z-]+):\n(?:    .*\n|      .*\n)*?    project: (?<project>\S+)\n(?:    .*\n|      .*\n)*?      path: (?<docker>\S+)", RegexOptions.Multiline)]
    private static partial Regex ServiceEntry();
}
