using System.Text;
using RxFeed.Parsing;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Parsing;

/// <summary>Every way a frame is <c>malformed</c>, with its exact fault; and the look-alikes that are not.</summary>
public class FrameParserMalformedTests
{
    private static void ShouldBeMalformed(string? frame, FrameFault fault, string? field = null, int maxFrameBytes = FrameParser.DefaultMaxFrameBytes)
    {
        FeedFrame f = Frames.Classify(frame, maxFrameBytes);
        f.Class.Should().Be(FrameClass.Malformed, frame);
        f.Fault.Should().Be(fault, frame);
        f.Field.Should().Be(field, frame);
        f.ReceivedNs.Should().Be(42);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" \t\r\n ")]
    public void Parse_EmptyOrWhitespace_IsMalformedEmpty(string frame) => ShouldBeMalformed(frame, FrameFault.Empty);

    [Theory]
    [InlineData("{u:1}")]
    [InlineData("{'u':1}")]
    [InlineData("""{"u" 1}""")]
    [InlineData("""{"u":1 "s":"x"}""")]
    [InlineData("""{"u":1,,"s":"x"}""")]
    [InlineData("""{,"u":1}""")]
    [InlineData("""{"u":1]""")]
    [InlineData("""{"a":[1}""")]
    [InlineData("""{"a":[1 2]}""")]
    [InlineData("""{"a":{"b" 1}}""")]
    [InlineData("""{"a":{1:2}}""")]
    [InlineData("""{"a":truex}""")]
    [InlineData("""{"a":nul }""")]
    [InlineData("""{"a":True}""")]
    [InlineData("""{"a":undefined}""")]
    [InlineData("""{"a":+1}""")]
    [InlineData("""{"a":.5}""")]
    [InlineData("""{"a":1.}""")]
    [InlineData("""{"a":1.e5}""")]
    [InlineData("""{"a":1e}""")]
    [InlineData("""{"a":0x10}""")]
    [InlineData("""{"a":-}""")]
    [InlineData("""{"a":--1}""")]
    [InlineData("\f{}")]
    [InlineData("{}\v")]
    [InlineData("{\u00a0}")]
    [InlineData("\ufeff{}")]
    public void Parse_SyntaxError_IsMalformedSyntax(string frame) => ShouldBeMalformed(frame, FrameFault.Syntax);

    [Theory]
    [InlineData("""{"b":NaN}""")]
    [InlineData("""{"b":Infinity}""")]
    [InlineData("""{"b":-Infinity}""")]
    [InlineData("""{"b":[NaN]}""")]
    public void Parse_NaNOrInfinity_IsMalformedSyntax(string frame) => ShouldBeMalformed(frame, FrameFault.Syntax);

    [Theory]
    [InlineData("""{"a":1 /* c */}""")]
    [InlineData("""{"a":1 // c""" + "\n}")]
    [InlineData("// c\n{}")]
    [InlineData("""{"a":[1,/**/2]}""")]
    [InlineData("{}#")]
    public void Parse_Comment_IsMalformedSyntax(string frame) => ShouldBeMalformed(frame, FrameFault.Syntax);

    [Theory]
    [InlineData("""{"a":1,}""")]
    [InlineData("""{"a":[1,]}""")]
    [InlineData("""{"a":{"b":1,}}""")]
    [InlineData("""{"stream":"x@bookTicker","data":{"u":1,"s":"X","b":"1","B":"1","a":"2","A":"1",}}""")]
    public void Parse_TrailingComma_IsMalformedSyntax(string frame) => ShouldBeMalformed(frame, FrameFault.Syntax);

    [Theory]
    [InlineData("""{"u":01,"s":"X","b":"1","B":"1","a":"2","A":"1"}""")]
    [InlineData("""{"a":00}""")]
    [InlineData("""{"a":-01}""")]
    [InlineData("""{"a":[007]}""")]
    [InlineData("""{"a":00.5}""")]
    public void Parse_LeadingZero_IsMalformedSyntax(string frame) => ShouldBeMalformed(frame, FrameFault.Syntax);

    [Theory]
    [InlineData("""{"s":"\x41"}""")]
    [InlineData("""{"s":"\'"}""")]
    [InlineData("""{"s":"\U0041"}""")]
    [InlineData("""{"s":"\u004G"}""")]
    [InlineData("""{"s":"\u04"}""")]
    [InlineData("""{"s":"\0"}""")]
    [InlineData("""{"\q":1}""")]
    [InlineData("""{"a":["\a"]}""")]
    public void Parse_BadEscape_IsMalformedSyntax(string frame) => ShouldBeMalformed(frame, FrameFault.Syntax);

    [Theory]
    [InlineData('\0')]
    [InlineData('\t')]
    [InlineData('\n')]
    [InlineData('\r')]
    [InlineData('\u001f')]
    public void Parse_ControlCharacterInString_IsMalformedSyntax(char c)
    {
        ShouldBeMalformed("{\"s\":\"a" + c + "b\"}", FrameFault.Syntax);
        ShouldBeMalformed("{\"k" + c + "\":1}", FrameFault.Syntax);
        ShouldBeMalformed("{\"x\":[\"" + c + "\"]}", FrameFault.Syntax);
    }

    [Fact]
    public void Parse_DeleteCharacterInString_IsAllowed()
    {
        Frames.Classify("{\"s\":\"a\u007fb\"}").Class.Should().Be(FrameClass.Other);
    }

    // Built in code: attribute arguments cannot carry lone surrogates (they are stored as UTF-8).
    public static TheoryData<string> LoneSurrogates => new()
    {
        "{\"s\":\"" + '\ud800' + "\"}",
        "{\"s\":\"" + '\udc00' + "\"}",
        "{\"s\":\"" + '\udc00' + '\ud800' + "\"}",
        "{\"s\":\"a" + '\ud83d' + "\"}",
        "{\"" + '\udfff' + "\":1}",
        "{\"x\":[\"" + '\ud800' + "x\"]}",
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates), DisableDiscoveryEnumeration = true)]
    public void Parse_LoneSurrogateInString_IsMalformedInvalidUnicode(string frame)
    {
        frame.EnumerateRunes().Should().Contain(Rune.ReplacementChar, "the lone surrogate must survive into the test");
        ShouldBeMalformed(frame, FrameFault.InvalidUnicode);
    }

    [Fact]
    public void Parse_LoneSurrogateOutsideString_IsMalformed()
    {
        Frames.Classify("{\"s\":1\udc80}").Class.Should().Be(FrameClass.Malformed);
        Frames.Classify("\udcff{}").Class.Should().Be(FrameClass.Malformed);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"u\":1}]")]
    [InlineData("1")]
    [InlineData("-0.5e3")]
    [InlineData("\"x\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData(" false ")]
    public void Parse_WellFormedNonObject_IsMalformedNotAnObject(string frame) => ShouldBeMalformed(frame, FrameFault.NotAnObject);

    [Theory]
    [InlineData("{}x")]
    [InlineData("{}{}")]
    [InlineData("{} 1")]
    [InlineData("{}]")]
    [InlineData("[] []")]
    [InlineData("1 2")]
    public void Parse_TextAfterTheValue_IsMalformed(string frame)
    {
        Frames.Classify(frame).Class.Should().Be(FrameClass.Malformed);
        Frames.Classify(Frames.Combined + " x").Class.Should().Be(FrameClass.Malformed);
    }

    [Theory]
    [InlineData("{}{}")]
    [InlineData("{} 1")]
    public void Parse_TextAfterTheObject_IsMalformedSyntax(string frame) => ShouldBeMalformed(frame, FrameFault.Syntax);

    [Theory]
    [InlineData(Frames.Raw)]
    [InlineData(Frames.Combined)]
    [InlineData(Frames.Futures)]
    [InlineData("""{"result":null,"id":1}""")]
    [InlineData("""{"stream":"ethusdt@depth@100ms","data":{"e":"depthUpdate","b":[["1.0","2"]],"x":-1.5e-3,"t":true,"f":false,"n":null,"q":"\"\\\/\u00e9"}}""")]
    public void Parse_TruncatedAtEveryPosition_IsMalformedTruncatedOrEmpty(string frame)
    {
        for (int cut = 0; cut < frame.Length; cut++)
        {
            string prefix = frame[..cut];
            FeedFrame f = Frames.Classify(prefix);
            f.Class.Should().Be(FrameClass.Malformed, prefix);
            f.Fault.Should().Be(cut == 0 ? FrameFault.Empty : FrameFault.Truncated, prefix);
        }
    }

    [Fact]
    public void Parse_AtFrameCap_IsParsedAndOneByteOverIsTooLarge()
    {
        string frame = Frames.Raw;
        int bytes = System.Text.Encoding.UTF8.GetByteCount(frame);
        Frames.Classify(frame, bytes).Class.Should().Be(FrameClass.BookTicker);
        ShouldBeMalformed(frame, FrameFault.TooLarge, maxFrameBytes: bytes - 1);
        ShouldBeMalformed(frame + " ", FrameFault.TooLarge, maxFrameBytes: bytes);
        ShouldBeMalformed("{\"x\":\"" + new string('a', 2_000_000) + "\"}", FrameFault.TooLarge);
    }

    [Fact]
    public void Parse_MultiByteCharactersOverCap_CountsBytesNotChars()
    {
        // 40 chars but 3 + 2 * 18 + 4 + 2 = 45 UTF-8 bytes ("é" is 2 bytes, the emoji 4 for 2 chars).
        string frame = "{\"" + new string('é', 18) + "\":\"😀\"}";
        int bytes = System.Text.Encoding.UTF8.GetByteCount(frame);
        bytes.Should().BeGreaterThan(frame.Length);
        Frames.Classify(frame, bytes).Class.Should().Be(FrameClass.Other);
        ShouldBeMalformed(frame, FrameFault.TooLarge, maxFrameBytes: bytes - 1);
        ShouldBeMalformed(frame, FrameFault.TooLarge, maxFrameBytes: frame.Length);
    }

    [Fact]
    public void Parse_TooLargeGarbage_IsTooLargeNotSyntax()
    {
        // Over the cap, a frame is never parsed: its fault is the size, whatever it holds.
        ShouldBeMalformed(new string('x', 101), FrameFault.TooLarge, maxFrameBytes: 100);
    }

    public static TheoryData<string> ReadKeys => new() { "stream", "data", "e", "u", "s", "b", "B", "a", "A", "result", "id", "code", "msg", "error" };

    [Theory]
    [MemberData(nameof(ReadKeys))]
    public void Parse_TopLevelRepeatsReadKey_IsMalformedDuplicateKeyNamingIt(string key)
    {
        ShouldBeMalformed($$"""{"{{key}}":1,"x":0,"{{key}}":2}""", FrameFault.DuplicateKey, key);
        ShouldBeMalformed($$"""{"{{key}}":{"a":1},"{{key}}":"x"}""", FrameFault.DuplicateKey, key);
    }

    [Theory]
    [MemberData(nameof(ReadKeys))]
    public void Parse_RawBookTickerRepeatsReadKey_IsMalformedDuplicateKey(string key)
    {
        string body = "\"u\":400900217,\"s\":\"BNBUSDT\",\"b\":\"25.3519\",\"B\":\"31.21\",\"a\":\"25.3652\",\"A\":\"40.66\"";
        ShouldBeMalformed($$"""{{{body}},"{{key}}":"25.3519","{{key}}":"25.3519"}""", FrameFault.DuplicateKey, key);
    }

    [Theory]
    [MemberData(nameof(ReadKeys))]
    public void Parse_CombinedBookTickerPayloadRepeatsReadKey_IsMalformedDuplicateKey(string key)
    {
        // A key that the payload already holds once is repeated; for the others, it appears twice.
        string payload = "\"u\":400900217,\"s\":\"BNBUSDT\",\"b\":\"25.3519\",\"B\":\"31.21\",\"a\":\"25.3652\",\"A\":\"40.66\"";
        string repeated = key is "u" or "s" or "b" or "B" or "a" or "A"
            ? $$"""{{{payload}},"{{key}}":"1"}"""
            : $$"""{{{payload}},"{{key}}":1,"{{key}}":1}""";
        ShouldBeMalformed($$"""{"stream":"bnbusdt@bookTicker","data":{{repeated}}}""", FrameFault.DuplicateKey, key);
    }

    [Fact]
    public void Parse_KeyRepeatedThroughEscape_IsMalformedDuplicateKey()
    {
        ShouldBeMalformed("""{"s":"BNBUSDT","u":1,"\u0073":"X","b":"1","B":"1","a":"2","A":"1"}""", FrameFault.DuplicateKey, "s");
        ShouldBeMalformed("""{"stream":"x@bookTicker","data":{"u":1,"s":"X","b":"1","B":"1","a":"2","A":"1","\u0041":"1"}}""", FrameFault.DuplicateKey, "A");
        ShouldBeMalformed("""{"\u0073\u0074\u0072\u0065\u0061\u006d":"x","stream":"y"}""", FrameFault.DuplicateKey, "stream");
    }

    [Theory]
    [InlineData("""{"u":400900217,"s":"BNBUSDT","b":"25.3519","B":"31.21","a":"25.3652","A":"40.66","T":1,"T":2,"E":1,"E":1}""", FrameClass.BookTicker)]
    [InlineData("""{"stream":"bnbusdt@bookTicker","x":1,"x":2,"data":{"u":400900217,"s":"BNBUSDT","b":"25.3519","B":"31.21","a":"25.3652","A":"40.66","ps":"a","ps":"b"}}""", FrameClass.BookTicker)]
    [InlineData("""{"u":400900217,"s":"BNBUSDT","b":"25.3519","B":"31.21","a":"25.3652","A":"40.66","x":{"u":1,"u":2,"s":"a","s":"b"},"data":{"u":1,"u":1}}""", FrameClass.BookTicker)]
    [InlineData("""{"stream":"bnbusdt@bookTicker","data":{"u":400900217,"s":"BNBUSDT","b":"25.3519","B":"31.21","a":"25.3652","A":"40.66","x":[{"b":1,"b":2}]}}""", FrameClass.BookTicker)]
    [InlineData("""{"stream":"ethusdt@trade","data":{"e":"trade","e":"trade","s":"X","s":"Y","u":1,"u":2,"data":1,"data":2}}""", FrameClass.Other)]
    [InlineData("""{"stream":"ethusdt@depth","data":{"b":[],"b":[],"a":[],"a":[]}}""", FrameClass.Other)]
    [InlineData("""{"lastUpdateId":1,"bids":[],"bids":[],"x":{"id":1,"id":2}}""", FrameClass.Other)]
    public void Parse_RepeatedKeyNotRead_IsNotMalformed(string frame, FrameClass expected)
    {
        FeedFrame f = Frames.Classify(frame);
        f.Class.Should().Be(expected, f.ToString());
        f.Fault.Should().Be(FrameFault.None);
    }

    [Fact]
    public void Parse_DeepNesting_IsParsedWithoutStackOverflow()
    {
        string deep = new string('[', 100_000) + new string(']', 100_000);
        Frames.Classify("{\"x\":" + deep + "," + Frames.Raw[1..]).Class.Should().Be(FrameClass.BookTicker);
        Frames.Classify("{\"x\":" + deep[..^1] + "}").Should().Match<FeedFrame>(f => f.Class == FrameClass.Malformed && f.Fault == FrameFault.Syntax);
        Frames.Classify("{\"x\":" + deep[..^1]).Should().Match<FeedFrame>(f => f.Class == FrameClass.Malformed && f.Fault == FrameFault.Truncated);
        Frames.Classify(string.Concat(Enumerable.Repeat("{\"a\":", 70_000)) + "1" + new string('}', 70_000)).Class.Should().Be(FrameClass.Other);
    }
}
