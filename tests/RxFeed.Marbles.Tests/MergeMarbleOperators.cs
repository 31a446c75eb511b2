using RxFeed.Testing;

namespace RxFeed.Marbles.Tests;

/// <summary>The merge of redundant endpoints under marbles (marbles/merge-first-arrival): sources <c>a</c> and <c>b</c>.</summary>
internal static class MergeMarbleOperators
{
    /// <summary>The rejoin hold is judged by the ticks' own receive times (<c>ts</c> in the values, ns), not the scheduler's.</summary>
    [MarbleOperator("MergeFirstArrival")]
    public static IObservable<BookTicker> MergeFirstArrival(IObservable<BookTicker> a, IObservable<BookTicker> b, TimeSpan? rejoinHold = null) =>
        new[] { a, b }.MergeFirstArrival(null, rejoinHold);
}
