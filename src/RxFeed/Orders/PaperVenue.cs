using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;

namespace RxFeed.Orders;

/// <summary>
/// A simulated venue: answers every request <see cref="OrderOptions.Latency"/> after it is sent, on the scheduler (at
/// once, during the subscription, when the latency is 0), and refuses a share <see cref="OrderOptions.RejectRate"/> of
/// places, drawn from a <see cref="Random"/> seeded with <see cref="OrderOptions.Seed"/>. Cancels are never refused
/// for an order the venue holds. Requests are judged in the order they are sent, as a venue reading one connection
/// would, so a cancel sent right after its place always finds the order.
/// </summary>
public sealed class PaperVenue : IOrderVenue
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _resting = new(StringComparer.Ordinal);
    private readonly Random _random;
    private readonly IScheduler _scheduler;
    private readonly long _latencyNs;
    private readonly double _rejectRate;

    /// <summary>Initializes a new instance of the <see cref="PaperVenue"/> class.</summary>
    /// <param name="options">The latency, reject rate and seed.</param>
    /// <param name="scheduler">Runs the waits for answers.</param>
    public PaperVenue(OrderOptions options, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _random = new Random(options.Seed);
        _scheduler = scheduler ?? Scheduler.Default;
        _latencyNs = options.Latency.Ticks * 100;
        _rejectRate = options.RejectRate;
    }

    /// <inheritdoc/>
    public IObservable<VenueReply> Send(OrderEvent request) => Observable.Create<VenueReply>(observer =>
    {
        var reply = new VenueReply(Judge(request), request.TsNs + _latencyNs);
        if (_latencyNs == 0)
        {
            observer.OnNext(reply);
            observer.OnCompleted();
            return Disposable.Empty;
        }

        return Quoting.Deadline.Schedule(_scheduler, reply.TsNs, request.TsNs, _ =>
        {
            observer.OnNext(reply);
            observer.OnCompleted();
        });
    });

    private bool Judge(in OrderEvent request)
    {
        lock (_gate)
        {
            switch (request.Action)
            {
                case OrderAction.Place:
                    // No draw at a rate of 0, so a run without refusals does not depend on the seed at all.
                    bool refused = _rejectRate > 0 && _random.NextDouble() < _rejectRate;
                    return !refused && _resting.Add(request.ClientOrderId);
                case OrderAction.Cancel:
                    return _resting.Remove(request.ClientOrderId);
                default:
                    throw new ArgumentOutOfRangeException(nameof(request), request.Action, "A venue takes places and cancels only.");
            }
        }
    }
}
