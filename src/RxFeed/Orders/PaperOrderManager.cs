using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxFeed.Diagnostics;
using RxFeed.Quoting;

namespace RxFeed.Orders;

/// <summary>
/// An order manager: at most one order per side and level, following the latest quote, sent to an
/// <see cref="IOrderVenue"/> (a <see cref="PaperVenue"/> unless given one) that answers later and may refuse.
/// <para>
/// <see cref="Apply"/> never waits for the venue: it records what the quote wants and sends requests. An order that no
/// longer matches the latest quote is cancelled at once, whether or not its place was answered, so a kill switch never
/// waits behind places. A slot sends its next place only once the previous place of that slot is answered, and then for
/// the latest quote, so requotes during the venue's latency never become a row of stale orders in flight. Places spend
/// tokens of a <see cref="TokenBucket"/>; short of tokens it waits on the scheduler and then places what the latest quote
/// asks for. A refused place is not retried until the next quote.
/// </para>
/// </summary>
public sealed partial class PaperOrderManager : IOrderManager, IDisposable
{
    private static readonly KeyValuePair<string, object?>[] PlaceTag = [new("action", "place")];
    private static readonly KeyValuePair<string, object?>[] CancelTag = [new("action", "cancel")];
    private static readonly KeyValuePair<string, object?>[] RejectedTag = [new("action", "rejected")];
    private readonly Lock _gate = new();
    private readonly Subject<OrderEvent> _events = new();
    private readonly IObservable<OrderEvent> _eventsView;
    private readonly TokenBucket _bucket;
    private readonly IScheduler _scheduler;
    private readonly IOrderVenue _venue;
    private readonly string _idPrefix;
    private readonly Dictionary<string, SymbolOrders> _books = new(StringComparer.Ordinal);
    private readonly List<SymbolOrders> _order = [];
    private readonly Action<long> _onWake;
    private long _nextId;
    private long _placed;
    private long _cancelled;
    private long _rejected;
    private long _lastTsNs = long.MinValue;
    private long _wakeAt = long.MaxValue;
    private IDisposable? _wake;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="PaperOrderManager"/> class.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="scheduler">Runs the waits for tokens and the paper venue's answers (a <see cref="Time.ReplayScheduler"/> in replays).</param>
    /// <param name="venue">Where orders go; default: a <see cref="PaperVenue"/> with <paramref name="options"/>' latency and reject rate.</param>
    public PaperOrderManager(OrderOptions options, IScheduler? scheduler = null, IOrderVenue? venue = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _bucket = new TokenBucket(options.OrderRate);
        _scheduler = scheduler ?? Scheduler.Default;
        _venue = venue ?? new PaperVenue(options, _scheduler);
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
                return new OrderCounts(_placed, _cancelled, _rejected);
            }
        }
    }

    /// <inheritdoc/>
    public void Apply(in QuoteUpdate quote)
    {
        ArgumentNullException.ThrowIfNull(quote.Symbol, nameof(quote));
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            bool outer = BeginStep();
            try
            {
                long now = Math.Max(quote.TsNs, _lastTsNs);
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
                HandleAnswers(outer);
            }
            finally
            {
                EndStep(outer);
            }
        }
    }

    /// <inheritdoc/>
    public void CancelAll(long tsNs)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            bool outer = BeginStep();
            try
            {
                long now = Math.Max(tsNs, _lastTsNs);
                foreach (SymbolOrders book in _order)
                {
                    book.ClearDesired();
                    Reconcile(book, now);
                }

                _wake?.Dispose();
                _wake = null;
                _wakeAt = long.MaxValue;
                HandleAnswers(outer);
            }
            finally
            {
                EndStep(outer);
            }
        }
    }

    /// <summary>Completes <see cref="Events"/>, stops waiting, and ignores the venue's later answers.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
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

    /// <summary>
    /// Per slot (bid then ask, level 0 first): cancel an order the latest quote does not want, then place the wanted one
    /// if the slot has no place in flight and a token is left.
    /// </summary>
    private void Reconcile(SymbolOrders book, long now)
    {
        book.Waiting = false;
        for (int k = 0; k < book.Orders.Length; k++)
        {
            ref OrderSlot want = ref book.Desired[k];
            if (book.Orders[k] is { } order && (!want.Present || order.Place.Price != want.Price || order.Place.Qty != want.Qty))
            {
                book.Orders[k] = null;
                SendCancel(order, now);
            }

            if (want.Present && book.Orders[k] is null && !book.PlaceInFlight[k])
            {
                if (!_bucket.TryTake())
                {
                    book.Waiting = true;
                    continue;
                }

                SendPlace(book, k, want, now);
            }
        }
    }

    private void SendPlace(SymbolOrders book, int slot, in OrderSlot want, long now)
    {
        _placed++;
        RxFeedMeters.Orders.Add(1, PlaceTag);
        OrderEvent place = Emit(new OrderEvent(book.Symbol, OrderAction.Place, Side(slot), slot / 2, NewId(), want.Price, want.Qty, now));
        var order = new OpenOrder(book, slot, place);
        book.Orders[slot] = order;
        book.PlaceInFlight[slot] = true;
        Send(order, place);
    }

    private void SendCancel(OpenOrder order, long now)
    {
        order.State = OrderState.PendingCancel;
        _cancelled++;
        RxFeedMeters.Orders.Add(1, CancelTag);
        Send(order, Emit(order.Place with { Action = OrderAction.Cancel, TsNs = now }));
    }

    /// <summary>Stamps an event no earlier than the previous one (a timer-driven place can precede a tick received earlier) and emits it.</summary>
    private OrderEvent Emit(OrderEvent e)
    {
        e = e with { TsNs = Math.Max(e.TsNs, _lastTsNs) };
        _lastTsNs = e.TsNs;
        _events.OnNext(e);
        return e;
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
            if (_wakeAt != at || _disposed)
            {
                return;
            }

            bool outer = BeginStep();
            try
            {
                _wakeAt = long.MaxValue;
                _wake = null;
                long now = Math.Max(at, _lastTsNs);
                _bucket.Refill(now);
                foreach (SymbolOrders book in _order)
                {
                    if (book.Waiting)
                    {
                        Reconcile(book, now);
                    }
                }

                ArmWake(now);
                HandleAnswers(outer);
            }
            finally
            {
                EndStep(outer);
            }
        }
    }

    private string NewId() => string.Create(CultureInfo.InvariantCulture, $"{_idPrefix}-{++_nextId}");
}
