using System.Globalization;
using System.Numerics;
using System.Text;
using RxFeed.Parsing;

namespace RxFeed.Tests.Parsing;

/// <summary>Property-style checks (fixed seeds) that plain decimal strings round-trip exactly and are never rounded.</summary>
public class DecimalTextTests
{
    private static readonly BigInteger MaxMantissa = (BigInteger.One << 96) - 1;

    /// <summary>The reference: digits as a big integer, trailing fraction zeros dropped; null when not exact in decimal.</summary>
    private static (BigInteger Mantissa, int Scale)? Reference(string text)
    {
        int point = text.IndexOf('.', StringComparison.Ordinal);
        string whole = point < 0 ? text : text[..point];
        string fraction = point < 0 ? string.Empty : text[(point + 1)..].TrimEnd('0');
        var mantissa = BigInteger.Parse(whole + fraction, CultureInfo.InvariantCulture);
        return fraction.Length > 28 || mantissa > MaxMantissa ? null : (mantissa, fraction.Length);
    }

    private static (BigInteger Mantissa, int Scale) Parts(decimal value)
    {
        int[] bits = decimal.GetBits(value);
        var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        return (mantissa, (bits[3] >> 16) & 0xFF);
    }

    private static string RandomPlain(Random random)
    {
        var s = new StringBuilder();
        int wholeDigits = random.Next(4) == 0 ? random.Next(1, 35) : random.Next(1, 8);
        int leadingZeros = random.Next(5) == 0 ? random.Next(1, 5) : 0;
        s.Append('0', leadingZeros);
        for (int i = 0; i < wholeDigits; i++)
        {
            s.Append((char)('0' + random.Next(10)));
        }

        int shape = random.Next(4);
        if (shape > 0)
        {
            s.Append('.');
            int fractionDigits = shape == 1 ? random.Next(1, 9) : random.Next(1, 36);
            for (int i = 0; i < fractionDigits; i++)
            {
                s.Append((char)('0' + random.Next(10)));
            }

            if (random.Next(3) == 0)
            {
                s.Append('0', random.Next(1, 12));
            }
        }

        return s.ToString();
    }

    [Fact]
    public void TryParse_RandomPlainDecimals_RoundTripExactlyOrAreRejectedNeverRounded()
    {
        var random = new Random(20240808);
        int exact = 0, rejected = 0;
        for (int n = 0; n < 25_000; n++)
        {
            string text = RandomPlain(random);
            FrameFault fault = DecimalText.TryParse(text, out decimal value);
            (BigInteger Mantissa, int Scale)? reference = Reference(text);
            if (reference is not { } r)
            {
                Check(fault == FrameFault.NotExact, text, $"gave {fault} {value}, expected NotExact");
                rejected++;
                continue;
            }

            Check(fault == FrameFault.None, text, $"gave {fault}");
            (BigInteger mantissa, int scale) = Parts(value);
            int extra = scale - r.Scale;
            Check(extra >= 0 && mantissa == r.Mantissa * BigInteger.Pow(10, extra), text, $"parsed as {value}");

            // The scale keeps the sender's trailing zeros exactly while they fit: never more, and as many as fit.
            int point = text.IndexOf('.', StringComparison.Ordinal);
            int sentScale = point < 0 ? 0 : text.Length - point - 1;
            Check(scale <= Math.Min(sentScale, 28), text, $"scale {scale} beyond what was sent");
            Check(scale == sentScale || scale == 28 || mantissa * 10 > MaxMantissa, text, $"dropped zeros it could keep: {value}");

            // Where decimal.Parse itself is exact (few enough digits), value and scale agree with it.
            if (text.Length <= 28)
            {
                decimal parsed = decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                Check(value == parsed && value.Scale == parsed.Scale, text, $"{value} differs from decimal.Parse {parsed}");
            }

            Check(value.ToString(CultureInfo.InvariantCulture).TrimStart('0') == Canonical(text, scale), text, $"prints as {value}");
            exact++;
        }

        exact.Should().BeGreaterThan(12_000);
        rejected.Should().BeGreaterThan(600);
    }

    private static void Check(bool condition, string text, string problem)
    {
        if (!condition)
        {
            Assert.Fail($"\"{text}\": {problem}");
        }
    }

    /// <summary>The text as decimal prints it at <paramref name="scale"/>: leading zeros gone, fraction cut or padded.</summary>
    private static string Canonical(string text, int scale)
    {
        int point = text.IndexOf('.', StringComparison.Ordinal);
        string whole = (point < 0 ? text : text[..point]).TrimStart('0');
        string fraction = point < 0 ? string.Empty : text[(point + 1)..];
        fraction = fraction.Length > scale ? fraction[..scale] : fraction.PadRight(scale, '0');
        return scale == 0 ? whole : (whole.Length == 0 ? "." : whole + ".") + fraction;
    }

    [Fact]
    public void TryParse_RandomDecimalValues_RoundTripThroughTheirText()
    {
        var random = new Random(7);
        for (int n = 0; n < 50_000; n++)
        {
            var value = new decimal(random.Next(), random.Next(), random.Next(3) == 0 ? random.Next() : 0, false, (byte)random.Next(29));
            string text = value.ToString(CultureInfo.InvariantCulture);
            FrameFault fault = DecimalText.TryParse(text, out decimal parsed);

            // Same mantissa and scale, bit for bit.
            Check(fault == FrameFault.None && decimal.GetBits(parsed).AsSpan().SequenceEqual(decimal.GetBits(value)), text, $"gave {fault} {parsed}");
        }
    }

    [Fact]
    public void TryParse_RandomNonPlainText_IsNotPlainDecimal()
    {
        var random = new Random(99);
        const string intruders = "+-eE ,_x\t\u00a0\u0661\uff11/:";
        for (int n = 0; n < 50_000; n++)
        {
            string plain = RandomPlain(random);
            string text = random.Next(5) switch
            {
                0 => plain.Insert(random.Next(plain.Length + 1), intruders[random.Next(intruders.Length)].ToString()),
                1 => "." + plain.Replace(".", string.Empty, StringComparison.Ordinal),
                2 => plain.Replace(".", string.Empty, StringComparison.Ordinal) + ".",
                3 => plain.Insert(random.Next(plain.Length + 1), "."),
                _ => string.Empty,
            };
            if (System.Text.RegularExpressions.Regex.IsMatch(text, @"\A[0-9]+(\.[0-9]+)?\z"))
            {
                continue;
            }

            FrameFault fault = DecimalText.TryParse(text, out _);
            Check(fault == FrameFault.NotPlainDecimal, text, $"gave {fault}");
        }
    }

    [Theory]
    [InlineData("1", 0)]
    [InlineData("0", 0)]
    [InlineData("1.50", 2)]
    [InlineData("9999999999999999999", 0)] // 19 digits: the fast path's widest
    [InlineData("999999999999999999.9", 1)]
    [InlineData("18446744073709551615", 0)] // 20 digits: ulong max
    [InlineData("18446744073709551616", 0)] // 20 digits that overflow a ulong
    [InlineData("99999999999999999999", 0)]
    [InlineData("1844674407370955161.6", 1)]
    [InlineData("0.0000000000000000001", 19)]
    [InlineData("00000000000000000001.5", 1)]
    public void TryParse_AroundTheFastPathEdges_IsExact(string text, int scale)
    {
        DecimalText.TryParse(text, out decimal value).Should().Be(FrameFault.None);
        value.Should().Be(decimal.Parse(text, CultureInfo.InvariantCulture));
        value.Scale.Should().Be((byte)scale);
    }
}
