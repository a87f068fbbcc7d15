using System.IO.Pipelines;

namespace Tenants.Edge.Tls;

/// <summary>A reader and a writer that together make a connection's two directions.</summary>
internal sealed class StreamDuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
