using Microsoft.Reactive.Testing;
using RxFeed.Connection;

namespace RxFeed.Tests.Connection;

public sealed class OutboundBudgetTests
{
    private readonly TestScheduler _scheduler = new();

    [Fact]
    public void Enqueue_BurstOverBudget_SpreadsOverSecondsInOrder()
    {
        var sent = new List<(long Ms, string Text)>();
        long waits = 0;
        using var budget = new OutboundBudget(4, t => Done(() => sent.Add((_scheduler.Clock / TimeSpan.TicksPerMillisecond, t))), () => waits++, _scheduler);
        for (int i = 0; i < 10; i++)
        {
            budget.Enqueue(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);

        sent.Select(s => s.Text).Should().Equal("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        sent.Select(s => s.Ms).Should().Equal(0, 0, 0, 0, 1000, 1000, 1000, 1000, 2000, 2000);
        waits.Should().Be(6);
        budget.Pending.Should().Be(0);
    }

    [Fact]
    public void Enqueue_SpacedSends_NeverExceedLimitInSlidingSecond()
    {
        var sent = new List<long>();
        using var budget = new OutboundBudget(4, _ => Done(() => sent.Add(_scheduler.Clock)), null, _scheduler);

        // Four at 0.9 s, then four more at 1.5 s: a refilling bucket would let the second four through at 1.5 s,
        // but 0.9..1.5 is within one second, so they must wait until 1.9 s.
        _scheduler.AdvanceTo(TimeSpan.FromMilliseconds(900).Ticks);
        for (int i = 0; i < 4; i++)
        {
            budget.Enqueue("a");
        }

        _scheduler.AdvanceTo(TimeSpan.FromMilliseconds(1500).Ticks);
        for (int i = 0; i < 4; i++)
        {
            budget.Enqueue("b");
        }

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(3).Ticks);
        sent.Skip(4).Should().AllSatisfy(t => t.Should().Be(TimeSpan.FromMilliseconds(1900).Ticks));
    }

    [Fact]
    public void Dispose_WithPending_SendsNothingMore()
    {
        var sent = new List<string>();
        var budget = new OutboundBudget(1, t => Done(() => sent.Add(t)), null, _scheduler);
        budget.Enqueue("a");
        budget.Enqueue("b");
        budget.Dispose();
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);

        sent.Should().Equal("a");
    }

    [Fact]
    public void Enqueue_SlowSends_CountSlotsWhenTheSendCompletes()
    {
        // Four sends start at 0 but the socket only finishes writing them at 0.5 s: the fifth may start at 1.5 s, not 1 s,
        // so a delayed write never lands in the same server-side second as the next ones.
        var started = new List<long>();
        var writes = new List<TaskCompletionSource>();
        using var budget = new OutboundBudget(4, _ =>
        {
            started.Add(_scheduler.Clock);
            var write = new TaskCompletionSource(TaskCreationOptions.None);
            writes.Add(write);
            return write.Task;
        }, null, _scheduler);
        for (int i = 0; i < 5; i++)
        {
            budget.Enqueue("x");
        }

        started.Should().HaveCount(1, "one send in flight at a time");
        _scheduler.AdvanceTo(TimeSpan.FromMilliseconds(500).Ticks);
        for (int i = 0; i < 4; i++)
        {
            writes[i].SetResult();
        }

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(3).Ticks);
        writes[4].SetResult();

        started.Should().Equal(0, 5_000_000, 5_000_000, 5_000_000, 15_000_000);
    }

    [Fact]
    public void Acquire_OverAttemptLimit_WaitsForTheWindow()
    {
        var limiter = new ConnectionAttemptLimiter(3, TimeSpan.FromMinutes(5));
        var granted = new List<long>();
        for (int i = 0; i < 4; i++)
        {
            limiter.Acquire(_scheduler).Subscribe(_ => granted.Add(_scheduler.Clock));
        }

        _scheduler.AdvanceBy(TimeSpan.FromMinutes(6).Ticks);

        granted.Should().Equal(0, 0, 0, TimeSpan.FromMinutes(5).Ticks);
        limiter.Waits.Should().Be(1);
    }

    private static Task Done(Action action)
    {
        action();
        return Task.CompletedTask;
    }
}
