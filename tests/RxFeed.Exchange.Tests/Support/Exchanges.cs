using RxFeed.Exchange;

namespace RxFeed.Exchange.Tests.Support;

internal static class Exchanges
{
    public static string CapturePath => Path.Combine(AppContext.BaseDirectory, "data", "binance-spot-ethusdt-20240808.txt.gz");

    /// <summary>A synthetic exchange with test-friendly defaults; tweak before start.</summary>
    public static Task<LocalExchange> StartSyntheticAsync(Action<ExchangeOptions>? configure = null, double rate = 50, params string[] symbols)
    {
        var options = new ExchangeOptions
        {
            Market = new MarketOptions { Rate = rate, Seed = 42, Symbols = symbols.Length > 0 ? symbols.ToList() : ["ADAUSDT", "BTCUSDT"] },
        };
        configure?.Invoke(options);
        return LocalExchange.StartAsync(options);
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string because = "")
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Condition not met in time. " + because);
            }

            await Task.Delay(10);
        }
    }
}
