using System.Reactive.Disposables;
using Microsoft.Reactive.Testing;

namespace RxFeed.Testing;

/// <summary>
/// Records into a test observer, but makes the test's unsubscription come first in its frame: a notification that
/// arrives in the <c>!</c> frame before the scheduled dispose ran disposes the subscription and is dropped, as if the
/// dispose had run first. Anything after the dispose is still recorded, so an operator that emits after disposal fails.
/// A terminal notification ends the subscription, as Rx's own subscribers do, so a source's <c>subs</c> line ends there.
/// </summary>
internal sealed class DisposeFirstObserver<T>(ITestableObserver<T> inner, TestScheduler scheduler, long disposeAt, SingleAssignmentDisposable subscription) : IObserver<T>
{
    public void OnNext(T value)
    {
        if (!DisposeIfDue())
        {
            inner.OnNext(value);
        }
    }

    public void OnError(Exception error)
    {
        if (!DisposeIfDue())
        {
            inner.OnError(error);
            subscription.Dispose();
        }
    }

    public void OnCompleted()
    {
        if (!DisposeIfDue())
        {
            inner.OnCompleted();
            subscription.Dispose();
        }
    }

    private bool DisposeIfDue()
    {
        if (scheduler.Clock >= disposeAt && !subscription.IsDisposed)
        {
            subscription.Dispose();
            return true;
        }

        return false;
    }
}
