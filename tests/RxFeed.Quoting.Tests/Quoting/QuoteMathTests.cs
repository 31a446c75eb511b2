namespace RxFeed.Quoting.Tests.Quoting;

public class QuoteMathTests
{
    [Theory]
    [InlineData("2.5", 0, "3")]
    [InlineData("-2.5", 0, "-3")]
    [InlineData("3.5", 0, "4")]
    [InlineData("2.4999", 0, "2")]
    [InlineData("0.1234565", 6, "0.123457")]
    [InlineData("0.1234575", 6, "0.123458")]
    [InlineData("1.005", 2, "1.01")]
    [InlineData("1.0049", 2, "1.00")]
    [InlineData("2.5", 3, "2.500")]
    [InlineData("100", 6, "100.000000")]
    public void Round_HalfCases_AwayFromZeroWithExactScale(string value, int precision, string expected)
    {
        QuoteMath.Round(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), precision)
            .ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(expected);
    }

    [Fact]
    public void BidAskPrice_HostCliExample_MatchesHandComputed()
    {
        // 0.3581 × (1 − 20/10000) = 0.3573838 → 0.357384; 0.3582 × 1.002 = 0.3589164 → 0.358916 (host-cli.md's example line).
        QuoteMath.BidPrice(0.3581m, 20m, 6).ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("0.357384");
        QuoteMath.AskPrice(0.3582m, 20m, 6).ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("0.358916");
    }

    [Theory]
    [InlineData("2500.5", 0, "2498", "2503")]       // 2497.9995 / 2503.0005
    [InlineData("2500.5", 3, "2498.000", "2503.001")] // exact halves at the 4th decimal: away from zero, not to even
    [InlineData("2500.5", 4, "2497.9995", "2503.0005")]
    public void BidAskPrice_TenBps_HalfAwayFromZero(string price, int precision, string bid, string ask)
    {
        decimal p = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture);
        QuoteMath.BidPrice(p, 10m, precision).ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(bid);
        QuoteMath.AskPrice(p, 10m, precision).ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(ask);
    }

    [Fact]
    public void BidPrice_PrecisionZeroHalf_RoundsUp()
    {
        // 5 × (1 − 1000/10000) = 4.5 → 5 (banker's rounding would give 4).
        QuoteMath.BidPrice(5m, 1000m, 0).Should().Be(5m);
        QuoteMath.AskPrice(5m, -1000m, 0).Should().Be(5m); // 5 × 0.9 = 4.5 → 5
    }

    [Fact]
    public void BidPrice_FractionalBps_ExactDecimal()
    {
        // 2683.80 × (1 − 2.5/10000) = 2683.80 − 0.67095 = 2683.12905 → 2683.1291 at 4 (half away), 2683.129050 at 6.
        QuoteMath.BidPrice(2683.80m, 2.5m, 4).Should().Be(2683.1291m);
        QuoteMath.BidPrice(2683.80m, 2.5m, 6).ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("2683.129050");
    }

    [Fact]
    public void TickSize_Precision_IsTenToMinusPrecision()
    {
        QuoteMath.TickSize(0).Should().Be(1m);
        QuoteMath.TickSize(6).Should().Be(0.000001m);
    }

    [Fact]
    public void BidPrice_ProductBeyondDecimalPrecision_ExactNotDoubleRounded()
    {
        // b × 0.5 = 1.00000049999999999999999999995 exactly (30 digits): decimal's own product rounds it to ...5000 first,
        // which would round up to 1.000001; the exact value rounds to 1.000000.
        decimal b = 2.0000009999999999999999999999m;
        Math.Round(b * 0.5m, 6, MidpointRounding.AwayFromZero).Should().Be(1.000001m, "this is the trap being avoided");

        QuoteMath.BidPrice(b, 5000m, 6).ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("1.000000");
    }

    [Fact]
    public void BidPrice_DecimalMaxValue_ExactInIntegers()
    {
        QuoteMath.BidPrice(decimal.MaxValue, 10m, 0).Should().Be(79148934351750073255950406385m);
    }

    [Fact]
    public void TryMultiplyRound_BeyondDecimalRange_Refused()
    {
        QuoteMath.TryMultiplyRound(decimal.MaxValue, 1.001m, 0, out _).Should().BeFalse();
        QuoteMath.TryMultiplyRound(decimal.MaxValue, 0.999m, 6, out _).Should().BeFalse();
        FluentActions.Invoking(() => QuoteMath.AskPrice(decimal.MaxValue, 10m, 6)).Should().Throw<OverflowException>();
    }
}
