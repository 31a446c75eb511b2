using RxFeed.Exchange;

namespace RxFeed.Host.Verbs;

/// <summary>The offline default of <c>run</c>: the local exchange on a free loopback port with a synthetic market.</summary>
internal sealed class EmbeddedExchange : IAsyncDisposable
{
    private readonly LocalExchange _exchange;

    private EmbeddedExchange(LocalExchange exchange)
    {
        _exchange = exchange;
        Endpoint = new Uri(exchange.BaseUrl + "/ws");
    }

    /// <summary>Gets the endpoint to connect to, <c>ws://127.0.0.1:PORT/ws</c>.</summary>
    public Uri Endpoint { get; }

    public static async Task<EmbeddedExchange> StartAsync(IReadOnlyList<string> symbols, CancellationToken cancel)
    {
        var options = new ExchangeOptions { Port = 0 };
        options.Market.Symbols.Clear();
        foreach (string symbol in symbols)
        {
            options.Market.Symbols.Add(symbol);
        }

        return new EmbeddedExchange(await LocalExchange.StartAsync(options, cancel).ConfigureAwait(false));
    }

    public ValueTask DisposeAsync() => _exchange.DisposeAsync();
}
