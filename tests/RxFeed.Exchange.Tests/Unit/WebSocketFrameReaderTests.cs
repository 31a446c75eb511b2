using System.Text;
using RxFeed.Exchange.Frames;

namespace RxFeed.Exchange.Tests.Unit;

public sealed class WebSocketFrameReaderTests
{
    private static readonly byte[] Mask = [0x12, 0x34, 0x56, 0x78];

    private static byte[] Client(WebSocketOpcode opcode, byte[] payload, bool fin = true) => WebSocketFrameWriter.BuildFrame(opcode, payload, fin, Mask);

    private static WebSocketFrameReader Reader(params byte[][] frames) => new(new MemoryStream(frames.SelectMany(f => f).ToArray()), 1 << 20);

    private static async Task<int> ProtocolErrorOf(params byte[][] frames)
    {
        var reader = Reader(frames);
        var act = async () =>
        {
            while (await reader.ReadAsync(CancellationToken.None) is not null)
            {
            }
        };
        return (await act.Should().ThrowAsync<WebSocketProtocolException>()).Which.CloseCode;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(200_000)]
    public async Task ReadAsync_MaskedTextOfLength_UnmasksExactly(int length)
    {
        var text = new string('a', length).ToCharArray();
        for (var i = 0; i < length; i++)
        {
            text[i] = (char)('a' + (i % 26));
        }

        var payload = Encoding.UTF8.GetBytes(text);

        var message = await Reader(Client(WebSocketOpcode.Text, payload)).ReadAsync(CancellationToken.None);

        message!.Value.Opcode.Should().Be(WebSocketOpcode.Text);
        message.Value.Payload.ToArray().Should().Equal(payload);
    }

    [Fact]
    public async Task ReadAsync_FragmentsWithPingBetween_ReturnsPingThenWholeMessage()
    {
        var reader = Reader(
            Client(WebSocketOpcode.Text, "Hel"u8.ToArray(), fin: false),
            Client(WebSocketOpcode.Ping, "p"u8.ToArray()),
            Client(WebSocketOpcode.Continuation, "lo "u8.ToArray(), fin: false),
            Client(WebSocketOpcode.Continuation, "there"u8.ToArray()));

        var first = await reader.ReadAsync(CancellationToken.None);
        var second = await reader.ReadAsync(CancellationToken.None);
        var end = await reader.ReadAsync(CancellationToken.None);

        first!.Value.Opcode.Should().Be(WebSocketOpcode.Ping);
        Encoding.UTF8.GetString(first.Value.Payload.Span).Should().Be("p");
        second!.Value.Opcode.Should().Be(WebSocketOpcode.Text);
        Encoding.UTF8.GetString(second.Value.Payload.Span).Should().Be("Hello there");
        end.Should().BeNull("the stream ended between frames");
    }

    [Fact]
    public async Task ReadAsync_UnmaskedFrame_Is1002()
    {
        (await ProtocolErrorOf(WebSocketFrameWriter.BuildFrame(WebSocketOpcode.Text, "x"u8))).Should().Be(1002);
    }

    [Fact]
    public async Task ReadAsync_ReservedBitSet_Is1002()
    {
        var frame = Client(WebSocketOpcode.Text, "x"u8.ToArray());
        frame[0] |= 0x40;
        (await ProtocolErrorOf(frame)).Should().Be(1002);
    }

    [Fact]
    public async Task ReadAsync_UnknownOpcode_Is1002()
    {
        (await ProtocolErrorOf(Client((WebSocketOpcode)0x3, "x"u8.ToArray()))).Should().Be(1002);
    }

    [Fact]
    public async Task ReadAsync_ControlFrameOver125Bytes_Is1002()
    {
        (await ProtocolErrorOf(Client(WebSocketOpcode.Ping, new byte[126]))).Should().Be(1002);
    }

    [Fact]
    public async Task ReadAsync_FragmentedControlFrame_Is1002()
    {
        (await ProtocolErrorOf(Client(WebSocketOpcode.Ping, "x"u8.ToArray(), fin: false))).Should().Be(1002);
    }

    [Fact]
    public async Task ReadAsync_ContinuationWithoutStart_Is1002()
    {
        (await ProtocolErrorOf(Client(WebSocketOpcode.Continuation, "x"u8.ToArray()))).Should().Be(1002);
    }

    [Fact]
    public async Task ReadAsync_NewMessageInsideFragmented_Is1002()
    {
        (await ProtocolErrorOf(Client(WebSocketOpcode.Text, "a"u8.ToArray(), fin: false), Client(WebSocketOpcode.Text, "b"u8.ToArray()))).Should().Be(1002);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8Text_Is1007()
    {
        (await ProtocolErrorOf(Client(WebSocketOpcode.Text, [0xC3, 0x28]))).Should().Be(1007);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8SplitAcrossFragments_IsCheckedOnTheWhole()
    {
        var euro = "€"u8.ToArray();
        var reader = Reader(Client(WebSocketOpcode.Text, euro[..1], fin: false), Client(WebSocketOpcode.Continuation, euro[1..]));

        var message = await reader.ReadAsync(CancellationToken.None);

        Encoding.UTF8.GetString(message!.Value.Payload.Span).Should().Be("€", "a character split across fragments is valid");
    }

    [Fact]
    public async Task ReadAsync_MessageOverLimit_Is1009()
    {
        var reader = new WebSocketFrameReader(new MemoryStream(Client(WebSocketOpcode.Text, new byte[1000])), 500);

        var act = async () => await reader.ReadAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<WebSocketProtocolException>()).Which.CloseCode.Should().Be(1009);
    }

    [Fact]
    public async Task ReadAsync_FragmentsTogetherOverLimit_Is1009()
    {
        var reader = new WebSocketFrameReader(
            new MemoryStream([.. Client(WebSocketOpcode.Text, new byte[300], fin: false), .. Client(WebSocketOpcode.Continuation, new byte[300])]), 500);

        var act = async () => await reader.ReadAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<WebSocketProtocolException>()).Which.CloseCode.Should().Be(1009);
    }

    [Fact]
    public async Task ReadAsync_CloseWithCodeAndReason_ParsesBoth()
    {
        var message = await Reader(Client(WebSocketOpcode.Close, WebSocketFrameWriter.BuildCloseBody(4001, "bye"))).ReadAsync(CancellationToken.None);

        message!.Value.Opcode.Should().Be(WebSocketOpcode.Close);
        message.Value.CloseCode.Should().Be(4001);
        message.Value.CloseReason.Should().Be("bye");
    }

    [Fact]
    public async Task ReadAsync_EmptyClose_HasNoStatus()
    {
        var message = await Reader(Client(WebSocketOpcode.Close, [])).ReadAsync(CancellationToken.None);

        message!.Value.CloseCode.Should().Be(1005);
    }

    [Theory]
    [InlineData(new byte[] { 0x03 })]
    [InlineData(new byte[] { 0x03, 0xED })]
    [InlineData(new byte[] { 0x03, 0xE8, 0xC3, 0x28 })]
    public async Task ReadAsync_BadCloseBody_Is1002Or1007(byte[] body)
    {
        (await ProtocolErrorOf(Client(WebSocketOpcode.Close, body))).Should().BeOneOf(1002, 1007);
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInsideFrame_ThrowsEndOfStream()
    {
        var frame = Client(WebSocketOpcode.Text, "hello"u8.ToArray());
        var reader = new WebSocketFrameReader(new MemoryStream(frame[..^2]), 1 << 20);

        var act = async () => await reader.ReadAsync(CancellationToken.None);

        await act.Should().ThrowAsync<EndOfStreamException>();
    }
}
