using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using RxFeed.Quoting;

namespace RxFeed.Orders;

/// <summary>The paper order manager as an Rx operator.</summary>
public static class OrderObservable
{
    /// <summary>Drives a fresh <see cref="PaperOrderManager"/> with the quote updates and emits what it does.</summary>
    /// <param name="quotes">Quote updates of the quote engine.</param>
    /// <param name="options">The order settings.</param>
    /// <param name="scheduler">Runs the waits for tokens and the paper venue's answers.</param>
    /// <returns>The order actions; completes or fails with <paramref name="quotes"/>.</returns>
    public static IObservable<OrderEvent> ManageOrders(this IObservable<QuoteUpdate> quotes, OrderOptions options, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(quotes);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Observable.Create<OrderEvent>(observer =>
        {
            var manager = new PaperOrderManager(options, scheduler ?? Scheduler.Default);
            IDisposable events = manager.Events.Subscribe(observer.OnNext);
            IDisposable input = quotes.Subscribe(q => manager.Apply(q), observer.OnError, observer.OnCompleted);
            return new CompositeDisposable(input, events, manager);
        });
    }
}
