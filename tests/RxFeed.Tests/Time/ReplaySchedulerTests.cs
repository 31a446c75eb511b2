using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using FluentAssertions;
using RxFeed.Time;
using Xunit;

namespace RxFeed.Tests.Time;

public class ReplaySchedulerTests
{
    [Fact]
    public void Advance_runs_every_item_due_by_then_in_order_and_stops_the_clock_there()
    {
        var scheduler = new ReplayScheduler(1_000);
        var runs = new List<(string Name, long At)>();
        scheduler.ScheduleAbsolute("c", 1_300, (s, name) => Record(s, name));
        scheduler.ScheduleAbsolute("a", 1_100, (s, name) => Record(s, name));
        scheduler.ScheduleAbsolute("b", 1_200, (s, name) => Record(s, name));

        scheduler.Advance(1_050);
        runs.Should().BeEmpty();
        scheduler.Clock.Should().Be(1_050);

        scheduler.Advance(1_200);
        runs.Should().Equal(("a", 1_100), ("b", 1_200));
        scheduler.Clock.Should().Be(1_200);

        scheduler.Advance(5_000);
        runs.Should().Equal(("a", 1_100), ("b", 1_200), ("c", 1_300));
        scheduler.Clock.Should().Be(5_000);

        IDisposable Record(IScheduler s, string name)
        {
            runs.Add((name, ((ReplayScheduler)s).Clock));
            return Disposable.Empty;
        }
    }

    [Fact]
    public void Advance_sees_an_item_queued_earlier_than_every_item_before_it()
    {
        // The skip-ahead bound must fall when an earlier item arrives after a later one was queued.
        var scheduler = new ReplayScheduler(0);
        var ran = new List<long>();
        scheduler.ScheduleAbsolute(0, 10_000, (s, _) => Mark(s));
        scheduler.Advance(100);
        scheduler.ScheduleAbsolute(0, 500, (s, _) => Mark(s));

        scheduler.Advance(499);
        ran.Should().BeEmpty();
        scheduler.Advance(500);
        ran.Should().Equal(500);

        IDisposable Mark(IScheduler s)
        {
            ran.Add(((ReplayScheduler)s).Clock);
            return Disposable.Empty;
        }
    }

    [Fact]
    public void Advance_runs_what_an_item_schedules_for_now_and_for_later_within_the_same_move()
    {
        var scheduler = new ReplayScheduler(0);
        var ran = new List<(string, long)>();
        scheduler.ScheduleAbsolute(0, 100, (s, _) =>
        {
            ran.Add(("first", scheduler.Clock));
            s.Schedule(() => ran.Add(("now", scheduler.Clock)));
            s.Schedule(TimeSpan.FromTicks(1), () => ran.Add(("+100ns", scheduler.Clock)));
            return Disposable.Empty;
        });

        scheduler.Advance(1_000);

        ran.Should().Equal(("first", 100L), ("now", 100L), ("+100ns", 200L));
    }

    [Fact]
    public void Advance_skips_a_cancelled_item_and_matches_AdvanceTo_on_the_same_schedule()
    {
        long[] times = [50, 120, 120, 400, 401, 10_000];
        List<long> viaAdvance = Run(s => s.Advance);
        List<long> viaAdvanceTo = Run(s => s.AdvanceTo);

        viaAdvance.Should().Equal(viaAdvanceTo).And.Equal(120, 400, 10_000);

        List<long> Run(Func<ReplayScheduler, Action<long>> move)
        {
            var scheduler = new ReplayScheduler(0);
            var ran = new List<long>();
            foreach (long due in new long[] { 120, 400, 10_000 })
            {
                scheduler.ScheduleAbsolute(0, due, (s, _) => Mark(s, ran));
            }

            IDisposable cancelled = scheduler.ScheduleAbsolute(0, 60, (s, _) => Mark(s, ran));
            cancelled.Dispose();
            foreach (long t in times)
            {
                if (t > scheduler.Clock)
                {
                    move(scheduler)(t);
                }
            }

            return ran;
        }

        static IDisposable Mark(IScheduler s, List<long> ran)
        {
            ran.Add(((ReplayScheduler)s).Clock);
            return Disposable.Empty;
        }
    }

    [Fact]
    public void Advance_to_an_earlier_time_is_refused_like_AdvanceTo()
    {
        var scheduler = new ReplayScheduler(1_000);
        FluentActions.Invoking(() => scheduler.Advance(999)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
