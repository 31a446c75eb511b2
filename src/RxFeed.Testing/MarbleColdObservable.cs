using System.Reactive;
using System.Reactive.Disposables;
using Microsoft.Reactive.Testing;

namespace RxFeed.Testing;

/// <summary>A cold test source whose k-th subscription replays the k-th diagram (the last one for later subscriptions).</summary>
internal sealed class MarbleColdObservable<T>(TestScheduler scheduler, IReadOnlyList<IList<Recorded<Notification<T>>>> perSubscription) : ITestableObservable<T>
{
    private readonly List<Subscription> _subscriptions = [];

    public IList<Subscription> Subscriptions => _subscriptions;

    public IList<Recorded<Notification<T>>> Messages => perSubscription[0];

    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        int index = _subscriptions.Count;
        _subscriptions.Add(new Subscription(scheduler.Clock));
        var messages = perSubscription[Math.Min(index, perSubscription.Count - 1)];
        var pending = new CompositeDisposable(messages.Count);
        foreach (var message in messages)
        {
            var notification = message.Value;
            pending.Add(scheduler.ScheduleRelative(default(object), message.Time, (_, _) =>
            {
                notification.Accept(observer);
                return Disposable.Empty;
            }));
        }

        return Disposable.Create(() =>
        {
            _subscriptions[index] = new Subscription(_subscriptions[index].Subscribe, scheduler.Clock);
            pending.Dispose();
        });
    }
}
