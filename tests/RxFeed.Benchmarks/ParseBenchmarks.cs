using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using RxFeed.Parsing;

namespace RxFeed.Benchmarks;

/// <summary>
/// Parse + validate one real book-ticker frame: RxFeed's <see cref="FrameParser"/> against the baselines, in the same run.
/// Each invocation walks <see cref="FrameCount"/> frames spread over the shared capture, so every result is per frame.
/// Every method does the same work: read the combined envelope, check the payload's fields, prices &gt; 0, sizes &gt;= 0,
/// flag bid &gt;= ask; and returns a checksum so nothing is optimised away.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ParseBenchmarks
{
    /// <summary>Frames per invocation.</summary>
    public const int FrameCount = 1024;

    private readonly FrameParser _parser = new();
    private long[] _ns = [];
    private string[] _frames = [];

    /// <summary>Loads the frames and checks that all three readers agree on every one of them.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_ns, _frames) = CaptureLines.BookTickers(FrameCount);
        for (int i = 0; i < _frames.Length; i++)
        {
            FeedFrame ours = ParseValidate(_parser, _frames[i], _ns[i]);
            BookTickerDto? stj = JsonSerializer.Deserialize(_frames[i], BaselineJsonContext.Default.CombinedBookTickerDto)?.Data;
            if (ours.Class != FrameClass.BookTicker || stj is null
                || ours.Ticker.UpdateId != stj.UpdateId || ours.Ticker.Symbol != stj.Symbol
                || ours.Ticker.BidPrice != stj.BidPrice || ours.Ticker.BidQty != stj.BidQty
                || ours.Ticker.AskPrice != stj.AskPrice || ours.Ticker.AskQty != stj.AskQty
                || ours.Ticker.IsInverted != (stj.BidPrice >= stj.AskPrice) || ours.ReceivedNs != _ns[i])
            {
                throw new InvalidOperationException($"FrameParser disagrees with System.Text.Json on {_frames[i]}: {ours}");
            }
        }

        if (StjDecimal() != RxFeedParseValidate() || JsonDocumentDouble() != RxFeedParseValidate())
        {
            throw new InvalidOperationException("the benchmarks' checksums disagree");
        }
    }

    /// <summary>Baseline: System.Text.Json (source-generated) into a class with exact decimals read from strings.</summary>
    /// <returns>A checksum.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = FrameCount)]
    public long StjDecimal()
    {
        long sum = 0;
        string[] frames = _frames;
        for (int i = 0; i < frames.Length; i++)
        {
            CombinedBookTickerDto? env = JsonSerializer.Deserialize(frames[i], BaselineJsonContext.Default.CombinedBookTickerDto);
            BookTickerDto? t = env?.Data;
            if (env?.Stream is null || !env.Stream.EndsWith("@bookTicker", StringComparison.Ordinal)
                || t is null || string.IsNullOrEmpty(t.Symbol) || t.UpdateId < 1
                || t.BidPrice <= 0m || t.AskPrice <= 0m || t.BidQty < 0m || t.AskQty < 0m)
            {
                sum -= 1;
                continue;
            }

            sum += t.UpdateId + (t.BidPrice >= t.AskPrice ? 1 : 0);
        }

        return sum;
    }

    /// <summary>What the Python original effectively does: a DOM (<see cref="JsonDocument"/>), then <c>double.Parse</c> of each string.</summary>
    /// <returns>A checksum.</returns>
    [Benchmark(OperationsPerInvoke = FrameCount)]
    public long JsonDocumentDouble()
    {
        long sum = 0;
        string[] frames = _frames;
        for (int i = 0; i < frames.Length; i++)
        {
            using JsonDocument doc = JsonDocument.Parse(frames[i]);
            JsonElement root = doc.RootElement;
            if (!root.TryGetProperty("stream", out JsonElement stream) || !root.TryGetProperty("data", out JsonElement data)
                || stream.GetString() is not { } name || !name.EndsWith("@bookTicker", StringComparison.Ordinal)
                || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("u", out JsonElement u) || !data.TryGetProperty("s", out JsonElement s)
                || !data.TryGetProperty("b", out JsonElement b) || !data.TryGetProperty("B", out JsonElement bq)
                || !data.TryGetProperty("a", out JsonElement a) || !data.TryGetProperty("A", out JsonElement aq))
            {
                sum -= 1;
                continue;
            }

            long updateId = u.GetInt64();
            string? symbol = s.GetString();
            double bid = double.Parse(b.GetString()!, CultureInfo.InvariantCulture);
            double bidQty = double.Parse(bq.GetString()!, CultureInfo.InvariantCulture);
            double ask = double.Parse(a.GetString()!, CultureInfo.InvariantCulture);
            double askQty = double.Parse(aq.GetString()!, CultureInfo.InvariantCulture);
            if (string.IsNullOrEmpty(symbol) || updateId < 1 || bid <= 0 || ask <= 0 || bidQty < 0 || askQty < 0)
            {
                sum -= 1;
                continue;
            }

            sum += updateId + (bid >= ask ? 1 : 0);
        }

        return sum;
    }

    /// <summary>
    /// RxFeed: <see cref="FrameParser.Parse"/> then the range rules and the inversion flag
    /// (<see cref="BookTickerRules.ValidateAndFlag"/>), in place on the frame as <c>BookTickerPipeline</c> applies them.
    /// </summary>
    /// <returns>A checksum.</returns>
    [Benchmark(OperationsPerInvoke = FrameCount)]
    public long RxFeedParseValidate()
    {
        long sum = 0;
        FrameParser parser = _parser;
        string[] frames = _frames;
        long[] ns = _ns;
        for (int i = 0; i < frames.Length; i++)
        {
            FeedFrame f = parser.Parse(frames[i], ns[i]);
            BookTickerRules.ValidateAndFlag(ref f);
            sum += f.Class == FrameClass.BookTicker ? f.Ticker.UpdateId + (f.Ticker.IsInverted ? 1 : 0) : -1;
        }

        return sum;
    }

    /// <summary>RxFeed's parser alone, to split the cost between parsing and the field rules.</summary>
    /// <returns>A checksum.</returns>
    [Benchmark(OperationsPerInvoke = FrameCount)]
    public long RxFeedParseOnly()
    {
        long sum = 0;
        FrameParser parser = _parser;
        string[] frames = _frames;
        long[] ns = _ns;
        for (int i = 0; i < frames.Length; i++)
        {
            FeedFrame f = parser.Parse(frames[i], ns[i]);
            sum += f.Class == FrameClass.BookTicker ? f.Ticker.UpdateId : -1;
        }

        return sum;
    }

    private static FeedFrame ParseValidate(FrameParser parser, string frame, long receivedNs)
    {
        // The pipeline's own rules step (BookTickerPipeline): range rules and inversion, in place.
        FeedFrame f = parser.Parse(frame, receivedNs);
        BookTickerRules.ValidateAndFlag(ref f);
        return f;
    }
}
