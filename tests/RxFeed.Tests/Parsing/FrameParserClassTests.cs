using RxFeed.Parsing;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Parsing;

/// <summary>Every frame class of host-cli.md "Counting frames", with the exact fields it carries.</summary>
public class FrameParserClassTests
{
    private static void ShouldBeBnb(FeedFrame f)
    {
        f.Class.Should().Be(FrameClass.BookTicker, f.ToString());
        f.Fault.Should().Be(FrameFault.None);
        f.Field.Should().BeNull();
        f.Ticker.Symbol.Should().Be("BNBUSDT");
        f.Ticker.UpdateId.Should().Be(400900217);
        f.Ticker.BidPrice.Should().Be(25.3519m);
        f.Ticker.BidQty.Should().Be(31.21m);
        f.Ticker.AskPrice.Should().Be(25.3652m);
        f.Ticker.AskQty.Should().Be(40.66m);
        f.Ticker.IsInverted.Should().BeFalse();
        f.Ticker.ReceivedNs.Should().Be(42);
        f.ReceivedNs.Should().Be(42);
    }

    [Fact]
    public void Parse_RawWsBookTicker_IsBookTickerWithExactFields()
    {
        FeedFrame f = Frames.Classify(Frames.Raw);
        ShouldBeBnb(f);

        // Exact as sent: the sender's scale survives.
        f.Ticker.BidPrice.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("25.35190000");
        f.Ticker.AskQty.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("40.66000000");
    }

    [Fact]
    public void Parse_CombinedEnvelope_IsBookTickerWithExactFields()
    {
        FeedFrame f = Frames.Classify(Frames.Combined);
        f.Class.Should().Be(FrameClass.BookTicker);
        f.Ticker.Should().Be(new BookTicker("ETHUSDT", 35346513501, 2683.80000000m, 3.02920000m, 2683.81000000m, 31.43950000m, 42));
        f.Ticker.BidPrice.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("2683.80000000");
    }

    [Fact]
    public void Parse_OtherCombinedStream_StreamIsEnvelopeName()
    {
        Frames.Classify("""{"stream":"ethusdt@trade","data":{"e":"trade"}}""").Stream.Should().Be("ethusdt@trade");
    }

    [Fact]
    public void Parse_FuturesFormWithEventTypeTimesAndPair_IsBookTicker()
    {
        ShouldBeBnb(Frames.Classify(Frames.Futures));
    }

    [Fact]
    public void Parse_FuturesFormInCombinedEnvelope_IsBookTicker()
    {
        ShouldBeBnb(Frames.Classify($$"""{"stream":"bnbusdt@bookTicker","data":{{Frames.Futures}}}"""));
    }

    [Fact]
    public void Parse_KeysInReverseOrderAndEnvelopeDataFirst_IsBookTicker()
    {
        ShouldBeBnb(Frames.Classify("""{"A":"40.66000000","a":"25.36520000","B":"31.21000000","b":"25.35190000","s":"BNBUSDT","u":400900217}"""));
        ShouldBeBnb(Frames.Classify("""{"data":{"A":"40.66","a":"25.3652","B":"31.21","s":"BNBUSDT","b":"25.3519","u":400900217},"stream":"bnbusdt@bookTicker"}"""));
    }

    [Fact]
    public void Parse_UnknownAndNestedFieldsAnywhere_AreSkipped()
    {
        const string noise = "\"x\":{\"u\":\"bad\",\"s\":[1,{\"b\":null,\"u\":1,\"u\":2}],\"data\":{\"e\":\"trade\"}},\"y\":[[[]],{}],\"z\":true,\"w\":null,\"v\":-1.5e-3,\"t\":\"\\\"}\\\\\",\"E\":0";
        ShouldBeBnb(Frames.Classify("{" + noise + ",\"u\":400900217,\"s\":\"BNBUSDT\"," + noise + ",\"b\":\"25.3519\",\"B\":\"31.21\",\"a\":\"25.3652\",\"A\":\"40.66\"," + noise + "}"));
        ShouldBeBnb(Frames.Classify("{" + noise + ",\"stream\":\"bnbusdt@bookTicker\",\"data\":{" + noise + ",\"u\":400900217,\"s\":\"BNBUSDT\",\"b\":\"25.3519\",\"B\":\"31.21\",\"a\":\"25.3652\",\"A\":\"40.66\"}}"));
    }

    [Fact]
    public void Parse_JsonWhitespaceEverywhere_IsBookTicker()
    {
        ShouldBeBnb(Frames.Classify(" \t\r\n{ \"u\" :\r\n400900217 ,\t\"s\"\n:\"BNBUSDT\" , \"b\" : \"25.3519\",\"B\":\"31.21\"\r,\"a\":\"25.3652\" ,\"A\":\"40.66\"\n}\r\n\t "));
    }

    [Fact]
    public void Parse_EscapedKeysAndValues_AreDecoded()
    {
        // "\u0073" is the key s, "\u0055" a U, "\/" a slash; values and keys alike.
        FeedFrame f = Frames.Classify("""{"\u0075":400900217,"\u0073":"BNB\u0055SDT","\u0062":"\u0032\u0035.3519","\u0042":"31.21","a":"25.3652","\u0041":"40.66"}""");
        ShouldBeBnb(f);

        FeedFrame combined = Frames.Classify("""{"str\u0065am":"bnbusdt\u0040book\u0054icker","d\u0061ta":{"u":1,"s":"A\/B\"C\\D\u00e9\ud83d\ude00","b":"1","B":"0","a":"2","A":"0"}}""");
        combined.Class.Should().Be(FrameClass.BookTicker);
        combined.Ticker.Symbol.Should().Be("A/B\"C\\Dé😀");
    }

    [Fact]
    public void Parse_SameSymbolTwice_ReusesOneStringInstance()
    {
        var parser = new FrameParser();
        string first = parser.Parse(Frames.Raw, 1).Ticker.Symbol;
        string second = parser.Parse(Frames.Raw.Replace("400900217", "400900218", StringComparison.Ordinal), 2).Ticker.Symbol;
        string escaped = parser.Parse(Frames.Raw.Replace("\"BNBUSDT\"", "\"BNB\\u0055SDT\"", StringComparison.Ordinal), 3).Ticker.Symbol;
        second.Should().BeSameAs(first);
        escaped.Should().BeSameAs(first);
    }

    [Fact]
    public void Parse_RawWithoutEventType_NeedsUSBAndA()
    {
        Frames.Classify("""{"u":1,"s":"X","b":"1","a":"2"}""").Should().Match<FeedFrame>(f => f.Class == FrameClass.Invalid && f.Fault == FrameFault.MissingField && f.Field == "B");
        Frames.Classify("""{"s":"X","b":"1","B":"1","a":"2","A":"1"}""").Class.Should().Be(FrameClass.Other);
        Frames.Classify("""{"u":1,"b":"1","B":"1","a":"2","A":"1"}""").Class.Should().Be(FrameClass.Other);
        Frames.Classify("""{"u":1,"s":"X","B":"1","a":"2","A":"1"}""").Class.Should().Be(FrameClass.Other);
        Frames.Classify("""{"u":1,"s":"X","b":"1","B":"1","A":"1"}""").Class.Should().Be(FrameClass.Other);
    }

    [Fact]
    public void Parse_RawWithOtherEventType_IsOtherWithEventType()
    {
        FeedFrame f = Frames.Classify("""{"e":"trade","E":1,"s":"ETHUSDT","t":1,"p":"2683.8","q":"1","u":5,"b":"1","a":"2"}""");
        f.Class.Should().Be(FrameClass.Other);
        f.Stream.Should().Be("trade");
    }

    [Theory]
    [InlineData("""{"stream":"ethusdt@trade","data":{"e":"trade","E":1723161254000,"s":"ETHUSDT","t":1,"p":"2683.80","q":"0.1","T":1,"m":true,"M":true}}""", "ethusdt@trade")]
    [InlineData("""{"stream":"ethusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"ETHUSDT","U":1,"u":2,"b":[["1","2"]],"a":[]}}""", "ethusdt@depth@100ms")]
    [InlineData("""{"stream":"ethusdt@bookTickers","data":{"u":1,"s":"ETHUSDT","b":"1","B":"1","a":"2","A":"1"}}""", "ethusdt@bookTickers")]
    [InlineData("""{"stream":"ethusdt@BookTicker","data":{"u":1,"s":"ETHUSDT","b":"1","B":"1","a":"2","A":"1"}}""", "ethusdt@BookTicker")]
    public void Parse_OtherCombinedStream_IsOtherWithStreamName(string frame, string stream)
    {
        FeedFrame f = Frames.Classify(frame);
        f.Class.Should().Be(FrameClass.Other);
        f.Stream.Should().Be(stream);
        f.Fault.Should().Be(FrameFault.None);
    }

    [Theory]
    [InlineData("""{"lastUpdateId":35346513512,"bids":[["2683.80000000","3.02920000"]],"asks":[["2683.81000000","31.43950000"]]}""")]
    [InlineData("{}")]
    [InlineData("""{"stream":"ethusdt@bookTicker"}""")]
    [InlineData("""{"stream":1,"data":{"u":1,"s":"X","b":"1","B":"1","a":"2"}}""")]
    [InlineData("""{"result":null}""")]
    [InlineData("""{"id":1}""")]
    [InlineData("""{"code":1}""")]
    [InlineData("""{"msg":"x"}""")]
    [InlineData("""{"error":"x","id":1}""")]
    [InlineData("""{"error":{"code":1,"msg":"x"}}""")]
    [InlineData("""{"e":null,"u":1,"s":"X","b":"1","B":"1","a":"2","A":"1"}""")]
    [InlineData("""{"e":"bookticker","u":1,"s":"X","b":"1","B":"1","a":"2","A":"1"}""")]
    [InlineData("""{"e":"serverShutdow"}""")]
    public void Parse_OtherWellFormedObject_IsOther(string frame)
    {
        FeedFrame f = Frames.Classify(frame);
        f.Class.Should().Be(FrameClass.Other, f.ToString());
        f.Fault.Should().Be(FrameFault.None);
        f.Control.Should().Be(ControlKind.None);
    }

    [Fact]
    public void Parse_RestSnapshotLineFromCapture_IsOther()
    {
        string line = Frames.Capture.Single(l => l.Contains("\"lastUpdateId\"", StringComparison.Ordinal));
        Frames.Classify(Frames.FrameOf(line)).Class.Should().Be(FrameClass.Other);
    }

    [Theory]
    [InlineData("""{"result":null,"id":1}""", 1L)]
    [InlineData("""{"id":312,"result":["btcusdt@bookTicker","ethusdt@bookTicker"]}""", 312L)]
    [InlineData("""{"result":{"k":[1,{}]},"id":7}""", 7L)]
    [InlineData("""{"result":true,"id":"abc"}""", null)]
    public void Parse_Ack_IsControlAckWithId(string frame, long? id)
    {
        FeedFrame f = Frames.Classify(frame);
        f.Class.Should().Be(FrameClass.Control);
        f.Control.Should().Be(ControlKind.Ack);
        f.Id.Should().Be(id);
        f.Fault.Should().Be(FrameFault.None);
    }

    [Fact]
    public void Parse_CodeMsgError_IsControlErrorWithCodeAndMessage()
    {
        FeedFrame f = Frames.Classify("""{"code": 2, "msg": "Invalid request: unknown variable \"x\""}""");
        f.Class.Should().Be(FrameClass.Control);
        f.Control.Should().Be(ControlKind.Error);
        f.ErrorCode.Should().Be(2);
        f.Message.Should().Be("Invalid request: unknown variable \"x\"");
        f.Id.Should().BeNull();
    }

    [Fact]
    public void Parse_NestedErrorWithId_IsControlErrorWithCodeMessageAndId()
    {
        FeedFrame f = Frames.Classify("""{"id":5,"error":{"code":-1121,"msg":"Invalid symbol.","code2":1}}""");
        f.Class.Should().Be(FrameClass.Control);
        f.Control.Should().Be(ControlKind.Error);
        f.ErrorCode.Should().Be(-1121);
        f.Message.Should().Be("Invalid symbol.");
        f.Id.Should().Be(5);

        FeedFrame nullId = Frames.Classify("""{"error":{"code":3,"msg":"Invalid JSON"},"id":null}""");
        nullId.Control.Should().Be(ControlKind.Error);
        nullId.Id.Should().BeNull();
        nullId.ErrorCode.Should().Be(3);
    }

    [Fact]
    public void Parse_NestedErrorRepeatingCode_IsStillControl()
    {
        // Only the top level and a book ticker's payload are checked for repeated keys.
        FeedFrame f = Frames.Classify("""{"error":{"code":1,"code":2,"msg":"a","msg":"b"},"id":9}""");
        f.Class.Should().Be(FrameClass.Control);
        f.Control.Should().Be(ControlKind.Error);
    }

    [Theory]
    [InlineData("""{"e":"serverShutdown","E":1723161254000}""", null)]
    [InlineData("""{"E":1,"e":"server\u0053hutdown"}""", null)]
    [InlineData("""{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1723161254000}}""", "!serverShutdown")]
    [InlineData("""{"stream":"!serverShutdown","data":{"e":"x","e":"y","u":1,"u":2}}""", "!serverShutdown")]
    public void Parse_ServerShutdownRawOrCombined_IsControlServerShutdown(string frame, string? stream)
    {
        FeedFrame f = Frames.Classify(frame);
        f.Class.Should().Be(FrameClass.Control, f.ToString());
        f.Control.Should().Be(ControlKind.ServerShutdown);
        f.Stream.Should().Be(stream);
    }

    [Fact]
    public void Parse_NullFrame_IsMalformedEmpty()
    {
        new FrameParser().Parse(null, 7).Should().Match<FeedFrame>(f => f.Class == FrameClass.Malformed && f.Fault == FrameFault.Empty && f.ReceivedNs == 7);
    }

    [Fact]
    public void Parse_EveryCaptureLine_ClassifiesAsTheCaptureReadmeSays()
    {
        var parser = new FrameParser();
        int[] counts = new int[8];
        foreach (string line in Frames.Capture)
        {
            counts[(int)parser.Parse(Frames.FrameOf(line), 0).Class]++;
        }

        counts[(int)FrameClass.BookTicker].Should().Be(24077);
        counts[(int)FrameClass.Other].Should().Be(9541);
        counts.Sum().Should().Be(33618);
    }
}
