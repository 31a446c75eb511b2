using RxFeed.Exchange.Frames;

namespace RxFeed.Exchange.Tests.Unit;

public sealed class WebSocketFrameWriterTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(125, 2)]
    [InlineData(126, 4)]
    [InlineData(65535, 4)]
    [InlineData(65536, 10)]
    public void BuildFrame_ServerFrame_UnmaskedWithShortestLength(int length, int headerLength)
    {
        var frame = WebSocketFrameWriter.BuildFrame(WebSocketOpcode.Binary, new byte[length]);

        frame.Length.Should().Be(headerLength + length);
        frame[0].Should().Be(0x82, "FIN and the binary opcode");
        (frame[1] & 0x80).Should().Be(0, "a server never masks");
    }

    [Fact]
    public void BuildFrame_NotFinal_ClearsFin()
    {
        WebSocketFrameWriter.BuildFrame(WebSocketOpcode.Text, "a"u8, fin: false)[0].Should().Be(0x01);
    }

    [Fact]
    public void BuildCloseBody_LongReason_CutTo125BytesWithoutSplittingACharacter()
    {
        var body = WebSocketFrameWriter.BuildCloseBody(1000, new string('é', 100));

        body.Length.Should().BeLessThanOrEqualTo(125);
        body[0].Should().Be(0x03);
        body[1].Should().Be(0xE8);
        System.Text.Encoding.UTF8.GetString(body, 2, body.Length - 2).Should().MatchRegex("^é+$");
    }

    [Fact]
    public void ComputeAccept_Rfc6455Sample_MatchesTheRfc()
    {
        WebSocketHandshake.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ==").Should().Be("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    [Theory]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==", true)]
    [InlineData("short", false)]
    [InlineData("", false)]
    public void IsValidKey_Key_ChecksSixteenBytes(string key, bool valid)
    {
        WebSocketHandshake.IsValidKey(key).Should().Be(valid);
    }
}
