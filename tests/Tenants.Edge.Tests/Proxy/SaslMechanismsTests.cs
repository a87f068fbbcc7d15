using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Tenants.Edge.Proxy;

namespace Tenants.Edge.Tests.Proxy;

public sealed class SaslMechanismsTests
{
    private static byte[] Authentication(int code, params string[] mechanisms)
    {
        var body = new List<byte>();
        var codeBytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(codeBytes, code);
        body.AddRange(codeBytes);
        foreach (var mechanism in mechanisms)
        {
            body.AddRange(Encoding.UTF8.GetBytes(mechanism));
            body.Add(0);
        }

        if (mechanisms.Length > 0)
        {
            body.Add(0);
        }

        var message = new byte[5 + body.Count];
        message[0] = (byte)'R';
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 4 + body.Count);
        body.CopyTo(message, 5);
        return message;
    }

    private static byte[] Apply(byte[] message)
    {
        var output = new ArrayBufferWriter<byte>();
        SaslMechanisms.WithoutChannelBinding(new ReadOnlySequence<byte>(message), output);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void WithoutChannelBinding_ScramWithPlus_OffersOnlyScram()
    {
        var rewritten = Apply(Authentication(10, "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"));

        Assert.Equal(Authentication(10, "SCRAM-SHA-256"), rewritten);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void WithoutChannelBinding_OtherAuthenticationMessages_PassUnchanged(int code)
    {
        var message = Authentication(code);

        Assert.Equal(message, Apply(message));
    }

    [Fact]
    public void WithoutChannelBinding_NoPlusOffered_PassesUnchanged()
    {
        var message = Authentication(10, "SCRAM-SHA-256");

        Assert.Equal(message, Apply(message));
    }
}
