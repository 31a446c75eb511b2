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
    public static decimal BidPrice(decimal bestBid, decimal totalBps, int precision) =>
        Round(bestBid * BidFactor(totalBps), precision);

    /// <summary>Computes <c>round(a × (1 + total_bps / 10000), precision)</c>.</summary>
    /// <param name="bestAsk">The source best ask <c>a</c>.</param>
    /// <param name="totalBps">Anchor plus venue spread, in basis points.</param>
    /// <param name="precision">Price decimals.</param>
    /// <returns>The quoted ask.</returns>
    public static decimal AskPrice(decimal bestAsk, decimal totalBps, int precision) =>
        Round(bestAsk * AskFactor(totalBps), precision);

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
