namespace RxFeed.Exchange.Market;

/// <summary>
/// Where a synthetic symbol starts and how it moves: a realistic reference price with the symbol's real Binance price
/// tick and quantity step, so a synthetic run looks like the market it stands for. Unknown symbols trade near 100.
/// </summary>
/// <param name="Price">A reference price (late 2024 levels).</param>
/// <param name="TickSize">The price filter's tick.</param>
/// <param name="StepSize">The lot size filter's step.</param>
internal readonly record struct SymbolSpec(decimal Price, decimal TickSize, decimal StepSize)
{
    private static readonly Dictionary<string, SymbolSpec> Known = new(StringComparer.Ordinal)
    {
        ["BTCUSDT"] = new(60_000m, 0.01m, 0.00001m),
        ["ETHUSDT"] = new(2_600m, 0.01m, 0.0001m),
        ["BNBUSDT"] = new(580m, 0.01m, 0.001m),
        ["SOLUSDT"] = new(150m, 0.01m, 0.001m),
        ["XRPUSDT"] = new(0.55m, 0.0001m, 1m),
        ["ADAUSDT"] = new(0.35m, 0.0001m, 0.1m),
        ["DOGEUSDT"] = new(0.12m, 0.00001m, 1m),
    };

    private static readonly SymbolSpec Unknown = new(100m, 0.01m, 0.001m);

    public static SymbolSpec For(string symbol) => Known.GetValueOrDefault(symbol, Unknown);

}
