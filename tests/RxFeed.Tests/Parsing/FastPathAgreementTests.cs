using System.Text;
using RxFeed.Parsing;

namespace RxFeed.Tests.Parsing;

/// <summary>
/// The canonical fast path and the general scanner must read every price alike, digit for digit and scale for scale:
/// the same frame with a space after each colon takes the general path.
/// </summary>
public class FastPathAgreementTests
{
    private static string Frame(string b, string bq, string a, string aq, string colon) =>
        $"{{\"stream\":\"ethusdt@bookTicker\",\"data\":{{\"u\"{colon}400900217,\"s\"{colon}\"ETHUSDT\",\"b\"{colon}\"{b}\",\"B\"{colon}\"{bq}\",\"a\"{colon}\"{a}\",\"A\"{colon}\"{aq}\"}}}}";

    private static string RandomNumber(Random r)
    {
        var s = new StringBuilder();
        int whole = r.Next(0, 14);
        int fraction = r.Next(4) switch { 0 => 8, 1 => r.Next(0, 12), 2 => 16, _ => r.Next(7, 10) };
        const string digits = "0123456789";
        string pool = r.Next(5) == 0 ? "09/:.a" : digits; // sometimes chars just outside the digit range
        for (int i = 0; i < whole; i++)
        {
            s.Append(i == 0 ? digits[r.Next(1, 10)] : pool[r.Next(pool.Length)]);
        }

        if (fraction > 0 || r.Next(8) == 0)
        {
            s.Append('.');
        }

        for (int i = 0; i < fraction; i++)
        {
            s.Append(pool[r.Next(pool.Length)]);
        }

        return s.ToString();
    }

    private static int[] Bits(decimal d) => decimal.GetBits(d);

    [Fact]
    public void RandomPrices_ReadTheSameOnBothPaths()
    {
        var r = new Random(20241202);
        var parser = new FrameParser();
        int fast = 0;
        for (int n = 0; n < 20_000; n++)
        {
            string b = RandomNumber(r), bq = RandomNumber(r), a = RandomNumber(r), aq = RandomNumber(r);
            FeedFrame canonical = parser.Parse(Frame(b, bq, a, aq, ":"), 1);
            FeedFrame general = parser.Parse(Frame(b, bq, a, aq, ": "), 1);
            canonical.Class.Should().Be(general.Class, $"{b} {bq} {a} {aq}");
            canonical.Fault.Should().Be(general.Fault, $"{b} {bq} {a} {aq}");
            if (canonical.Class == FrameClass.BookTicker)
            {
                fast++;
                decimal[] x = [canonical.Ticker.BidPrice, canonical.Ticker.BidQty, canonical.Ticker.AskPrice, canonical.Ticker.AskQty];
                decimal[] y = [general.Ticker.BidPrice, general.Ticker.BidQty, general.Ticker.AskPrice, general.Ticker.AskQty];
                x.Select(Bits).Should().BeEquivalentTo(y.Select(Bits), o => o.WithStrictOrdering(), $"{b} {bq} {a} {aq}");
                string[] texts = [b, bq, a, aq];
                for (int k = 0; k < 4; k++)
                {
                    if (texts[k].Replace(".", string.Empty, StringComparison.Ordinal).Length <= 19)
                    {
                        // Up to 19 digits a decimal keeps every digit the sender wrote, trailing zeros included.
                        x[k].ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(texts[k]);
                    }
                }
            }
        }

        fast.Should().BeGreaterThan(2_000, "enough frames must reach the fast path's success case");
    }

    [Theory]
    [InlineData("2683.80000000")]
    [InlineData("0.00000001")]
    [InlineData("99999999999.99999999")]
    [InlineData("1234567890123456789")]
    [InlineData("12345678901.23456789")]
    [InlineData("1.2345678912345678")]
    public void EdgeNumbers_ReadExactlyOnTheFastPath(string price)
    {
        FeedFrame f = new FrameParser().Parse(Frame(price, price, price, price, ":"), 1);
        f.Class.Should().Be(FrameClass.BookTicker);
        f.Ticker.BidPrice.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(price);
    }

    [Theory]
    [InlineData("12345678901234567890")]
    [InlineData("1.2345678/")]
    [InlineData("1.1234567:")]
    [InlineData("1.")]
    [InlineData(".1")]
    [InlineData("1..2")]
    public void NonPlainOrTooLongNumbers_AreLeftToTheGeneralPathAndStillClassified(string price)
    {
        FeedFrame f = new FrameParser().Parse(Frame("1", "1", price, "1", ":"), 1);
        FeedFrame g = new FrameParser().Parse(Frame("1", "1", price, "1", ": "), 1);
        f.Should().Be(g);
    }
}

/// <summary>The integer shortcut for comparing prices must agree with decimal's own comparison.</summary>
public class DecimalPartsTests
{
    [Fact]
    public void AtLeast_AgreesWithDecimalComparison_OnRandomAndEdgeValues()
    {
        var r = new Random(11);
        decimal[] edges = [0m, -0m, 1m, 1.0m, 1.00000000m, -1m, 3m, 3.0m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, 18446744073709551615m, 18446744073709551616m];
        var values = new List<decimal>(edges);
        for (int i = 0; i < 400; i++)
        {
            ulong mantissa = r.Next(2) == 0 ? (ulong)r.Next(1, 100) : (ulong)r.NextInt64();
            values.Add(new decimal((int)mantissa, (int)(mantissa >> 32), r.Next(8) == 0 ? r.Next() : 0, r.Next(6) == 0, (byte)(r.Next(3) == 0 ? r.Next(0, 29) : 8)));
        }

        foreach (decimal a in values)
        {
            foreach (decimal b in values)
            {
                if (DecimalParts.AtLeast(a, b) != (a >= b))
                {
                    Assert.Fail($"{a} >= {b}");
                }
            }
        }
    }
}
