namespace Tenants.Testing;

/// <summary>How a child process ended: its exit code, everything it printed, and whether it was killed for taking too long.</summary>
public sealed record ProcessResult(int ExitCode, string Output, bool TimedOut);
