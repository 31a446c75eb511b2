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
        using var budget = new OutboundBudget(4, t => sent.Add((_scheduler.Clock / TimeSpan.TicksPerMillisecond, t)), () => waits++, _scheduler);
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
        using var budget = new OutboundBudget(4, _ => sent.Add(_scheduler.Clock), null, _scheduler);

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
        var budget = new OutboundBudget(1, sent.Add, null, _scheduler);
        budget.Enqueue("a");
        budget.Enqueue("b");
        budget.Dispose();
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);

        sent.Should().Equal("a");
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
}
