using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxFeed.Diagnostics;
using RxFeed.Quoting;

namespace RxFeed.Orders;

/// <summary>
/// A paper order manager: at most one live order per side and level, following the latest quote. Cancels are free and
/// immediate; places spend tokens of a <see cref="TokenBucket"/>. Short of tokens it waits on the scheduler and then places
/// what the latest quote asks for, so a burst of quotes never becomes a backlog of stale orders.
/// </summary>
public sealed class PaperOrderManager : IOrderManager, IDisposable
{
    private static readonly KeyValuePair<string, object?>[] PlaceTag = [new("action", "place")];
    private static readonly KeyValuePair<string, object?>[] CancelTag = [new("action", "cancel")];
    private readonly Lock _gate = new();
    private readonly Subject<OrderEvent> _events = new();
    private readonly IObservable<OrderEvent> _eventsView;
    private readonly TokenBucket _bucket;
    private readonly IScheduler _scheduler;
    private readonly string _idPrefix;
    private readonly Dictionary<string, SymbolOrders> _books = new(StringComparer.Ordinal);
    private readonly List<SymbolOrders> _order = [];
    private readonly Action<long> _onWake;
    private long _nextId;
    private long _placed;
    private long _cancelled;
    private long _wakeAt = long.MaxValue;
    private IDisposable? _wake;

    /// <summary>Initializes a new instance of the <see cref="PaperOrderManager"/> class.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="scheduler">Runs the waits for tokens (a <see cref="Time.ReplayScheduler"/> in replays).</param>
    public PaperOrderManager(OrderOptions options, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _bucket = new TokenBucket(options.OrderRate);
        _scheduler = scheduler ?? Scheduler.Default;
        _idPrefix = options.IdPrefix;
        _eventsView = _events.AsObservable();
        _onWake = OnWake;
    }

    /// <inheritdoc/>
    public IObservable<OrderEvent> Events => _eventsView;

    /// <inheritdoc/>
    public OrderCounts Counts
    {
        get
        {
            lock (_gate)
            {
                return new OrderCounts(_placed, _cancelled);
            }
        }
    }

    /// <inheritdoc/>
    public void Apply(in QuoteUpdate quote)
    {
        ArgumentNullException.ThrowIfNull(quote.Symbol, nameof(quote));
        lock (_gate)
        {
            long now = quote.TsNs;
            _bucket.Refill(now);
            SymbolOrders book = Get(quote.Symbol, quote.LevelCount);
            if (quote.IsCancel)
            {
                book.ClearDesired();
            }
            else
            {
                book.SetDesired(quote);
            }

            Reconcile(book, now);
            ArmWake(now);
        }
    }

    /// <inheritdoc/>
    public void CancelAll(long tsNs)
    {
        lock (_gate)
        {
            foreach (SymbolOrders book in _order)
            {
                book.ClearDesired();
                Reconcile(book, tsNs);
            }

            _wake?.Dispose();
            _wake = null;
            _wakeAt = long.MaxValue;
        }
    }

    /// <summary>Completes <see cref="Events"/> and stops waiting.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _wake?.Dispose();
            _wakeAt = long.MaxValue;
        }

        _events.OnCompleted();
        _events.Dispose();
    }

    private static OrderSide Side(int slot) => (slot & 1) == 0 ? OrderSide.Buy : OrderSide.Sell;

    private SymbolOrders Get(string symbol, int levels)
    {
        if (!_books.TryGetValue(symbol, out SymbolOrders? book))
        {
            book = new SymbolOrders(symbol);
            _books.Add(symbol, book);
            _order.Add(book);
        }

        book.EnsureLevels(levels);
        return book;
    }

    /// <summary>Per slot (bid then ask, level 0 first): cancel a mismatched order, then place the wanted one if a token is left.</summary>
    private void Reconcile(SymbolOrders book, long now)
    {
        book.Waiting = false;
        for (int k = 0; k < book.Live.Length; k++)
        {
            ref OrderSlot live = ref book.Live[k];
            ref OrderSlot want = ref book.Desired[k];
            if (live.Present && (!want.Present || live.Price != want.Price || live.Qty != want.Qty))
            {
                live.Present = false;
                _cancelled++;
                RxFeedMeters.Orders.Add(1, CancelTag);
                _events.OnNext(new OrderEvent(book.Symbol, OrderAction.Cancel, Side(k), k / 2, live.Id!, live.Price, live.Qty, now));
            }

            if (want.Present && !live.Present)
            {
                if (!_bucket.TryTake())
                {
                    book.Waiting = true;
                    continue;
                }

                live = want with { Id = NewId() };
                _placed++;
                RxFeedMeters.Orders.Add(1, PlaceTag);
                _events.OnNext(new OrderEvent(book.Symbol, OrderAction.Place, Side(k), k / 2, live.Id!, live.Price, live.Qty, now));
            }
        }
    }

    private void ArmWake(long now)
    {
        bool waiting = false;
        foreach (SymbolOrders book in _order)
        {
            waiting |= book.Waiting;
        }

        if (!waiting)
        {
            return;
        }

        long at = _bucket.NextTokenAtNs();
        if (at == _wakeAt)
        {
            return;
        }

        _wake?.Dispose();
        _wakeAt = at;
        _wake = Quoting.Deadline.Schedule(_scheduler, at, now, _onWake);
    }

    private void OnWake(long at)
    {
        lock (_gate)
        {
            if (_wakeAt != at)
            {
                return;
            }

            _wakeAt = long.MaxValue;
            _wake = null;
            _bucket.Refill(at);
            foreach (SymbolOrders book in _order)
            {
                if (book.Waiting)
                {
                    Reconcile(book, at);
                }
            }

            ArmWake(at);
        }
    }

    private string NewId() => string.Create(CultureInfo.InvariantCulture, $"{_idPrefix}-{++_nextId}");
}
