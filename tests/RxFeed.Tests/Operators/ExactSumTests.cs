using System.Globalization;
using System.Numerics;
using RxFeed.Diagnostics;

namespace RxFeed.Tests.Operators;

/// <summary>The per-symbol price sums are exact, beyond decimal's 96 bits and range.</summary>
public class ExactSumTests
{
    private static string Sum(params string[] values)
    {
        var sum = new ExactSum();
        foreach (string v in values)
        {
            sum.Add(decimal.Parse(v, CultureInfo.InvariantCulture));
        }

        return sum.ToString();
    }

    [Fact]
    public void Add_Nothing_IsZero() => new ExactSum().ToString().Should().Be("0");

    [Fact]
    public void Add_Prices_KeepTheLargestScale() => Sum("2683.80000000", "2683.81", "1").Should().Be("5368.61000000");

    [Fact]
    public void Add_BeyondDecimalRange_IsExactNotAnOverflow()
    {
        Sum("79228162514264337593543950335", "79228162514264337593543950335", "79228162514264337593543950335")
            .Should().Be("237684487542793012780631851005");
    }

    [Fact]
    public void Add_BeyondNinetySixBitsOfMantissa_NeverRounds()
    {
        // decimal would round 79228162514264337593543950335 + 0.0000000000000000000000000001 to the first addend.
        Sum("79228162514264337593543950335", "0.0000000000000000000000000001").Should().Be("79228162514264337593543950335.0000000000000000000000000001");
        Sum("0.0000000000000000000000000001", "7922816251426433759354395033.5", "7922816251426433759354395033.5")
            .Should().Be("15845632502852867518708790067.0000000000000000000000000001");
    }

    [Fact]
    public void Add_AfterSwitchingToBigInteger_KeepsAddingExactly()
    {
        Sum("79228162514264337593543950335", "79228162514264337593543950335", "0.5", "0.25", "1").Should().Be("158456325028528675187087900671.75");
    }

    [Fact]
    public void Add_NegativeValues_AreExact()
    {
        Sum("-79228162514264337593543950335", "-79228162514264337593543950335", "0.01").Should().Be("-158456325028528675187087900669.99");
        Sum("-0.5", "0.25").Should().Be("-0.25");
    }

    [Fact]
    public void Add_RandomHugePrices_MatchesBigIntegerReference()
    {
        var random = new Random(11);
        for (int round = 0; round < 200; round++)
        {
            var sum = new ExactSum();
            BigInteger reference = 0;
            int maxScale = 0;
            for (int i = 0; i < 50; i++)
            {
                int scale = random.Next(29);
                var value = new decimal(random.Next(), random.Next(), random.Next(), false, (byte)scale);
                maxScale = Math.Max(maxScale, scale);
                sum.Add(value);
                reference += BigInteger.Parse(value.ToString(CultureInfo.InvariantCulture).Replace(".", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture)
                    * BigInteger.Pow(10, 28 - scale);
            }

            string digits = (reference / BigInteger.Pow(10, 28 - maxScale)).ToString(CultureInfo.InvariantCulture).PadLeft(maxScale + 1, '0');
            string expected = maxScale == 0 ? digits : digits[..^maxScale] + "." + digits[^maxScale..];
            sum.ToString().Should().Be(expected);
        }
    }

    [Fact]
    public void Add_RandomPricesOfOneScaleAndMixedScales_MatchesABigIntegerSumDigitForDigit()
    {
        // The same-scale fast path must agree with exact arithmetic, including across the 64-bit mantissa boundary.
        var r = new Random(7);
        foreach (int scale in new[] { 0, 2, 8, 8, 18 })
        {
            var sum = new ExactSum();
            BigInteger exact = 0;
            int maxScale = 0;
            for (int i = 0; i < 5_000; i++)
            {
                int s = r.Next(4) == 0 ? r.Next(0, 9) : scale;
                ulong mantissa = r.Next(3) == 0 ? (ulong)r.NextInt64(long.MaxValue / 2, long.MaxValue) * 2 : (ulong)r.NextInt64(1, 1_000_000_000_000);
                decimal value = new((int)mantissa, (int)(mantissa >> 32), 0, false, (byte)s);
                sum.Add(value);
                exact += new BigInteger(mantissa) * BigInteger.Pow(10, 28 - s);
                maxScale = Math.Max(maxScale, s);
            }

            BigInteger atScale = exact / BigInteger.Pow(10, 28 - maxScale);
            string digits = atScale.ToString(CultureInfo.InvariantCulture).PadLeft(maxScale + 1, '0');
            string expected = maxScale == 0 ? digits : $"{digits[..^maxScale]}.{digits[^maxScale..]}";
            sum.ToString().Should().Be(expected, $"scale {scale}");
        }
    }
}
