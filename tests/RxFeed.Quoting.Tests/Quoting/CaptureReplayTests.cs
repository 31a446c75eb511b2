using System.IO.Compression;
using System.Numerics;
using System.Reactive.Subjects;
using System.Text;
using System.Text.Json;
using RxFeed.Health;
using RxFeed.Orders;
using RxFeed.Output;
using RxFeed.Time;

namespace RxFeed.Quoting.Tests.Quoting;

/// <summary>
/// Replays the shared capture through health → quotes → orders on a <see cref="ReplayScheduler"/> and checks every quote
/// against a reference written separately here: integer (BigInteger) rounding and a plain event loop over the ticks.
/// </summary>
public class CaptureReplayTests
{
    private static readonly Lazy<List<BookTicker>> Capture = new(LoadCapture);

    public static TheoryData<int, int, int, long, long> Settings => new()
    {
        // bps, precision, requote ticks, min_requote ms, stale ms
        { 10, 2, 1, 0, 10_000 },
        { 10, 6, 1, 0, 10_000 },
        { 25, 2, 2, 250, 500 },
        { 0, 1, 1, 1000, 300 },
        { 7, 0, 1, 100, 200 },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Replay_Capture_EveryQuoteMatchesTheFormula(int bps, int precision, int requoteTicks, long minRequoteMs, long staleMs)
    {
        List<BookTicker> ticks = Capture.Value;
        var options = new QuoteOptions
        {
            VenueSpreadBps = bps,
            PricePrecision = precision,
            RequoteTicks = requoteTicks,
            MinRequote = TimeSpan.FromMilliseconds(minRequoteMs),
        };

        List<string> actual = Replay(ticks, options, TimeSpan.FromMilliseconds(staleMs), out _, out _);
        List<string> expected = Reference(ticks, bps, precision, requoteTicks, minRequoteMs * 1_000_000, staleMs * 1_000_000);

        actual.Should().HaveCountGreaterThan(100);
        actual.Should().Equal(expected);
    }

    [Fact]
    public void Replay_Capture_OrdersFollowQuotesAndRespectTheBucket()
    {
        var options = new QuoteOptions { PricePrecision = 2, MinRequote = TimeSpan.Zero };
        List<string> quotes = Replay(Capture.Value, options, TimeSpan.FromMilliseconds(300), out List<OrderEvent> orders, out string quoteLines);

        var live = new Dictionary<string, OrderEvent>();
        foreach (OrderEvent e in orders)
        {
            if (e.Action == OrderAction.Place)
            {
                live.Values.Should().NotContain(o => o.Side == e.Side, "at most one live order per side");
                live[e.ClientOrderId] = e;
            }
            else
            {
                live.Remove(e.ClientOrderId).Should().BeTrue("only live orders are cancelled");
            }
        }

        List<long> places = orders.Where(o => o.Action == OrderAction.Place).Select(o => o.TsNs).ToList();
        for (int i = 20; i < places.Count; i++)
        {
            // Capacity 10 plus 10 per second: 21 places can never fit in less than one second.
            (places[i] - places[i - 20]).Should().BeGreaterThanOrEqualTo(1_000_000_000);
        }

        live.Should().BeEmpty("the graceful stop cancels everything");
        quoteLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(quotes.Count);
        quoteLines.Should().StartWith("{\"ts\":1723161254024619568,\"s\":\"ETHUSDT\",\"u\":35346513501,\"bid\":\"2681.12\",\"ask\":\"2686.49\",\"bidQty\":\"100\",\"askQty\":\"100\"}\n");
        quoteLines.Should().Contain("\"cancel\":true,\"reason\":\"Stale\"}");
    }

    private static List<string> Replay(List<BookTicker> ticks, QuoteOptions options, TimeSpan staleAfter, out List<OrderEvent> orders, out string quoteLines)
    {
        var scheduler = new ReplayScheduler(ticks[0].ReceivedNs);
        using var source = new Subject<BookTicker>();
        using var session = QuotingSession.Attach(source, new QuotingSessionOptions { StaleAfter = staleAfter, Quote = options }, null, scheduler);
        var seen = new List<QuoteUpdate>();
        var orderList = new List<OrderEvent>();
        using var buffer = new MemoryStream();
        using OutputWriter<QuoteUpdate> writer = QuotingNdjson.Quotes(buffer);
        using IDisposable a = session.Quotes.Subscribe(seen.Add);
        using IDisposable b = session.Quotes.Subscribe(writer);
        using IDisposable c = session.Orders.Subscribe(orderList.Add);
        using IDisposable run = session.Start();
        foreach (BookTicker tick in ticks)
        {
            scheduler.AdvanceTo(Math.Max(scheduler.Clock, tick.ReceivedNs));
            source.OnNext(tick);
        }

        source.OnCompleted();
        session.Stop();
        writer.Dispose(); // writes what is queued, then the buffer holds every line
        orders = orderList;
        quoteLines = Encoding.UTF8.GetString(buffer.ToArray());
        session.QuoteCount.Should().Be(seen.Count(q => !q.IsCancel));
        return seen.Select(q => q.IsCancel ? $"{q.TsNs} cancel {q.Reason}" : $"{q.TsNs} {q.UpdateId} {q.Bid} {q.Ask}").ToList();
    }

    /// <summary>The rules of host-cli.md as a plain loop over the ticks, with integer rounding.</summary>
    private static List<string> Reference(List<BookTicker> ticks, int bps, int precision, int requoteTicks, long minNs, long staleNs)
    {
        var output = new List<string>();
        bool live = false, hasQuote = false, intervalOpen = false, hasPending = false;
        long lastTick = 0, intervalEnd = 0;
        (long U, BigInteger Bid, BigInteger Ask) quote = default, pending = default;

        void Emit((long U, BigInteger Bid, BigInteger Ask) c, long ts)
        {
            quote = c;
            hasQuote = true;
            output.Add($"{ts} {c.U} {Text(c.Bid, precision)} {Text(c.Ask, precision)}");
            intervalOpen = minNs > 0;
            intervalEnd = ts + minNs;
        }

        bool Differs((long U, BigInteger Bid, BigInteger Ask) c) =>
            !hasQuote || BigInteger.Abs(c.Bid - quote.Bid) >= requoteTicks || BigInteger.Abs(c.Ask - quote.Ask) >= requoteTicks;

        void Exit(long ts, string reason)
        {
            output.Add($"{ts} cancel {reason}");
            live = hasQuote = intervalOpen = hasPending = false;
        }

        bool first = true;
        foreach (BookTicker t in ticks)
        {
            // Deadlines due at or before this tick, in time order; Stale first on a tie.
            while (true)
            {
                long staleAt = !first && live ? lastTick + staleNs : long.MaxValue;
                long endAt = intervalOpen ? intervalEnd : long.MaxValue;
                if (staleAt <= endAt && staleAt <= t.ReceivedNs)
                {
                    Exit(staleAt, "Stale");
                }
                else if (endAt < staleAt && endAt <= t.ReceivedNs)
                {
                    intervalOpen = false;
                    if (hasPending && Differs(pending))
                    {
                        Emit(pending, endAt);
                    }

                    hasPending = false;
                }
                else
                {
                    break;
                }
            }

            first = false;
            lastTick = t.ReceivedNs;
            if (t.BidPrice >= t.AskPrice)
            {
                if (live)
                {
                    Exit(t.ReceivedNs, "Crossed");
                }

                continue;
            }

            live = true;
            var candidate = (t.UpdateId, Scaled(t.BidPrice, 10_000 - bps, precision), Scaled(t.AskPrice, 10_000 + bps, precision));
            if (candidate.Item2 >= candidate.Item3 || Compare(candidate.Item2, precision, t.AskPrice) >= 0 || Compare(candidate.Item3, precision, t.BidPrice) <= 0)
            {
                // A quote that would cross itself or the market is never emitted; the live one is pulled.
                if (hasQuote)
                {
                    output.Add($"{t.ReceivedNs} cancel Crossing");
                }

                hasQuote = intervalOpen = hasPending = false;
                continue;
            }

            if (intervalOpen)
            {
                (pending, hasPending) = (candidate, true);
            }
            else if (Differs(candidate))
            {
                Emit(candidate, t.ReceivedNs);
            }
        }

        return output;
    }

    /// <summary>Compares <paramref name="units"/> × 10^-precision with <paramref name="price"/>, exactly.</summary>
    private static int Compare(BigInteger units, int precision, decimal price)
    {
        int[] bits = decimal.GetBits(price);
        int scale = (bits[3] >> 16) & 0xFF;
        var mantissa = new BigInteger((uint)bits[0]) + (new BigInteger((uint)bits[1]) << 32) + (new BigInteger((uint)bits[2]) << 64);
        return (units * BigInteger.Pow(10, scale)).CompareTo(mantissa * BigInteger.Pow(10, precision));
    }

    /// <summary>price × factor / 10000 in units of 10^-precision, half away from zero, in integers.</summary>
    private static BigInteger Scaled(decimal price, int factor, int precision)
    {
        int[] bits = decimal.GetBits(price);
        int scale = (bits[3] >> 16) & 0xFF;
        var mantissa = new BigInteger((uint)bits[0]) + (new BigInteger((uint)bits[1]) << 32) + (new BigInteger((uint)bits[2]) << 64);
        BigInteger numerator = mantissa * factor * BigInteger.Pow(10, precision);
        BigInteger denominator = BigInteger.Pow(10, scale) * 10_000;
        BigInteger quotient = BigInteger.DivRem(numerator, denominator, out BigInteger remainder);
        return remainder * 2 >= denominator ? quotient + 1 : quotient;
    }

    private static string Text(BigInteger units, int precision)
    {
        string digits = units.ToString().PadLeft(precision + 1, '0');
        return precision == 0 ? digits : $"{digits[..^precision]}.{digits[^precision..]}";
    }

    private static List<BookTicker> LoadCapture()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "binance-spot-ethusdt-20240808.txt.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var ticks = new List<BookTicker>();
        long lastU = 0;
        while (reader.ReadLine() is { } line)
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(line[(space + 1)..]);
            if (!doc.RootElement.TryGetProperty("stream", out JsonElement stream) || !stream.GetString()!.EndsWith("@bookTicker", StringComparison.Ordinal))
            {
                continue;
            }

            JsonElement d = doc.RootElement.GetProperty("data");
            long u = d.GetProperty("u").GetInt64();
            if (u <= lastU)
            {
                continue;
            }

            lastU = u;
            decimal bid = decimal.Parse(d.GetProperty("b").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            decimal ask = decimal.Parse(d.GetProperty("a").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            ticks.Add(new BookTicker(
                d.GetProperty("s").GetString()!, u, bid, 1m, ask, 1m, long.Parse(line[..space], System.Globalization.CultureInfo.InvariantCulture), bid >= ask));
        }

        ticks.Should().HaveCount(24077);
        return ticks;
    }
}
