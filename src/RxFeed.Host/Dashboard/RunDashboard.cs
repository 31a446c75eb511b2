using System.Diagnostics;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Orders;
using RxFeed.Quoting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RxFeed.Host.Dashboard;

/// <summary>
/// The live per-symbol dashboard of <c>run</c> on an interactive terminal: it follows the delivered ticks, the health,
/// quote and order streams, and renders <see cref="DashboardView"/> a few times a second until the run stops.
/// </summary>
internal sealed class RunDashboard : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SymbolView> _symbols = new(StringComparer.Ordinal);
    private readonly FeedConnection _connection;
    private readonly FeedCounters _counters;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly ArrivalRace? _race; // several endpoints: an endpoint table under the symbols, a line each in plain mode
    private readonly List<string> _changes = [];
    private string _lastChange = string.Empty;

    public RunDashboard(IEnumerable<string> symbols, QuotingSession session, FeedConnection connection, FeedCounters counters, ArrivalRace? race = null)
    {
        _connection = connection;
        _counters = counters;
        _race = race;
        foreach (string symbol in symbols)
        {
            _symbols[symbol] = new SymbolView();
        }

        _subscriptions.Add(session.Health.Subscribe(h => Update(h.Symbol, v => v.State = h.State.ToString())));
        _subscriptions.Add(session.Quotes.Subscribe(q => Update(q.SourceSymbol, v => v.Quote = q.IsCancel ? "cancelled" : $"{q.Bid} / {q.Ask}")));
        _subscriptions.Add(session.Orders.Subscribe(o => Update(o.Symbol, v => v.LiveOrders += o.Action == OrderAction.Place ? 1 : -1)));
    }

    public void OnTick(in BookTicker tick)
    {
        // Called for every delivered tick on the pipeline thread: a lookup and a few stores, no allocation.
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            SymbolView v = View(tick.Symbol);
            v.Bid = tick.BidPrice;
            v.BidQty = tick.BidQty;
            v.Ask = tick.AskPrice;
            v.AskQty = tick.AskQty;
            v.LastUpdateId = tick.UpdateId;
            v.LastTickAt = now;
            v.Ticks++;
        }
    }

    /// <summary>The run's symbols changed (a config edit): new rows, and one line saying what changed.</summary>
    /// <param name="added">Subscribed.</param>
    /// <param name="removed">Unsubscribed (their rows stay, showing Removed).</param>
    public void SymbolsChanged(IReadOnlyList<string> added, IReadOnlyList<string> removed)
    {
        string line = DashboardView.SymbolsLine(added, removed);
        lock (_gate)
        {
            foreach (string symbol in added)
            {
                View(symbol).State = "Connecting";
            }

            _changes.Add(line);
            _lastChange = " — " + line;
        }
    }

    public IRenderable Render()
    {
        string change;
        lock (_gate)
        {
            change = _lastChange;
        }

        IRenderable symbols = DashboardView.Render(Rows(), $"rxfeed run — {_connection.Counters.ConnectionsOpened} connections{change}");
        return _race is null ? symbols : new Rows(symbols, DashboardView.RenderEndpoints(_race));
    }

    /// <summary>Renders until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stop) =>
        AnsiConsole.Live(DashboardView.Render(Rows(), "rxfeed run")).AutoClear(false).StartAsync(async ctx =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(250, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }

                ctx.UpdateTarget(Render());
                ctx.Refresh();
            }
        });

    /// <summary>Redirected output without <c>--json</c>: one plain status line per symbol every <paramref name="interval"/>.</summary>
    /// <param name="output">Where the lines go.</param>
    /// <param name="interval">2 s in <c>rxfeed run</c>.</param>
    /// <param name="stop">Ends the loop.</param>
    /// <returns>The loop.</returns>
    public async Task RunPlainAsync(TextWriter output, TimeSpan interval, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(output);
        Rows(); // starts each symbol's frames/s window now
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            string[] changes;
            lock (_gate)
            {
                changes = [.. _changes];
                _changes.Clear();
            }

            foreach (string change in changes)
            {
                await output.WriteLineAsync(change).ConfigureAwait(false);
            }

            foreach (DashboardRow row in Rows())
            {
                await output.WriteLineAsync(DashboardView.StatusLine(row)).ConfigureAwait(false);
            }

            foreach (SourceArrivals endpoint in _race?.Sources ?? [])
            {
                await output.WriteLineAsync(Output.EndpointSummary.Line(endpoint, _race!.Delivered)).ConfigureAwait(false);
            }

            await output.FlushAsync(stop).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (IDisposable subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    private List<DashboardRow> Rows()
    {
        FeedCountsSnapshot counts = _counters.Snapshot();
        long now = Stopwatch.GetTimestamp();
        var rows = new List<DashboardRow>();
        lock (_gate)
        {
            foreach ((string symbol, SymbolView v) in _symbols.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                double seconds = v.RateSince == 0 ? 0 : Stopwatch.GetElapsedTime(v.RateSince, now).TotalSeconds;
                double rate = seconds > 0 ? (v.Ticks - v.RateTicks) / seconds : 0;
                v.RateSince = now;
                v.RateTicks = v.Ticks;
                rows.Add(new DashboardRow(
                    symbol,
                    v.State,
                    v.Bid,
                    v.BidQty,
                    v.Ask,
                    v.AskQty,
                    rate,
                    v.LastUpdateId,
                    v.LastTickAt == 0 ? null : Stopwatch.GetElapsedTime(v.LastTickAt, now),
                    _connection.Counters.Reconnects,
                    counts.Invalid,
                    counts.Malformed,
                    counts.Symbols.TryGetValue(symbol, out SymbolCounts? s) ? s.OutOfOrder : 0,
                    v.Quote,
                    Math.Max(0, v.LiveOrders)));
            }
        }

        return rows;
    }

    private void Update(string symbol, Action<SymbolView> change)
    {
        lock (_gate)
        {
            change(View(symbol));
        }
    }

    private SymbolView View(string symbol)
    {
        if (!_symbols.TryGetValue(symbol, out SymbolView? view))
        {
            view = new SymbolView();
            _symbols[symbol] = view;
        }

        return view;
    }

    private sealed class SymbolView
    {
        public string State { get; set; } = "Connecting";

        public decimal? Bid { get; set; }

        public decimal? Ask { get; set; }

        public decimal? BidQty { get; set; }

        public decimal? AskQty { get; set; }

        public long LastUpdateId { get; set; }

        public long LastTickAt { get; set; }

        public long Ticks { get; set; }

        public long RateSince { get; set; }

        public long RateTicks { get; set; }

        public string? Quote { get; set; }

        public int LiveOrders { get; set; }
    }
}
