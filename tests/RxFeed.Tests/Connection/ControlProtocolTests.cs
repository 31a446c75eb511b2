using RxFeed.Connection;

namespace RxFeed.Tests.Connection;

public sealed class ControlProtocolTests
{
    [Fact]
    public void Subscribe_Streams_WritesBinanceRequest() =>
        ControlProtocol.Subscribe(["adausdt@bookTicker", "btcusdt@bookTicker"], 7)
            .Should().Be("{\"method\":\"SUBSCRIBE\",\"params\":[\"adausdt@bookTicker\",\"btcusdt@bookTicker\"],\"id\":7}");

    [Fact]
    public void BookTickerStream_UpperCaseSymbol_IsLowerCaseStream() =>
        ControlProtocol.BookTickerStream(" ADAUSDT ").Should().Be("adausdt@bookTicker");

    [Theory]
    [InlineData("{\"result\":null,\"id\":3}", 3, false, null)]
    [InlineData("{\"id\":4,\"result\":[\"adausdt@bookTicker\"]}", 4, false, 1)]
    [InlineData("{\"error\":{\"code\":2,\"msg\":\"Invalid request\"},\"id\":5}", 5, true, null)]
    [InlineData("{\"code\":1,\"msg\":\"bad\",\"id\":6}", 6, true, null)]
    public void TryReadReply_Replies_AreRecognised(string frame, long id, bool isError, int? streams)
    {
        ControlProtocol.TryReadReply(frame, out ControlReply reply).Should().BeTrue();
        reply.Id.Should().Be(id);
        reply.IsError.Should().Be(isError);
        reply.Streams?.Count.Should().Be(streams);
    }

    [Theory]
    [InlineData("{\"u\":1,\"s\":\"ADAUSDT\",\"b\":\"1\",\"B\":\"1\",\"a\":\"2\",\"A\":\"1\"}")]
    [InlineData("{\"result\":null,\"id\":")]
    [InlineData("{\"id\":\"x\",\"result\":null}")]
    [InlineData("not json \"id\"")]
    public void TryReadReply_OtherFrames_AreNotReplies(string frame) =>
        ControlProtocol.TryReadReply(frame, out _).Should().BeFalse();

    [Theory]
    [InlineData("{\"e\":\"serverShutdown\",\"E\":1}", true)]
    [InlineData("{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\"}}", true)]
    [InlineData("{\"s\":\"serverShutdown\",\"u\":1}", false)]
    [InlineData("{\"e\":\"serverShutdown\"", false)]
    public void IsServerShutdown_Frames_AreRecognisedExactly(string frame, bool expected) =>
        ControlProtocol.IsServerShutdown(frame).Should().Be(expected);
}
