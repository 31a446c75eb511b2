using System.Diagnostics;
using RxFeed.Host.Verbs;

namespace RxFeed.Tests.Host;

/// <summary>The replay's progress bar: what one line says, and that short replays never draw one.</summary>
public sealed class ReplayProgressTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void Format_SaysRatePositionFileAndTimeLeft()
    {
        string line = ReplayProgress.Format(frames: 2_000_000, seconds: 4, position: 250_000_000, totalBytes: 1_000_000_000, file: 2, files: 5);
        line.Should().StartWith("[#######.......................]  25%")
            .And.Contain("2,000,000 frames").And.Contain("0.50 M/s").And.Contain("250.0/1,000.0 MB")
            .And.Contain("file 2/5").And.EndWith("ETA 0:12");
    }

    [Fact]
    public void Format_OneFileAtTheEnd_HasNoFilePartAndNoTimeLeft()
    {
        string line = ReplayProgress.Format(10, 1, 100, 100, 1, 1);
        line.Should().StartWith("[##############################] 100%").And.NotContain("file").And.EndWith("ETA 0:00");
    }

    [Fact]
    public void Format_LongReplay_CountsHours()
    {
        ReplayProgress.Format(1, 3600, 1, 4, 1, 1).Should().EndWith("ETA 3:00:00");
    }

    [Fact]
    public void Update_NothingBeforeTwoSeconds_ThenAtMostFourTimesASecond_AndFinishClearsTheLine()
    {
        var output = new StringWriter();
        var progress = new ReplayProgress(output, 1000, 1, 0);
        progress.Update(10, 10, 1, (Second * 19) / 10);
        output.ToString().Should().BeEmpty("a replay shorter than two seconds shows no bar");

        progress.Update(20, 20, 1, 2 * Second);
        output.ToString().Should().StartWith("\r[").And.Contain("20 frames");
        int drawn = output.ToString().Length;

        progress.Update(30, 30, 1, (2 * Second) + (Second / 10));
        output.ToString().Length.Should().Be(drawn, "the next draw waits a quarter of a second");

        progress.Update(40, 40, 1, (2 * Second) + (Second / 2));
        output.ToString().Should().Contain("40 frames");

        progress.Finish();
        output.ToString().Should().EndWith("\r").And.NotContain("\n");
    }

    [Fact]
    public void Finish_WithoutADraw_WritesNothing()
    {
        var output = new StringWriter();
        new ReplayProgress(output, 1000, 1, 0).Finish();
        output.ToString().Should().BeEmpty();
    }
}
