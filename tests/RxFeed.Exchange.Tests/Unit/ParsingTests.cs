using System.Text;
using RxFeed.Exchange.Market;
using RxFeed.Exchange.Sessions;

namespace RxFeed.Exchange.Tests.Unit;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("ethusdt@bookTicker", true)]
    [InlineData("ethusdt@depth@100ms", true)]
    [InlineData("!serverShutdown", true)]
    [InlineData("ETHUSDT@bookTicker", false)]
    [InlineData("ethusdt", false)]
    [InlineData("@bookTicker", false)]
    [InlineData("ethusdt@", false)]
    [InlineData("eth usdt@bookTicker", false)]
    public void IsValid_StreamName_FollowsBinanceCase(string name, bool valid)
    {
        StreamNames.IsValid(name).Should().Be(valid);
    }

    [Theory]
    [InlineData("/ws", null, false, "")]
    [InlineData("/ws/a@bookTicker/b@trade", null, false, "a@bookTicker,b@trade")]
    [InlineData("/stream", "a@bookTicker/b@bookTicker", true, "a@bookTicker,b@bookTicker")]
    public void TryParse_Endpoint_GivesEnvelopeAndStreams(string path, string? query, bool combined, string streams)
    {
        UpgradeRequest.TryParse(path, query, out var request, out var error).Should().BeTrue();

        error.Should().BeNull();
        request!.Combined.Should().Be(combined);
        string.Join(',', request.Streams).Should().Be(streams);
    }

    [Fact]
    public void TryParse_UnknownPath_IsNotAnEndpoint()
    {
        UpgradeRequest.TryParse("/api/v3/depth", null, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void TryParseLine_CombinedWithTime_KeepsDataBytes()
    {
        long ns = 0;
        var line = Encoding.UTF8.GetBytes("1723161254024619568 {\"stream\":\"ethusdt@bookTicker\",\"data\":{\"u\":1,\"s\":\"ETHUSDT\",\"b\":\"1.0\",\"B\":\"1\",\"a\":\"2.0\",\"A\":\"1\"}}\r");

        RecordedFrameReader.TryParseLine(line, ref ns, out var frame).Should().BeTrue();

        ns.Should().Be(1723161254024619568);
        frame.Stream.Should().Be("ethusdt@bookTicker");
        Encoding.UTF8.GetString(frame.Payload.Span).Should().Be("{\"u\":1,\"s\":\"ETHUSDT\",\"b\":\"1.0\",\"B\":\"1\",\"a\":\"2.0\",\"A\":\"1\"}");
    }

    [Theory]
    [InlineData("{\"lastUpdateId\":1,\"bids\":[],\"asks\":[]}")]
    [InlineData("{\"stream\":\"ethusdt@bookTicker\",\"data\":")]
    [InlineData("")]
    public void TryParseLine_NotServable_IsSkipped(string text)
    {
        long ns = 0;
        RecordedFrameReader.TryParseLine(Encoding.UTF8.GetBytes(text), ref ns, out _).Should().BeFalse();
    }

    [Fact]
    public void Shift_TickerAndDepthIds_RaisesOnlyTopLevelUAndBigU()
    {
        var payload = Encoding.UTF8.GetBytes("{\"e\":\"depthUpdate\",\"U\":100,\"u\":105,\"x\":{\"u\":1}}");

        var shifted = UpdateIdRewriter.Shift(payload, 50, out var u);

        Encoding.UTF8.GetString(shifted.Span).Should().Be("{\"e\":\"depthUpdate\",\"U\":150,\"u\":155,\"x\":{\"u\":1}}");
        u.Should().Be(155);
    }

    [Theory]
    [InlineData("recorded", 1)]
    [InlineData("10x", 10)]
    [InlineData("0.5x", 0.5)]
    public void TryParse_Pace_GivesSpeed(string text, double speed)
    {
        ReplayPace.TryParse(text, out var pace).Should().BeTrue();
        pace.Speed.Should().Be(speed);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("0x")]
    [InlineData("-2x")]
    public void TryParse_BadPace_Fails(string text)
    {
        ReplayPace.TryParse(text, out _).Should().BeFalse();
    }

    [Fact]
    public void TryParse_Max_IsMax()
    {
        ReplayPace.TryParse("max", out var pace).Should().BeTrue();
        pace.IsMax.Should().BeTrue();
    }
}
