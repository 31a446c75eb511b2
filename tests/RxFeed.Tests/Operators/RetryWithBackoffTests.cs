using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using RxFeed.Resilience;
using RxFeed.Testing;

namespace RxFeed.Tests.Operators;

public sealed class RetryWithBackoffTests
{
    private static readonly Dictionary<char, int> Values = new() { ['a'] = 1, ['b'] = 2, ['c'] = 3 };
    private static readonly Dictionary<string, Exception> Io = new() { ["#"] = new IOException("link down") };
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static BackoffPolicy Policy(double jitter = 1.0, int maxAttempts = 0) => new()
    {
        InitialDelay = Second,
        MaxDelay = TimeSpan.FromSeconds(8),
        ResetAfter = TimeSpan.FromSeconds(5),
        MaxAttempts = maxAttempts,
        Jitter = () => jitter,
    };

    [Fact]
    public void RetryWithBackoff_NullArguments_Throw()
    {
        var source = Observable.Never<int>();
        FluentActions.Invoking(() => ((IObservable<int>)null!).RetryWithBackoff(new BackoffPolicy())).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => source.RetryWithBackoff(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => source.RetryWithBackoff(new BackoffPolicy(), (IObserver<RetryAttempt>)null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void RetryWithBackoff_InvalidPolicy_ThrowsBeforeSubscription()
    {
        FluentActions.Invoking(() => Observable.Never<int>().RetryWithBackoff(new BackoffPolicy { Multiplier = 0.5 }))
            .Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(nameof(BackoffPolicy.Multiplier));
    }

    [Fact]
    public void RetryWithBackoff_Retries_ReportsEachAttemptBeforeItsDelay()
    {
        var s = new MarbleScheduler(Second);
        var input = s.Cold(["-a#", "#", "--b#", "c|"], Values, Io);
        var retries = s.CreateObserver<RetryAttempt>();

        var output = s.Run(() => input.RetryWithBackoff(Policy(), retries, s));

        s.Expect(output, "-a-----b----c|", Values);
        retries.Messages.Select(m => (m.Time - s.Origin) / TimeSpan.TicksPerSecond).Should().Equal(2, 3, 8);
        retries.Messages.Select(m => m.Value.Value).Should().BeEquivalentTo(
            new[]
            {
                new { Attempt = 1, Delay = Second, FailedAt = DateTimeOffset.UnixEpoch.AddSeconds(2), Uptime = TimeSpan.FromSeconds(2) },
                new { Attempt = 2, Delay = 2 * Second, FailedAt = DateTimeOffset.UnixEpoch.AddSeconds(3), Uptime = TimeSpan.Zero },
                new { Attempt = 3, Delay = 4 * Second, FailedAt = DateTimeOffset.UnixEpoch.AddSeconds(8), Uptime = TimeSpan.FromSeconds(3) },
            },
            o => o.ExcludingMissingMembers());
        retries.Messages.Should().OnlyContain(m => m.Value.Value.Error is IOException);
    }

    [Fact]
    public void RetryWithBackoff_RandomJitter_StaysWithinZeroAndTheCap()
    {
        var s = new MarbleScheduler(Second);
        var input = s.Cold("#", Values, Io);
        var retries = s.CreateObserver<RetryAttempt>();
        var policy = new BackoffPolicy { InitialDelay = Second, MaxDelay = TimeSpan.FromSeconds(4), MaxAttempts = 200 };

        var output = s.Run(() => input.RetryWithBackoff(policy, retries, s), until: TimeSpan.FromHours(1));

        var attempts = retries.Messages.Select(m => m.Value.Value).ToList();
        attempts.Should().HaveCount(200);
        attempts.Should().OnlyContain(a => a.Delay >= TimeSpan.Zero && a.Delay <= policy.CapFor(a.Attempt));
        attempts.Select(a => a.Delay).Distinct().Should().HaveCountGreaterThan(100, "full jitter draws a fresh factor per retry");
        output.Messages.Should().ContainSingle().Which.Value.Exception.Should().BeOfType<IOException>();
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void RetryWithBackoff_JitterOutOfRange_ErrorsWithTypedException(double jitter)
    {
        var s = new MarbleScheduler(Second);
        var input = s.Cold("-#", Values, Io);

        var output = s.Run(() => input.RetryWithBackoff(Policy(jitter), s));

        var error = output.Messages.Single().Value.Exception.Should().BeOfType<InvalidOperationException>().Subject;
        error.InnerException.Should().BeOfType<IOException>();
    }

    [Fact]
    public void RetryWithBackoff_JitterThrows_ErrorsWithTypedException()
    {
        var s = new MarbleScheduler(Second);
        var input = s.Cold("-#", Values, Io);
        var policy = Policy();
        policy.Jitter = () => throw new InvalidDataException("broken source");

        var output = s.Run(() => input.RetryWithBackoff(policy, s));

        output.Messages.Single().Value.Exception.Should().BeOfType<InvalidOperationException>().Which.InnerException.Should().BeOfType<InvalidDataException>();
    }

    [Fact]
    public void RetryWithBackoff_PredicateThrows_ErrorsWithTypedExceptionHoldingBoth()
    {
        var s = new MarbleScheduler(Second);
        var input = s.Cold("-#", Values, Io);
        var policy = Policy();
        policy.ShouldRetry = _ => throw new InvalidDataException("broken predicate");

        var output = s.Run(() => input.RetryWithBackoff(policy, s));

        var error = output.Messages.Single().Value.Exception.Should().BeOfType<InvalidOperationException>().Subject;
        error.InnerException.Should().BeOfType<AggregateException>().Which.InnerExceptions.Select(e => e.GetType())
            .Should().Equal(typeof(IOException), typeof(InvalidDataException));
    }

    [Fact]
    public void RetryWithBackoff_ErrorNotSelected_PassesThroughWithoutRetry()
    {
        var s = new MarbleScheduler(Second);
        var input = s.Cold("-a#", Values, Io);
        var retries = s.CreateObserver<RetryAttempt>();
        var policy = Policy();
        policy.ShouldRetry = e => e is TimeoutException;

        var output = s.Run(() => input.RetryWithBackoff(policy, retries, s));

        s.Expect(output, "-a#", Values, Io);
        retries.Messages.Should().BeEmpty();
        s.ExpectSubscriptions(input.Subscriptions, "^-!");
    }

    [Fact]
    public void RetryWithBackoff_MaxAttempts_LetsTheNextFailureThrough()
    {
        var s = new MarbleScheduler(Second);
        var input = s.Cold("#", Values, Io);
        var retries = s.CreateObserver<RetryAttempt>();

        var output = s.Run(() => input.RetryWithBackoff(Policy(maxAttempts: 3), retries, s));

        s.Expect(output, "-------#", Values, Io);
        retries.Messages.Should().HaveCount(3);
    }

    [Fact]
    public void RetryWithBackoff_ZeroDelayAndSynchronousFailures_DoNotRecurse()
    {
        var s = new MarbleScheduler(Second);
        var policy = Policy(jitter: 0, maxAttempts: 100_000);

        var output = s.Run(() => Observable.Throw<int>(new IOException()).RetryWithBackoff(policy, s));

        s.Expect(output, "#", Values, Io);
    }

    [Fact]
    public void RetryWithBackoff_HealthyForResetAfter_StartsAgainAtTheInitialDelay()
    {
        var s = new MarbleScheduler(Second);
        var input = s.Cold(["#", "#", "-----#", "a|"], Values, Io);

        var output = s.Run(() => input.RetryWithBackoff(Policy(), s));

        s.Expect(output, "---------a|", Values);
        s.ExpectSubscriptions(input.Subscriptions, "(^!)", "-(^!)", "---^----!", "---------^!");
    }

    [Fact]
    public void RetryWithBackoff_DisposedDuringDelay_NeverResubscribes()
    {
        var s = new MarbleScheduler(Second);
        var input = s.Cold(["-a#", "b|"], Values, Io);

        var output = s.Run(() => input.RetryWithBackoff(Policy(), s), "^-(!)");

        s.Expect(output, "-a", Values);
        s.ExpectSubscriptions(input.Subscriptions, "^-!");
        output.Messages.Should().HaveCount(1);
    }

    [Fact]
    public void RetryWithBackoff_Completion_PassesThroughAndReportsNothing()
    {
        var s = new MarbleScheduler(Second);
        var input = s.Cold("-a-|", Values);
        var retries = s.CreateObserver<RetryAttempt>();

        var output = s.Run(() => input.RetryWithBackoff(Policy(), retries, s));

        s.Expect(output, "-a-|", Values);
        retries.Messages.Should().BeEmpty();
    }
}
