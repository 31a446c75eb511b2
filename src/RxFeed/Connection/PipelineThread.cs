using System.Reactive.Concurrency;

namespace RxFeed.Connection;

/// <summary>The threads of the live path: one for parsing, one per isolated consumer (quoting), each an event loop.</summary>
public static class PipelineThread
{
    /// <summary>A named background event loop: work scheduled on it runs in order, one item at a time.</summary>
    /// <param name="name">The thread's name, as debuggers and <c>top -H</c> show it.</param>
    /// <returns>The scheduler; dispose it to end the thread.</returns>
    public static EventLoopScheduler Create(string name = "rxfeed-pipeline") =>
        new(start => new Thread(start) { Name = name, IsBackground = true });
}
