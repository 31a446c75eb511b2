using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RxFeed.Exchange.Tests.Support;

namespace RxFeed.Exchange.Tests.Integration;

public sealed partial class MarketTests
{
    private const int CaptureBookTickers = 24077;

    [Fact(Timeout = 30_000)]
    public async Task Replay_Capture_CombinedFramesAreTheRecordedLinesByteForByte()
    {
        var expected = ReadCaptureFrames().Where(f => f.StartsWith("{\"stream\":\"ethusdt@bookTicker\"", StringComparison.Ordinal)).ToList();
        expected.Should().HaveCount(CaptureBookTickers);
        await using var exchange = await LocalExchange.StartAsync(new ExchangeOptions
        {
            SendQueueCapacity = 1 << 15,
            Market = new MarketOptions { ReplayFiles = [Exchanges.CapturePath], Pace = ReplayPace.Max, Loop = false },
        });
        await using var client = await TestClient.ConnectAsync(exchange, "/stream?streams=ethusdt@bookTicker");

        for (var i = 0; i < expected.Count; i++)
        {
            var frame = await client.ReceiveAsync();
            if (frame != expected[i])
            {
                frame.Should().Be(expected[i], $"frame {i} must be the recorded one byte for byte");
            }
        }

        exchange.Counters.SlowClientDisconnects.Should().Be(0);
    }

    [Fact(Timeout = 30_000)]
    public async Task Replay_Capture_RawPayloadsAreTheRecordedDataByteForByte()
    {
        var expected = ReadCaptureFrames()
            .Where(f => f.StartsWith("{\"stream\":\"ethusdt@bookTicker\",\"data\":", StringComparison.Ordinal))
            .Select(f => f["{\"stream\":\"ethusdt@bookTicker\",\"data\":".Length..^1])
            .ToList();
        await using var exchange = await LocalExchange.StartAsync(new ExchangeOptions
        {
            SendQueueCapacity = 1 << 15,
            Market = new MarketOptions { ReplayFiles = [Exchanges.CapturePath], Pace = ReplayPace.Max, Loop = false },
        });
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/ethusdt@bookTicker");

        var mismatches = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            mismatches += await client.ReceiveAsync() == expected[i] ? 0 : 1;
        }

        mismatches.Should().Be(0);
    }

    [Fact(Timeout = 10_000)]
    public async Task Replay_Loop_RaisesUOnEveryLaterPassAndKeepsFirstPassExact()
    {
        var file = WriteTemp(
            "1000000000 {\"stream\":\"abcusdt@bookTicker\",\"data\":{\"u\":10,\"s\":\"ABCUSDT\",\"b\":\"1.0\",\"B\":\"1\",\"a\":\"1.1\",\"A\":\"1\"}}\r\n" +
            "{\"u\":12,\"s\":\"ABCUSDT\",\"b\":\"1.0\",\"B\":\"2\",\"a\":\"1.1\",\"A\":\"1\"}\n" +
            "1000000002 garbage line\n" +
            "1000000003 {\"stream\":\"abcusdt@bookTicker\",\"data\":{\"s\":\"ABCUSDT\",\"u\":15,\"b\":\"1.0\",\"B\":\"3\",\"a\":\"1.1\",\"A\":\"1\"}}");
        await using var exchange = await LocalExchange.StartAsync(new ExchangeOptions
        {
            Market = new MarketOptions { ReplayFiles = [file], Pace = ReplayPace.Max, Loop = true },
        });
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/abcusdt@bookTicker");

        var frames = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            frames.Add(await client.ReceiveAsync());
        }

        frames[0].Should().Be("{\"u\":10,\"s\":\"ABCUSDT\",\"b\":\"1.0\",\"B\":\"1\",\"a\":\"1.1\",\"A\":\"1\"}");
        frames[1].Should().Be("{\"u\":12,\"s\":\"ABCUSDT\",\"b\":\"1.0\",\"B\":\"2\",\"a\":\"1.1\",\"A\":\"1\"}", "a bare raw ticker line is served as it is, \\r dropped");
        frames[2].Should().Be("{\"s\":\"ABCUSDT\",\"u\":15,\"b\":\"1.0\",\"B\":\"3\",\"a\":\"1.1\",\"A\":\"1\"}");
        var ids = frames.Select(f => JsonDocument.Parse(f).RootElement.GetProperty("u").GetInt64()).ToList();
        ids.Should().Equal(10, 12, 15, 16, 18, 21, 22, 24, 27);
    }

    [Fact(Timeout = 10_000)]
    public async Task Replay_PaceRecorded_KeepsTheRecordedGapsFromTheFirstSubscriber()
    {
        var file = WriteTemp(string.Join('\n', Enumerable.Range(0, 3).Select(i =>
            $"{1_000_000_000L + (i * 1_000_000_000L)} {{\"u\":{i + 1},\"s\":\"ABCUSDT\",\"b\":\"1.0\",\"B\":\"1\",\"a\":\"1.1\",\"A\":\"1\"}}")));
        await using var exchange = await LocalExchange.StartAsync(new ExchangeOptions
        {
            Market = new MarketOptions { ReplayFiles = [file], Pace = ReplayPace.Recorded, Loop = false },
        });
        await Task.Delay(400); // the market clock has not started: nobody subscribed
        var beforeSubscribing = TestClient.Clock.Elapsed;
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/abcusdt@bookTicker");

        var (first, _) = await client.ReceiveStampedAsync();
        await client.ReceiveStampedAsync();
        var (third, thirdAt) = await client.ReceiveStampedAsync();

        first.Should().Contain("\"u\":1,", "the replay starts at its first frame when the first client subscribes");
        third.Should().Contain("\"u\":3,");
        ShouldBePacedAt(thirdAt - beforeSubscribing, TimeSpan.FromSeconds(2));
    }

    [Fact(Timeout = 10_000)]
    public async Task Replay_PaceTenX_IsTenTimesFaster()
    {
        var file = WriteTemp(string.Join('\n', Enumerable.Range(0, 3).Select(i =>
            $"{1_000_000_000L + (i * 10_000_000_000L)} {{\"u\":{i + 1},\"s\":\"ABCUSDT\",\"b\":\"1.0\",\"B\":\"1\",\"a\":\"1.1\",\"A\":\"1\"}}")));
        ReplayPace.TryParse("10x", out var pace).Should().BeTrue();
        await using var exchange = await LocalExchange.StartAsync(new ExchangeOptions
        {
            Market = new MarketOptions { ReplayFiles = [file], Pace = pace, Loop = false },
        });
        var beforeSubscribing = TestClient.Clock.Elapsed;
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/abcusdt@bookTicker");

        await client.ReceiveAsync();
        await client.ReceiveStampedAsync();
        var (_, thirdAt) = await client.ReceiveStampedAsync();

        ShouldBePacedAt(thirdAt - beforeSubscribing, TimeSpan.FromSeconds(2)); // 20 s recorded at 10x
    }

    /// <summary>
    /// The market clock starts at the first subscription, which comes after <c>beforeSubscribing</c>, and a frame is never
    /// sent before it is due: so a frame cannot arrive earlier than its due time after that instant, however loaded the
    /// machine. A late frame only arrives later, which is why the gap between two frames (the second delayed,
    /// the third on time) is no measure of the pace. The upper bound only tells the pace from one several times slower.
    /// </summary>
    private static void ShouldBePacedAt(TimeSpan sinceSubscribing, TimeSpan due) =>
        sinceSubscribing.Should().BeGreaterThanOrEqualTo(due).And.BeLessThan(due * 3);

    [Fact(Timeout = 10_000)]
    public async Task Synthetic_Tickers_AreValidRisingAndNeverCrossed()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(rate: 200, symbols: "ADAUSDT");
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");

        long previous = 0;
        var skipped = false;
        for (var i = 0; i < 100; i++)
        {
            using var doc = JsonDocument.Parse(await client.ReceiveAsync());
            var root = doc.RootElement;
            var u = root.GetProperty("u").GetInt64();
            u.Should().BeGreaterThan(previous);
            skipped |= previous != 0 && u > previous + 1;
            previous = u;
            root.GetProperty("s").GetString().Should().Be("ADAUSDT");
            foreach (var key in new[] { "b", "B", "a", "A" })
            {
                root.GetProperty(key).GetString().Should().MatchRegex(DecimalPattern());
            }

            var bid = decimal.Parse(root.GetProperty("b").GetString()!, CultureInfo.InvariantCulture);
            var ask = decimal.Parse(root.GetProperty("a").GetString()!, CultureInfo.InvariantCulture);
            bid.Should().BePositive();
            ask.Should().BeGreaterThan(bid);
        }

        skipped.Should().BeTrue("u skips values, as Binance's does");
    }

    [Theory(Timeout = 10_000)]
    [InlineData("ADAUSDT", "0.35", "0.0001", "0.1")]
    [InlineData("BTCUSDT", "60000", "0.01", "0.00001")]
    [InlineData("ETHUSDT", "2600", "0.01", "0.0001")]
    [InlineData("FOOUSDT", "100", "0.01", "0.001")]
    public async Task Synthetic_KnownSymbol_TradesNearItsRealPriceOnItsTickAndLot(string symbol, string price, string tick, string step)
    {
        (decimal reference, decimal tickSize, decimal stepSize) = (Dec(price), Dec(tick), Dec(step));
        await using var exchange = await Exchanges.StartSyntheticAsync(rate: 200, symbols: symbol);
        await using var client = await TestClient.ConnectAsync(exchange, $"/ws/{symbol.ToLowerInvariant()}@bookTicker");

        for (var i = 0; i < 50; i++)
        {
            using var doc = JsonDocument.Parse(await client.ReceiveAsync());
            var (bid, ask) = (Dec(doc.RootElement.GetProperty("b").GetString()!), Dec(doc.RootElement.GetProperty("a").GetString()!));
            bid.Should().BeInRange(reference * 0.98m, reference * 1.02m, "it starts within 1 % of the real price and moves about 0.002 % a step");
            (bid % tickSize).Should().Be(0, $"bid {bid} is on the {tick} tick");
            (ask % tickSize).Should().Be(0, $"ask {ask} is on the {tick} tick");
            foreach (var key in new[] { "B", "A" })
            {
                var qty = Dec(doc.RootElement.GetProperty(key).GetString()!);
                qty.Should().BePositive();
                (qty % stepSize).Should().Be(0, $"{key} {qty} is on the {step} lot step");
            }
        }

        static decimal Dec(string s) => decimal.Parse(s, CultureInfo.InvariantCulture);
    }

    [Fact(Timeout = 10_000)]
    public async Task Synthetic_Rate_IsPerSymbolPerSecond()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(rate: 40, symbols: "ADAUSDT");
        var beforeSubscribing = TestClient.Clock.Elapsed;
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");

        // The market emits its k-th tick when k / rate seconds of its clock have passed since the first subscription, and
        // catches up when it was held back: counting frames in a wall-clock window measures the machine's load as well,
        // while the 40th tick's arrival has a floor no load can lower.
        TimeSpan fortiethAt = default;
        for (var i = 0; i < 40; i++)
        {
            (_, fortiethAt) = await client.ReceiveStampedAsync();
        }

        ShouldBePacedAt(fortiethAt - beforeSubscribing, TimeSpan.FromSeconds(1));
    }

    private static List<string> ReadCaptureFrames()
    {
        using var file = File.OpenRead(Exchanges.CapturePath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var frames = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var space = line.IndexOf(' ');
            frames.Add(space > 0 && line[..space].All(char.IsAsciiDigit) ? line[(space + 1)..] : line);
        }

        return frames;
    }

    private static string WriteTemp(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rxfeed-exchange-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, content);
        return path;
    }

    [GeneratedRegex(@"^[0-9]+\.[0-9]+$")]
    private static partial Regex DecimalPattern();
}
