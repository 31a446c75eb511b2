using System.Text;
using RxFeed.Parsing;
using RxFeed.Tests.Host;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Parsing;

/// <summary>
/// The book-ticker fast path over UTF-8 bytes (what a replay reads) must give exactly the frame the text path gives,
/// and leave to the text path every frame it does not read: the capture, a damaged copy, random prices, mutations.
/// </summary>
public class Utf8FastPathTests
{
    private static string Show(in FeedFrame f) =>
        $"{f.Class} {f.Fault} {f.Ticker.Symbol} {f.Ticker.UpdateId} {f.Ticker.BidPrice} {f.Ticker.BidQty} {f.Ticker.AskPrice} {f.Ticker.AskQty} {f.Ticker.ReceivedNs} " +
        string.Join(',', new[] { f.Ticker.BidPrice, f.Ticker.BidQty, f.Ticker.AskPrice, f.Ticker.AskQty }.SelectMany(decimal.GetBits));

    /// <summary>Returns whether the byte path took the frame; asserts it agrees with the text path when it did.</summary>
    private static bool Agree(FrameParser bytesParser, FrameParser textParser, byte[] utf8, string because)
    {
        // The text the replay would decode when the byte path declines (invalid UTF-8 kept visible as lone surrogates).
        char[] chars = new char[utf8.Length];
        FeedFrame text = textParser.Parse(chars.AsSpan(0, RxFeed.Replay.RecordingCursor.Decode(utf8, chars)), 7);
        if (!bytesParser.TryParseBookTicker(utf8, 7, out FeedFrame fromBytes))
        {
            // Not taken: fine for anything, but every plain canonical book ticker must be taken (checked by the callers' counts).
            return false;
        }

        text.Class.Should().Be(FrameClass.BookTicker, because);
        Show(fromBytes).Should().Be(Show(text), because);
        ReferenceEquals(fromBytes.Ticker.Symbol, bytesParser.TryParseBookTicker(utf8, 8, out FeedFrame again) ? again.Ticker.Symbol : null)
            .Should().BeTrue("one string per symbol");
        return true;
    }

    [Fact]
    public void CaptureAndDamagedCopy_EveryBookTickerOfTheExactShape_ReadsAlikeFromBytes()
    {
        var bytesParser = new FrameParser();
        var textParser = new FrameParser();
        int taken = 0;
        foreach (string line in Frames.Capture)
        {
            if (Agree(bytesParser, textParser, Encoding.UTF8.GetBytes(Frames.FrameOf(line)), line))
            {
                taken++;
            }
        }

        taken.Should().Be(24_077, "every book ticker of the capture has Binance's exact shape");

        var d = DamagedCapture.Build(4000);
        int damagedTaken = 0;
        foreach (byte[] line in d.Lines)
        {
            if (RxFeed.Replay.RecordingCursor.TrySplitLine(line, out _, out ReadOnlySpan<byte> frame) &&
                Agree(bytesParser, textParser, frame.ToArray(), Encoding.UTF8.GetString(line)))
            {
                damagedTaken++;
            }
        }

        damagedTaken.Should().BeGreaterThan(100);
    }

    [Fact]
    public void SingleByteMutations_NeverDisagree()
    {
        // Each byte of a real frame replaced by a byte of interest: every result the byte path gives is the text path's.
        byte[] frame = Encoding.UTF8.GetBytes(Frames.FrameOf(Frames.Capture.First(l => l.Contains("@bookTicker", StringComparison.Ordinal))));
        byte[] replacements = [(byte)'"', (byte)'\\', (byte)' ', (byte)'.', (byte)'0', (byte)'9', (byte)'/', (byte)':', (byte)'}', (byte)'a', 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xFF];
        var bytesParser = new FrameParser();
        var textParser = new FrameParser();
        int taken = 0;
        for (int i = 0; i < frame.Length; i++)
        {
            foreach (byte r in replacements)
            {
                byte[] m = (byte[])frame.Clone();
                m[i] = r;
                taken += Agree(bytesParser, textParser, m, $"byte {i} = 0x{r:X2}") ? 1 : 0;
            }

            taken += Agree(bytesParser, textParser, frame[..i], $"cut at {i}") ? 1 : 0;
        }

        taken.Should().BeGreaterThan(0);
    }

    [Fact]
    public void EightDigitWords_AgreeWithTheScalarReading()
    {
        var r = new Random(17);
        for (int n = 0; n < 100_000; n++)
        {
            byte[] eight = new byte[8];
            for (int i = 0; i < 8; i++)
            {
                eight[i] = r.Next(4) == 0 ? (byte)r.Next(256) : (byte)('0' + r.Next(10));
            }

            bool digits = eight.All(b => b is >= (byte)'0' and <= (byte)'9');
            EightDigits.TryRead(eight, out uint value).Should().Be(digits, Convert.ToHexString(eight));
            if (digits)
            {
                value.Should().Be(uint.Parse(Encoding.ASCII.GetString(eight), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public void OverTheFrameCap_IsLeftToTheTextPath()
    {
        byte[] frame = Encoding.UTF8.GetBytes(Frames.Ticker("ETHUSDT", 5));
        new FrameParser(frame.Length).TryParseBookTicker(frame, 1, out _).Should().Be(new FrameParser().TryParseBookTicker(frame, 1, out _));
        new FrameParser(frame.Length - 1).TryParseBookTicker(frame, 1, out _).Should().BeFalse();
    }
}
