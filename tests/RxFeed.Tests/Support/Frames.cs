using System.IO.Compression;
using RxFeed.Parsing;

namespace RxFeed.Tests.Support;

/// <summary>Shared frame texts and the per-frame classification the pipeline applies (parse, validate, flag).</summary>
internal static class Frames
{
    /// <summary>A spot raw (<c>/ws</c>) book ticker, as Binance documents it.</summary>
    public const string Raw = """{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}""";

    /// <summary>The first book ticker of the shared capture, in its combined envelope.</summary>
    public const string Combined = """{"stream":"ethusdt@bookTicker","data":{"u":35346513501,"s":"ETHUSDT","b":"2683.80000000","B":"3.02920000","a":"2683.81000000","A":"31.43950000"}}""";

    /// <summary>A USD-M / COIN-M futures book ticker: event type, times and the pair.</summary>
    public const string Futures = """{"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BNBUSDT","ps":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}""";

    public static readonly string CapturePath = Path.Combine(AppContext.BaseDirectory, "data", "binance-spot-ethusdt-20240808.txt.gz");

    private static readonly Lazy<string[]> CaptureLines = new(() => ReadLines(CapturePath).ToArray());

    /// <summary>Gets every line of the shared capture (timestamp and frame).</summary>
    public static string[] Capture => CaptureLines.Value;

    /// <summary>Parses, validates and flags one frame exactly as <c>ToBookTickers</c> does before ordering.</summary>
    public static FeedFrame Classify(string? text, int maxFrameBytes = FrameParser.DefaultMaxFrameBytes) =>
        BookTickerRules.FlagInverted(BookTickerRules.Validate(new FrameParser(maxFrameBytes).Parse(text, 42)));

    /// <summary>A combined book ticker of <paramref name="symbol"/> with update id <paramref name="u"/>.</summary>
    public static string Ticker(string symbol, long u, string bid = "1.5", string ask = "1.6", string bidQty = "2", string askQty = "3") =>
        $$$"""{"stream":"{{{symbol.ToLowerInvariant()}}}@bookTicker","data":{"u":{{{u}}},"s":"{{{symbol}}}","b":"{{{bid}}}","B":"{{{bidQty}}}","a":"{{{ask}}}","A":"{{{askQty}}}"}}""";

    /// <summary>The frame part of a capture line (after the timestamp and its space).</summary>
    public static string FrameOf(string line) => line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..];

    public static string[] ReadGzipLines(string path) => [.. ReadLines(path)];

    private static IEnumerable<string> ReadLines(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
