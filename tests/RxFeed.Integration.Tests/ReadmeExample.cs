using System.Reactive.Linq;
using RxFeed.Health;
using RxFeed.Hosting;

namespace RxFeed.Integration.Tests;

/// <summary>The README's embedding example, kept compiling and running here (only the endpoint and the output differ).</summary>
internal static class ReadmeExample
{
    public static async Task RunAsync(Uri endpoint, Action<string> print)
    {
        // --- README example starts ---
        var client = RxFeedClient.Create(new RxFeedOptions
        {
            Endpoint = endpoint,                   // e.g. new Uri("wss://stream.binance.com:9443/ws")
            Symbols = ["ADAUSDT"],
            StaleAfter = TimeSpan.FromSeconds(10),
        });

        using IDisposable health = client.Health
            .Where(h => h.State != FeedState.Live)
            .Subscribe(h => print($"{h.Symbol} is {h.State}: {h.Reason}"));

        await client.BookTickers
            .Take(5)
            .ForEachAsync(t => print($"{t.Symbol} u={t.UpdateId} bid {t.BidPrice} x {t.BidQty} / ask {t.AskPrice} x {t.AskQty}"));

        var counts = client.Counters.Snapshot();
        // --- README example ends ---
        _ = counts;
    }
}
