using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace RxFeed.Connection;

/// <summary>Gathers the per-symbol results of one Subscribe or Unsubscribe call; completes after the expected count.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A subject holds no resource: completing it is its end.")]
internal sealed class ResultCollector
{
    private readonly object _gate = new();
    private readonly ReplaySubject<SubscriptionResult> _results = new();
    private int _left;

    public ResultCollector(int expected)
    {
        _left = expected;
        if (expected == 0)
        {
            _results.OnCompleted();
        }
    }

    /// <summary>Gets the results, replayed to every subscriber.</summary>
    public IObservable<SubscriptionResult> Results => _results.AsObservable();

    public void Add(SubscriptionResult result)
    {
        lock (_gate)
        {
            if (_left == 0)
            {
                return;
            }

            _results.OnNext(result);
            if (--_left == 0)
            {
                _results.OnCompleted();
            }
        }
    }
}
