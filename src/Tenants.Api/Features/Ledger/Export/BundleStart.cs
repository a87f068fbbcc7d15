using Microsoft.AspNetCore.Http;

namespace Tenants.Api.Features.Ledger.Export;

/// <summary>
/// The response body of an export, which sets the tar headers at the first write: until then nothing is sent, so a
/// range error can still become a problem response.
/// </summary>
internal sealed class BundleStart(HttpResponse response, string fileName) : Stream
{
    private bool _started;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Start();
        await response.Body.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _started ? response.Body.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The export is written asynchronously.");

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Start()
    {
        if (!_started)
        {
            _started = true;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/x-tar";
            response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        }
    }
}
