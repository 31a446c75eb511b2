using System.Buffers;
using System.Text;
using System.Text.Json;
using RxFeed.Output;

namespace RxFeed.Tests.Output;

/// <summary>The direct <c>--ticks-out</c> formatter writes exactly what the JSON writer would.</summary>
public sealed class TickLinesTests
{
    public static TheoryData<string, long, long, string, string, string, string, bool> Ticks() => new()
    {
        { "ADAUSDT", 1_733_000_000_123_456_789, 1, "0.3581", "100", "0.3582", "250", false },
        { "ETHUSDT", long.MaxValue, long.MaxValue, "79228162514264337593543950335", "0.0000000000000000000000000001", "61837.63000000", "0", true },
        { "Ünï\"code\\", 0, 42, "1", "2", "3", "4", false },
        { "tab\tsym", 5, 6, "1.5", "2.50", "3.125", "4", false },
    };

    [Theory]
    [MemberData(nameof(Ticks))]
    public void Write_AnyTick_SameBytesAsTheJsonWriter(string symbol, long ts, long u, string b, string bq, string a, string aq, bool inverted)
    {
        var tick = new BookTicker(symbol, u, Dec(b), Dec(bq), Dec(a), Dec(aq), ts, inverted);
        var direct = new ArrayBufferWriter<byte>();
        TickLines.Write(direct, tick);

        var reference = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(reference, NdjsonText.WriterOptions))
        {
            NdjsonText.WriteTick(json, tick);
        }

        Encoding.UTF8.GetString(direct.WrittenSpan).Should().Be(Encoding.UTF8.GetString(reference.WrittenSpan) + "\n");
        using JsonDocument line = JsonDocument.Parse(direct.WrittenMemory);
        line.RootElement.GetProperty("s").GetString().Should().Be(symbol);
        line.RootElement.GetProperty("b").GetString().Should().Be(b);
    }

    [Fact]
    public void Write_ManyTicks_AppendsLineAfterLine()
    {
        var buffer = new ArrayBufferWriter<byte>();
        for (int i = 1; i <= 1000; i++)
        {
            TickLines.Write(buffer, new BookTicker("BTCUSDT", i, 60000.01m + i, 1m, 60000.02m + i, 2m, i));
        }

        string[] lines = Encoding.UTF8.GetString(buffer.WrittenSpan).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(1000);
        lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("u").GetInt64()).Should().Equal(Enumerable.Range(1, 1000).Select(i => (long)i));
    }

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
