using System.Globalization;
using System.Text;
using RxFeed.Exchange.Sessions;

namespace RxFeed.Exchange.Market;

/// <summary>
/// A random-walk book per symbol at a fixed rate: prices on a 0.01 tick written as 8-decimal strings, a spread of
/// one to three ticks (never crossed), and a <c>u</c> that rises strictly and skips values as Binance's does.
/// </summary>
internal sealed class SyntheticMarket : IMarket
{
    private const decimal Tick = 0.01m;
    private readonly MarketHub _hub;
    private readonly MarketClock _clock;
    private readonly double _rate;
    private readonly DateTimeOffset? _startAt;
    private readonly SymbolBook[] _books;
#pragma warning disable CA5394 // market simulation, not security
    private readonly Random _random;

    /// <summary>Initializes a new instance of the <see cref="SyntheticMarket"/> class.</summary>
    /// <param name="options">The market options.</param>
    /// <param name="hub">The hub.</param>
    /// <param name="clock">The market clock.</param>
    public SyntheticMarket(MarketOptions options, MarketHub hub, MarketClock clock)
    {
        _hub = hub;
        _clock = clock;
        _rate = options.Rate;
        _startAt = options.StartAt;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        _books = options.Symbols
            .Select(s => s.Trim().ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)
            .Select(s => new SymbolBook(s, StreamNames.BookTicker(s), 100m + (_random.Next(0, 10000) * Tick), _random.Next(1_000_000, 2_000_000)))
            .ToArray();
    }

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _hub.FirstSubscriber.WaitAsync(cancellationToken).ConfigureAwait(false);
        _clock.Start(_startAt);
        long emitted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = (long)Math.Floor(_clock.Now() * _rate);
            for (; emitted < due; emitted++)
            {
                foreach (var book in _books)
                {
                    Step(book);
                }
            }

            // Wake for the next tick's due time, not a fixed step: two exchanges of one market then publish each tick
            // within a timer's precision of each other, and a hedge between them measures the network, not our phase.
            var factor = _clock.Rate;
            var wait = factor * _rate > 0 ? TimeSpan.FromSeconds(Math.Clamp((((emitted + 1) / _rate) - _clock.Now()) / factor, 0.001, 0.05)) : TimeSpan.FromMilliseconds(50);
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Step(SymbolBook book)
    {
        book.Mid = Math.Max(Tick * 10, book.Mid + ((_random.Next(0, 5) - 2) * Tick));
        book.UpdateId = Math.Max(book.UpdateId, _hub.LastUpdateId(book.Stream)) + _random.Next(2, 7);
        var bid = book.Mid;
        var ask = book.Mid + (_random.Next(1, 4) * Tick);
        var bidQty = _random.Next(1, 100_000) / 1000m;
        var askQty = _random.Next(1, 100_000) / 1000m;
        var payload = Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"u\":{book.UpdateId},\"s\":\"{book.Symbol}\",\"b\":\"{bid:F8}\",\"B\":\"{bidQty:F8}\",\"a\":\"{ask:F8}\",\"A\":\"{askQty:F8}\"}}"));
        _hub.Publish(book.Stream, payload, book.UpdateId);
    }
#pragma warning restore CA5394

    private sealed class SymbolBook(string symbol, string stream, decimal mid, long updateId)
    {
        public string Symbol { get; } = symbol;

        public string Stream { get; } = stream;

        public decimal Mid { get; set; } = mid;

        public long UpdateId { get; set; } = updateId;
    }
}
