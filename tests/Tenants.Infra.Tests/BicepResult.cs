namespace Tenants.Infra.Tests;

/// <summary>What one run of the bicep CLI printed.</summary>
internal sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The lines of standard error that report a diagnostic (warning, error or info).</summary>
    public IReadOnlyList<string> Diagnostics =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string Describe() => $"bicep exited {ExitCode}; stderr:\n{StandardError}";
}
