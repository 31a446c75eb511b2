namespace RxFeed.Health;

/// <summary>A change of one source symbol's <see cref="FeedState"/>.</summary>
/// <param name="Symbol">The source symbol (<c>s</c>).</param>
/// <param name="State">The new state.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="TsNs">When, in nanoseconds since the Unix epoch: the driving tick's receive time, the last tick's time plus
/// the staleness bound for <see cref="FeedState.Stale"/>, or the link event's time.</param>
public readonly record struct HealthChange(string Symbol, FeedState State, string Reason, long TsNs);
