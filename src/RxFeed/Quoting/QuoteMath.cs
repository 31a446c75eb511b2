using System.Numerics;

namespace RxFeed.Quoting;

/// <summary>The quote formula of <c>host-cli.md</c> in exact decimal arithmetic.</summary>
public static class QuoteMath
{
    private static readonly decimal[] Zeros = CreateZeros();

    /// <summary>Rounds half away from zero to <paramref name="precision"/> decimals, and writes exactly that many (2.5 → "2.500" at 3).</summary>
    /// <param name="value">The exact value.</param>
    /// <param name="precision">Decimals, 0 to 28.</param>
    /// <returns>The rounded value with scale <paramref name="precision"/>.</returns>
    public static decimal Round(decimal value, int precision)
    {
        decimal rounded = Math.Round(value, precision, MidpointRounding.AwayFromZero);

        // Adding a zero of scale p lifts the scale to p, so the value prints with exactly p decimals.
        return rounded + Zeros[precision];
    }

    /// <summary>Computes <c>round(b × (1 − total_bps / 10000), precision)</c>.</summary>
    /// <param name="bestBid">The source best bid <c>b</c>.</param>
    /// <param name="totalBps">Anchor plus venue spread, in basis points.</param>
    /// <param name="precision">Price decimals.</param>
    /// <returns>The quoted bid.</returns>
    /// <exception cref="OverflowException">The price does not fit a <see cref="decimal"/>.</exception>
    public static decimal BidPrice(decimal bestBid, decimal totalBps, int precision) =>
        TryMultiplyRound(bestBid, BidFactor(totalBps), precision, out decimal bid) ? bid : throw new OverflowException("The bid does not fit a decimal.");

    /// <summary>Computes <c>round(a × (1 + total_bps / 10000), precision)</c>.</summary>
    /// <param name="bestAsk">The source best ask <c>a</c>.</param>
    /// <param name="totalBps">Anchor plus venue spread, in basis points.</param>
    /// <param name="precision">Price decimals.</param>
    /// <returns>The quoted ask.</returns>
    /// <exception cref="OverflowException">The price does not fit a <see cref="decimal"/>.</exception>
    public static decimal AskPrice(decimal bestAsk, decimal totalBps, int precision) =>
        TryMultiplyRound(bestAsk, AskFactor(totalBps), precision, out decimal ask) ? ask : throw new OverflowException("The ask does not fit a decimal.");

    /// <summary>
    /// Computes <c>round(value × factor, precision)</c> exactly. Decimal multiplication silently rounds a product of more than
    /// 96 bits, so such products are computed in integers instead; a result beyond <see cref="decimal"/> range is refused.
    /// </summary>
    /// <param name="value">A price.</param>
    /// <param name="factor">The spread factor.</param>
    /// <param name="precision">Decimals, 0 to 28.</param>
    /// <param name="result">The rounded product with scale <paramref name="precision"/>.</param>
    /// <returns>False when the rounded product does not fit a <see cref="decimal"/>.</returns>
    public static bool TryMultiplyRound(decimal value, decimal factor, int precision, out decimal result)
    {
        Span<int> v = stackalloc int[4];
        Span<int> f = stackalloc int[4];
        decimal.GetBits(value, v);
        decimal.GetBits(factor, f);
        int scale = ((v[3] >> 16) & 0xFF) + ((f[3] >> 16) & 0xFF);

        // Below 2^64 × 2^32 with a combined scale within 28, the decimal product is exact.
        if (v[2] == 0 && f[2] == 0 && f[1] == 0 && scale <= 28)
        {
            result = Round(value * factor, precision);
            return true;
        }

        BigInteger product = Mantissa(v) * Mantissa(f);
        BigInteger units;
        if (scale > precision)
        {
            BigInteger divisor = BigInteger.Pow(10, scale - precision);
            units = BigInteger.DivRem(product, divisor, out BigInteger remainder);
            if (remainder * 2 >= divisor)
            {
                units += 1;
            }
        }
        else
        {
            units = product * BigInteger.Pow(10, precision - scale);
        }

        if (units.GetBitLength() > 96)
        {
            result = 0m;
            return false;
        }

        bool negative = (v[3] < 0) != (f[3] < 0) && !units.IsZero;
        result = new decimal((int)(uint)(units & uint.MaxValue), (int)(uint)((units >> 32) & uint.MaxValue), (int)(uint)(units >> 64), negative, (byte)precision);
        return true;
    }

    /// <summary>Gets one price tick, 10^−precision.</summary>
    /// <param name="precision">Price decimals.</param>
    /// <returns>The tick size.</returns>
    public static decimal TickSize(int precision) => new(1, 0, 0, false, (byte)precision);

    /// <summary>Gets <c>1 − total_bps / 10000</c>.</summary>
    /// <param name="totalBps">Basis points.</param>
    /// <returns>The exact factor.</returns>
    internal static decimal BidFactor(decimal totalBps) => 1m - (totalBps / 10000m);

    /// <summary>Gets <c>1 + total_bps / 10000</c>.</summary>
    /// <param name="totalBps">Basis points.</param>
    /// <returns>The exact factor.</returns>
    internal static decimal AskFactor(decimal totalBps) => 1m + (totalBps / 10000m);

    private static BigInteger Mantissa(ReadOnlySpan<int> bits) =>
        new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);

    private static decimal[] CreateZeros()
    {
        var zeros = new decimal[29];
        for (int i = 0; i < zeros.Length; i++)
        {
            zeros[i] = new decimal(0, 0, 0, false, (byte)i);
        }

        return zeros;
    }
}
