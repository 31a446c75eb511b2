using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace RxFeed.Testing.Tests;

public sealed class MarbleFileTests
{
    private const string Example = """
        name: Delay shifts every element by the duration
        operator: Delay(by: 2s, note: "x y")
        frame: 1s
        until: 1m
        tags: time, example

        hot  in:  --a--b--|
        out:      ----a--b--|
        subs in:  ^-------!

        values:
          a = {"Id":1,"Name":"one"}
          b = a with {"Id":2}

        errors:
          # = TimeoutException
        """;

    private static readonly MarbleRunner Runner = new(typeof(MarbleFileTests).Assembly);

    [Fact]
    public void Parse_DesignExample_ReadsHeaderStreamsValuesAndErrors()
    {
        var file = MarbleFile.Parse(Example, "delay.marble");

        file.Name.Should().Be("Delay shifts every element by the duration");
        file.Operator.Should().Be("Delay");
        file.Arguments.Select(a => (a.Name, a.Text)).Should().Equal(("by", "2s"), ("note", "\"x y\""));
        file.Frame.Should().Be(TimeSpan.FromSeconds(1));
        file.Until.Should().Be(TimeSpan.FromMinutes(1));
        file.Tags.Should().Equal("time", "example");
        file.Streams.Select(s => (s.Kind, s.Source, s.Diagram.Trim())).Should().Equal(
            (MarbleStreamKind.Hot, "in", "--a--b--|"),
            (MarbleStreamKind.Out, null, "----a--b--|"),
            (MarbleStreamKind.Subs, "in", "^-------!"));
        file.Values['b'].Json.Should().Be("""{"Id":2,"Name":"one"}""");
        file.Errors.Should().ContainSingle().Which.Should().Be(new MarbleError("#", "TimeoutException", 16, 7));
    }

    [Fact]
    public void Parse_WithOnNestedObject_MergesFieldByField()
    {
        var file = MarbleFile.Parse("name: n\noperator: Op\nout: -a-b\nvalues:\n  a = {\"T\":{\"x\":1,\"y\":2},\"z\":3}\n  b = a with {\"T\":{\"y\":5}}\n");

        file.Values['b'].Json.Should().Be("""{"T":{"x":1,"y":5},"z":3}""");
    }

    [Fact]
    public void Run_DesignExample_Passes()
    {
        FluentActions.Invoking(() => Runner.Run(MarbleFile.Parse(Example, "delay.marble"))).Should().NotThrow();
    }

    [Fact]
    public void Run_WrongOutput_FailsNamingTheFile()
    {
        var file = MarbleFile.Parse(Example.Replace("out:      ----a--b--|", "out:      ---a--b--|", StringComparison.Ordinal), "delay.marble");

        FluentActions.Invoking(() => Runner.Run(file)).Should().Throw<MarbleAssertionException>()
            .WithMessage("delay.marble: Delay shifts every element by the duration*expected out:  ---a--b--|*actual out:    ----a--b--|*first difference at frame 3*");
    }

    [Fact]
    public void Run_WrongSubscriptions_FailsNamingTheSource()
    {
        var file = MarbleFile.Parse(Example.Replace("subs in:  ^-------!", "subs in:  ^------!", StringComparison.Ordinal), "delay.marble");

        FluentActions.Invoking(() => Runner.Run(file)).Should().Throw<MarbleAssertionException>().WithMessage("*source 'in'*expected subs[1]  ^------!*actual subs  [1]  ^-------!*");
    }

    private const string RetryFile = """
        name: Retry resubscribes at once
        operator: RetryTimes(count: 2)

        cold in[1]:  -a#
        cold in[2]:    -b#1
        out:         -a-b#1
        subs in:     ^-!
        subs in:     --^-!

        values:
          a = {"Id":1}
          b = {"Id":2}

        errors:
          #1 = System.TimeoutException
        """;

    [Fact]
    public void Run_ColdLinesPerSubscriptionAndNumberedErrors_Pass()
    {
        FluentActions.Invoking(() => Runner.Run(MarbleFile.Parse(RetryFile))).Should().NotThrow();
    }

    [Fact]
    public void Run_ExtraSubscription_FailsOnSubsLines()
    {
        var file = MarbleFile.Parse(RetryFile.Replace("count: 2", "count: 3", StringComparison.Ordinal));

        FluentActions.Invoking(() => Runner.Run(file)).Should().Throw<MarbleAssertionException>().WithMessage("*actual subs  [3]  ----^-!*");
    }

    [Fact]
    public void Run_UnknownOperator_FailsListingRegisteredOnes()
    {
        var file = MarbleFile.Parse("name: n\noperator: Nope\nout: -\n", "x.marble");

        FluentActions.Invoking(() => Runner.Run(file)).Should().Throw<MarbleAssertionException>().WithMessage("*no operator is registered as 'Nope'*Delay*");
    }

    [Fact]
    public void Run_UnknownArgument_ThrowsAtItsPosition()
    {
        var file = MarbleFile.Parse("name: n\noperator: Delay(by: 1ms, speed: 2)\nhot in: a\nout: -\nvalues:\n  a = {}\n");

        FluentActions.Invoking(() => Runner.Run(file)).Should().Throw<MarbleSyntaxException>()
            .Which.Should().Match<MarbleSyntaxException>(e => e.Line == 2 && e.Column == 33 && e.Reason.StartsWith("operator 'Delay' has no parameter 'speed'"));
    }

    [Fact]
    public void Run_BadArgumentValue_ThrowsAtItsPosition()
    {
        var file = MarbleFile.Parse("name: n\noperator: Delay(by: soon)\nhot in: a\nout: -\nvalues:\n  a = {}\n");

        FluentActions.Invoking(() => Runner.Run(file)).Should().Throw<MarbleSyntaxException>()
            .Which.Should().Match<MarbleSyntaxException>(e => e.Line == 2 && e.Column == 21);
    }

    [Fact]
    public void Run_ValueOfWrongType_ThrowsAtTheValueLine()
    {
        var file = MarbleFile.Parse("name: n\noperator: Delay(by: 1ms)\nhot in: a\nout: -\nvalues:\n  a = {\"Id\":\"one\"}\n");

        FluentActions.Invoking(() => Runner.Run(file)).Should().Throw<MarbleSyntaxException>()
            .Which.Should().Match<MarbleSyntaxException>(e => e.Line == 6 && e.Column == 7 && e.Reason.StartsWith("value 'a' is not a Item"));
    }

    [Fact]
    public void FindFolderUpwards_FromTestOutput_FindsRepositoryMarbles()
    {
        string? folder = MarbleRunner.FindFolderUpwards(AppContext.BaseDirectory);

        folder.Should().NotBeNull();
        MarbleRunner.Discover(folder!).Should().Contain(f => f.EndsWith(".marble", StringComparison.Ordinal)).And.OnlyContain(f => !f.Contains('\\'));
    }
}

public sealed record Item(int Id, string? Name = null);

internal static class TestOperators
{
    [MarbleOperator("Delay")]
    public static IObservable<Item> Delay(IObservable<Item> @in, TimeSpan by, IScheduler scheduler, string note = "") =>
        @in.Delay(by, scheduler);

    [MarbleOperator("RetryTimes")]
    public static IObservable<Item> RetryTimes(IObservable<Item> @in, int count) => @in.Retry(count);
}
