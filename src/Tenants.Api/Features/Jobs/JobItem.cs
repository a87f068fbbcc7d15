using Tenants.Abstractions.Jobs;

namespace Tenants.Api.Features.Jobs;

/// <summary>A background job (verification or export) of the caller's tenant: status, progress and result.</summary>
public sealed class JobItem
{
    /// <summary>The job id (a ULID).</summary>
    public required string Id { get; init; }

    /// <summary><c>verification</c> or <c>export</c>.</summary>
    public required string Kind { get; init; }

    /// <summary><c>queued</c>, <c>running</c>, <c>done</c> or <c>failed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The member, or <c>api-key</c> for a key seeded by configuration, that started the job.</summary>
    public required string RequestedBy { get; init; }

    public required DateTimeOffset Created { get; init; }

    public DateTimeOffset? Started { get; init; }

    public DateTimeOffset? Finished { get; init; }

    /// <summary>How many times the job was started (more than one after a node failure interrupted it).</summary>
    public required int Attempts { get; init; }

    public required JobProgress Progress { get; init; }

    /// <summary>Why the job failed.</summary>
    public string? Error { get; init; }

    /// <summary>A verification's result, once done.</summary>
    public JobVerificationResult? Verification { get; init; }

    /// <summary>An export's query.</summary>
    public LedgerExportQuery? Query { get; init; }

    /// <summary>An export's result, once done.</summary>
    public JobExportResult? Export { get; init; }

    /// <summary>Where to download an export's bundle, once done.</summary>
    public string? Download { get; init; }

    internal static JobItem From(LedgerJob job) => new()
    {
        Id = job.Id,
        Kind = job.Kind == LedgerJobKind.Export ? "export" : "verification",
        Status = job.Status.ToString().ToLowerInvariant(),
        RequestedBy = job.RequestedBy,
        Created = job.Created,
        Started = job.Started,
        Finished = job.Finished,
        Attempts = job.Attempts,
        Progress = new JobProgress
        {
            EntriesChecked = job.Progress.EntriesChecked,
            EntriesTotal = job.Progress.EntriesTotal,
            BlocksChecked = job.Progress.BlocksChecked,
            BlocksTotal = job.Progress.BlocksTotal,
            Percent = job.Progress.Percent,
        },
        Error = job.Error,
        Verification = job.Verification is { } v ? new JobVerificationResult
        {
            Valid = v.Valid,
            TreeSize = v.TreeSize,
            EntriesChecked = v.EntriesChecked,
            BlocksChecked = v.BlocksChecked,
            CheckpointsChecked = v.CheckpointsChecked,
            FirstProblem = v.ProblemLocation is null ? null : new JobVerificationProblem
            {
                Location = v.ProblemLocation,
                LeafIndex = v.ProblemLeafIndex,
                Line = v.ProblemLine,
                Message = v.ProblemMessage ?? string.Empty,
            },
            Summary = v.Summary,
        } : null,
        Query = job.Query,
        Export = job.Export is { } e ? new JobExportResult
        {
            Events = e.Events,
            FromSize = e.FromSize,
            ToSize = e.ToSize,
            Bytes = e.Bytes,
            Sha256 = e.Sha256 ?? string.Empty,
            Truncated = e.Truncated,
            Deleted = e.Deleted,
        } : null,
        Download = job.Kind == LedgerJobKind.Export && job.Status == LedgerJobStatus.Done && job.Export?.Deleted != true
            ? $"/api/v1/exports/{job.Id}/download"
            : null,
    };
}

/// <summary>How far a job has come.</summary>
public sealed class JobProgress
{
    /// <summary>Entries checked (a verification) or events proved (an export).</summary>
    public required long EntriesChecked { get; init; }

    public long? EntriesTotal { get; init; }

    public required int BlocksChecked { get; init; }

    public int? BlocksTotal { get; init; }

    /// <summary>0 to 100; 100 only once the job is done.</summary>
    public required int Percent { get; init; }
}

/// <summary>The result of a verification job, as <c>GET /api/v1/ledger/verify</c> reports it.</summary>
public sealed class JobVerificationResult
{
    public required bool Valid { get; init; }

    /// <summary>Size of the last checkpoint whose signature, chain and root verified.</summary>
    public required long TreeSize { get; init; }

    public required long EntriesChecked { get; init; }

    public required int BlocksChecked { get; init; }

    public required int CheckpointsChecked { get; init; }

    public JobVerificationProblem? FirstProblem { get; init; }

    /// <summary>The report's final line (<c>VALID ...</c> or <c>INVALID ...</c>).</summary>
    public string? Summary { get; init; }
}

/// <summary>Where a verification first failed.</summary>
public sealed class JobVerificationProblem
{
    public required string Location { get; init; }

    public long? LeafIndex { get; init; }

    public int? Line { get; init; }

    public required string Message { get; init; }
}

/// <summary>What an export's bundle holds.</summary>
public sealed class JobExportResult
{
    public required long Events { get; init; }

    /// <summary>The checkpoint size the bundle starts from (0: the start of the ledger).</summary>
    public required long FromSize { get; init; }

    /// <summary>The checkpoint size every inclusion proof leads to.</summary>
    public long? ToSize { get; init; }

    public required long Bytes { get; init; }

    /// <summary>SHA-256 of the tar, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>More events matched than <c>Exports:MaxEvents</c>; the bundle holds the oldest.</summary>
    public required bool Truncated { get; init; }

    /// <summary>The bundle was deleted after <c>Exports:Retention</c>; run the export again to get a new one.</summary>
    public bool Deleted { get; init; }
}
