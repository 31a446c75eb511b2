using RxFeed.Testing;

namespace RxFeed.Marbles.Tests;

/// <summary>The merge of redundant endpoints under marbles (marbles/merge-first-arrival): sources <c>a</c> and <c>b</c>.</summary>
internal static class MergeMarbleOperators
{
    [MarbleOperator("MergeFirstArrival")]
    public static IObservable<BookTicker> MergeFirstArrival(IObservable<BookTicker> a, IObservable<BookTicker> b) =>
        new[] { a, b }.MergeFirstArrival();
}
