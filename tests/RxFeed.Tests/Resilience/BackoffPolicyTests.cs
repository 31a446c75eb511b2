using RxFeed.Resilience;

namespace RxFeed.Tests.Resilience;

public sealed class BackoffPolicyTests
{
    [Fact]
    public void BackoffPolicy_Defaults_AreDocumentedValuesAndValid()
    {
        var policy = new BackoffPolicy();

        (policy.InitialDelay, policy.MaxDelay, policy.Multiplier, policy.ResetAfter, policy.MaxAttempts)
            .Should().Be((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 2.0, TimeSpan.FromSeconds(60), 0));
        policy.Invoking(p => p.Validate()).Should().NotThrow();
    }

    public static TheoryData<BackoffPolicy, string> Invalid() => new()
    {
        { new BackoffPolicy { InitialDelay = TimeSpan.FromTicks(-1) }, nameof(BackoffPolicy.InitialDelay) },
        { new BackoffPolicy { InitialDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromSeconds(4) }, nameof(BackoffPolicy.MaxDelay) },
        { new BackoffPolicy { Multiplier = 0.99 }, nameof(BackoffPolicy.Multiplier) },
        { new BackoffPolicy { Multiplier = double.NaN }, nameof(BackoffPolicy.Multiplier) },
        { new BackoffPolicy { Multiplier = double.PositiveInfinity }, nameof(BackoffPolicy.Multiplier) },
        { new BackoffPolicy { ResetAfter = TimeSpan.Zero }, nameof(BackoffPolicy.ResetAfter) },
        { new BackoffPolicy { MaxAttempts = -1 }, nameof(BackoffPolicy.MaxAttempts) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_OutOfRange_ThrowsNamingTheSetting(BackoffPolicy policy, string setting)
    {
        policy.Invoking(p => p.Validate()).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(setting);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(1000, 30)]
    public void CapFor_Attempt_GrowsByMultiplierUpToMax(int attempt, int seconds)
    {
        new BackoffPolicy().CapFor(attempt).Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.5, 2000)]
    [InlineData(1.0, 4000)]
    public void DelayFor_Jitter_ScalesTheCap(double jitter, int milliseconds)
    {
        new BackoffPolicy().DelayFor(3, jitter).Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void DelayFor_JitterOutsideUnitInterval_Throws(double jitter)
    {
        new BackoffPolicy().Invoking(p => p.DelayFor(1, jitter)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void CapFor_AttemptBelowOne_Throws()
    {
        new BackoffPolicy().Invoking(p => p.CapFor(0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
