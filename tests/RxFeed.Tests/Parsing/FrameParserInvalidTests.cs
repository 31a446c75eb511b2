using RxFeed.Parsing;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Parsing;

/// <summary>Every <c>invalid</c> rule of a book ticker, one at a time, in the raw and the combined form.</summary>
public class FrameParserInvalidTests
{
    private static readonly Dictionary<string, string> Valid = new()
    {
        ["u"] = "400900217",
        ["s"] = "\"BNBUSDT\"",
        ["b"] = "\"25.3519\"",
        ["B"] = "\"31.21\"",
        ["a"] = "\"25.3652\"",
        ["A"] = "\"40.66\"",
    };

    /// <summary>A book ticker whose <paramref name="field"/> is the raw JSON <paramref name="json"/> (null: absent).</summary>
    private static IEnumerable<string> With(string field, string? json)
    {
        string members = string.Join(',', Valid.Where(kv => kv.Key != field || json is not null).Select(kv => $"\"{kv.Key}\":{(kv.Key == field ? json : kv.Value)}"));
        yield return $"{{\"e\":\"bookTicker\",{members}}}";
        yield return $"{{\"stream\":\"bnbusdt@bookTicker\",\"data\":{{{members}}}}}";
        if (json is not null || (field != "u" && field != "s" && field != "b" && field != "a"))
        {
            yield return $"{{{members}}}";
        }
    }

    private static void ShouldBeInvalid(string field, string? json, FrameFault fault)
    {
        foreach (string frame in With(field, json))
        {
            FeedFrame f = Frames.Classify(frame);
            f.Class.Should().Be(FrameClass.Invalid, frame);
            f.Fault.Should().Be(fault, frame);
            f.Field.Should().Be(field, frame);
            f.ReceivedNs.Should().Be(42);
        }
    }

    private static void ShouldBeValid(string field, string json, Func<BookTicker, bool> check)
    {
        foreach (string frame in With(field, json))
        {
            FeedFrame f = Frames.Classify(frame);
            f.Class.Should().Be(FrameClass.BookTicker, $"{frame} gave {f}");
            check(f.Ticker).Should().BeTrue(frame);
        }
    }

    [Fact]
    public void Validate_SelfCheck_TheTemplateIsValidInEveryForm()
    {
        With("x", "1").Should().HaveCount(3).And.OnlyContain(frame => Frames.Classify(frame).Class == FrameClass.BookTicker);
    }

    [Fact]
    public void Parse_CombinedPayloadNotAnObject_IsInvalidPayloadNotObject()
    {
        foreach (string data in new[] { "null", "[]", "[{\"u\":1}]", "\"x\"", "1", "true" })
        {
            FeedFrame f = Frames.Classify($"{{\"stream\":\"ethusdt@bookTicker\",\"data\":{data}}}");
            f.Class.Should().Be(FrameClass.Invalid, data);
            f.Fault.Should().Be(FrameFault.PayloadNotObject, data);
            f.Field.Should().Be("data");
        }
    }

    [Theory]
    [InlineData("u")]
    [InlineData("s")]
    [InlineData("b")]
    [InlineData("B")]
    [InlineData("a")]
    [InlineData("A")]
    public void Parse_RequiredFieldMissing_IsInvalidMissingField(string field) => ShouldBeInvalid(field, null, FrameFault.MissingField);

    [Theory]
    [InlineData("u", "\"400900217\"")]
    [InlineData("u", "null")]
    [InlineData("u", "true")]
    [InlineData("u", "[1]")]
    [InlineData("u", "{}")]
    [InlineData("s", "1")]
    [InlineData("s", "null")]
    [InlineData("s", "[\"BNBUSDT\"]")]
    [InlineData("b", "25.3519")]
    [InlineData("b", "null")]
    [InlineData("B", "31")]
    [InlineData("a", "{\"v\":\"1\"}")]
    [InlineData("A", "false")]
    public void Parse_FieldOfWrongType_IsInvalidWrongType(string field, string json) => ShouldBeInvalid(field, json, FrameFault.WrongType);

    [Theory]
    [InlineData("1.0")]
    [InlineData("400900217.5")]
    [InlineData("1e3")]
    [InlineData("1E3")]
    [InlineData("1e+3")]
    [InlineData("4009002170e-1")]
    [InlineData("-1.5")]
    public void Parse_UpdateIdWithFractionOrExponent_IsInvalidNotInteger(string json) => ShouldBeInvalid("u", json, FrameFault.NotInteger);

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-1")]
    [InlineData("-9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("9223372036854775808")]
    [InlineData("18446744073709551616")]
    [InlineData("100000000000000000000000000000000000000000")]
    public void Parse_UpdateIdOutsideOneToMaxLong_IsInvalidUpdateIdOutOfRange(string json) => ShouldBeInvalid("u", json, FrameFault.UpdateIdOutOfRange);

    [Theory]
    [InlineData("1", 1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Parse_UpdateIdAtRangeEnds_IsValid(string json, long expected) => ShouldBeValid("u", json, t => t.UpdateId == expected);

    [Fact]
    public void Parse_EmptySymbol_IsInvalidEmptySymbol() => ShouldBeInvalid("s", "\"\"", FrameFault.EmptySymbol);

    [Theory]
    [InlineData("\" \"", " ")]
    [InlineData("\"\\u0000\"", "\0")]
    [InlineData("\"ΔUSDT\"", "ΔUSDT")]
    public void Parse_NonEmptyOddSymbol_IsValid(string json, string expected) => ShouldBeValid("s", json, t => t.Symbol == expected);

    public static TheoryData<string, string> NotPlain()
    {
        var data = new TheoryData<string, string>();
        string[] texts = [".5", "5.", "+1", "-1", "-0", "1e3", "1E3", "1e-3", " 1", "1 ", "1\t", "", ".", "1..2", "1.2.3", "1,5", "0x1F", "NaN", "Infinity", "١", "１", "1_000", "1.5\u0000"];
        foreach (string field in new[] { "b", "B", "a", "A" })
        {
            foreach (string text in texts)
            {
                data.Add(field, text);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NotPlain))]
    public void Parse_PriceOrSizeNotPlainDecimal_IsInvalidNotPlainDecimal(string field, string text) =>
        ShouldBeInvalid(field, System.Text.Json.JsonSerializer.Serialize(text), FrameFault.NotPlainDecimal);

    [Theory]
    [InlineData("b", "79228162514264337593543950336")] // 2^96: one past the mantissa
    [InlineData("a", "100000000000000000000000000000")]
    [InlineData("B", "7922816251426433759354395033.6")] // mantissa 2^96 at scale 1
    [InlineData("A", "0.00000000000000000000000000001")] // 29 digits after the point
    [InlineData("b", "1.00000000000000000000000000001")]
    [InlineData("a", "12345678901234567890123456789012345678901234567890")]
    [InlineData("B", "1.0000000000000000000000000000100")] // trailing zeros dropped, still 29
    public void Parse_PriceOrSizeNotExactInDecimal_IsInvalidNotExactNeverRounded(string field, string text) =>
        ShouldBeInvalid(field, $"\"{text}\"", FrameFault.NotExact);

    [Theory]
    [InlineData("b", "79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("a", "0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("b", "1.00000000000000000000000000000000000000", "1")]
    [InlineData("a", "0.10000000000000000000000000000000", "0.1")]
    [InlineData("b", "0000000000000000000000000000000000000042.5", "42.5")]
    [InlineData("a", "7.922816251426433759354395033500000", "7.9228162514264337593543950335")]
    [InlineData("b", "\\u0032\\u0035.5", "25.5")]
    public void Parse_LongButExactPrice_IsValidAndExact(string field, string text, string expected)
    {
        decimal value = decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        ShouldBeValid(field, $"\"{text}\"", t => (field == "b" ? t.BidPrice : t.AskPrice) == value);
    }

    [Theory]
    [InlineData("b", "0")]
    [InlineData("b", "0.00000000")]
    [InlineData("a", "0")]
    [InlineData("a", "000.000")]
    public void Parse_PriceZero_IsInvalidPriceNotPositive(string field, string text) =>
        ShouldBeInvalid(field, $"\"{text}\"", FrameFault.PriceNotPositive);

    [Theory]
    [InlineData("B", "0")]
    [InlineData("A", "0")]
    [InlineData("B", "0.00000000")]
    [InlineData("A", "00.0")]
    public void Parse_SizeZero_IsValid(string field, string text) =>
        ShouldBeValid(field, $"\"{text}\"", t => (field == "B" ? t.BidQty : t.AskQty) == 0m);

    [Theory]
    [InlineData("B")]
    [InlineData("A")]
    public void Validate_NegativeSize_IsInvalidSizeNegative(string field)
    {
        // No plain decimal string is negative, so this rule is reachable only through a ticker built in code.
        var ticker = new BookTicker("X", 1, 1m, field == "B" ? -1m : 1m, 2m, field == "A" ? -0.5m : 1m, 5);
        FeedFrame f = BookTickerRules.Validate(FeedFrame.ForTicker(ticker));
        f.Class.Should().Be(FrameClass.Invalid);
        f.Fault.Should().Be(FrameFault.SizeNegative);
        f.Field.Should().Be(field);
    }

    [Fact]
    public void Validate_NonTickerFrame_PassesUnchanged()
    {
        FeedFrame other = Frames.Classify("{}");
        BookTickerRules.Validate(other).Should().Be(other);
        FeedFrame bad = FeedFrame.Malformed(FrameFault.Syntax, 3);
        BookTickerRules.Validate(bad).Should().Be(bad);
    }
}
