using System.Globalization;
using System.Text;
using RxFeed.Exchange.Sessions;

namespace RxFeed.Exchange.Market;

/// <summary>
/// A random-walk book per symbol at a fixed rate: starting near the symbol's real price (<see cref="SymbolSpec"/>, within
/// 1 %), moving on its real tick about 0.002 % a step, quantities on its lot step, written as 8-decimal strings; a spread
/// of one to three ticks (never crossed), and a <c>u</c> that rises strictly and skips values as Binance's does.
/// </summary>
internal sealed class SyntheticMarket : IMarket
{
    private readonly MarketHub _hub;
    private readonly MarketClock _clock;
    private readonly double _rate;
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
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        _books = options.Symbols
            .Select(s => s.Trim().ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)
            .Select(s => NewBook(s, SymbolSpec.For(s)))
            .ToArray();
    }

    /// <inheritdoc/>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _hub.FirstSubscriber.WaitAsync(cancellationToken).ConfigureAwait(false);
        _clock.Start();
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

            var rate = _clock.Rate * _rate;
            var wait = rate > 0 ? TimeSpan.FromSeconds(Math.Clamp(1 / rate, 0.001, 0.05)) : TimeSpan.FromMilliseconds(50);
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private SymbolBook NewBook(string symbol, SymbolSpec spec)
    {
        decimal start = spec.Price * (1m + ((_random.Next(0, 2001) - 1000) / 100_000m));
        return new SymbolBook(symbol, StreamNames.BookTicker(symbol), spec, decimal.Round(start / spec.TickSize) * spec.TickSize, _random.Next(1_000_000, 2_000_000));
    }

    private void Step(SymbolBook book)
    {
        decimal tick = book.Spec.TickSize;
        book.Mid = Math.Max(tick * 10, book.Mid + ((_random.Next(0, 5) - 2) * book.MoveTicks * tick));
        book.UpdateId = Math.Max(book.UpdateId, _hub.LastUpdateId(book.Stream)) + _random.Next(2, 7);
        var bid = book.Mid;
        var ask = book.Mid + (_random.Next(1, 4) * tick);
        var bidQty = Quantity(book.Spec);
        var askQty = Quantity(book.Spec);
        var payload = Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"u\":{book.UpdateId},\"s\":\"{book.Symbol}\",\"b\":\"{bid:F8}\",\"B\":\"{bidQty:F8}\",\"a\":\"{ask:F8}\",\"A\":\"{askQty:F8}\"}}"));
        _hub.Publish(book.Stream, payload, book.UpdateId);
    }

    /// <summary>Up to about 10,000 USDT's worth, on the lot step, never zero.</summary>
    private decimal Quantity(SymbolSpec spec)
    {
        long maxSteps = Math.Max(1, (long)(10_000m / spec.Price / spec.StepSize));
        return _random.NextInt64(1, maxSteps + 1) * spec.StepSize;
    }
#pragma warning restore CA5394

    private sealed class SymbolBook(string symbol, string stream, SymbolSpec spec, decimal mid, long updateId)
    {
        public SymbolSpec Spec { get; } = spec;

        /// <summary>Gets the ticks of one unit of the walk, so every symbol moves about 0.002 % a step whatever its price.</summary>
        public long MoveTicks { get; } = Math.Max(1, (long)(spec.Price * 0.00002m / spec.TickSize));

        public string Symbol { get; } = symbol;

        public string Stream { get; } = stream;

        public decimal Mid { get; set; } = mid;

        public long UpdateId { get; set; } = updateId;
    }
}
