using Microsoft.Reactive.Testing;
using RxFeed.Connection;

namespace RxFeed.Tests.Connection;

public sealed class OutboundBudgetTests
{
    private readonly TestScheduler _scheduler = new();

    [Fact]
    public void Enqueue_Burst_SpacedEvenlyInOrder()
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
        sent.Select(s => s.Ms).Should().Equal(0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2250);
        waits.Should().Be(9);
        budget.Pending.Should().Be(0);
    }

    [Fact]
    public void Enqueue_AfterIdle_SendsAtOnceThenKeepsSpacing()
    {
        var sent = new List<long>();
        using var budget = new OutboundBudget(4, _ => Done(() => sent.Add(_scheduler.Clock)), null, _scheduler);
        budget.Enqueue("a");
        _scheduler.AdvanceTo(TimeSpan.FromMilliseconds(900).Ticks);
        budget.Enqueue("b");
        budget.Enqueue("c");
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(3).Ticks);

        sent.Should().Equal(0, TimeSpan.FromMilliseconds(900).Ticks, TimeSpan.FromMilliseconds(1150).Ticks);
    }

    [Fact]
    public void Enqueue_ManySends_NeverMoreThanLimitInAnySlidingSecond()
    {
        var sent = new List<long>();
        using var budget = new OutboundBudget(4, _ => Done(() => sent.Add(_scheduler.Clock)), null, _scheduler);
        for (int i = 0; i < 40; i++)
        {
            _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(37 * (i % 5)).Ticks);
            budget.Enqueue("x");
        }

        _scheduler.AdvanceBy(TimeSpan.FromSeconds(20).Ticks);
        sent.Should().HaveCount(40);
        sent.Select((t, i) => sent.Skip(i).Count(x => x - t < TimeSpan.TicksPerSecond)).Max().Should().BeLessThanOrEqualTo(4);
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
        // The first write only finishes at 0.5 s. Spacing and the window count from completions, and one send is in flight
        // at a time: the next starts at 0.75 s, and the fifth waits until a second after the first *completion* (1.5 s).
        var started = new List<long>();
        var firstWrite = new TaskCompletionSource();
        using var budget = new OutboundBudget(4, _ =>
        {
            started.Add(_scheduler.Clock);
            return started.Count == 1 ? firstWrite.Task : Task.CompletedTask;
        }, null, _scheduler);
        for (int i = 0; i < 5; i++)
        {
            budget.Enqueue("x");
        }

        _scheduler.AdvanceTo(TimeSpan.FromMilliseconds(400).Ticks);
        started.Should().HaveCount(1, "one send in flight at a time");
        _scheduler.AdvanceTo(TimeSpan.FromMilliseconds(500).Ticks);
        firstWrite.SetResult();
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(3).Ticks);

        started.Should().Equal(0, 7_500_000, 10_000_000, 12_500_000, 15_000_000);
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
