using RxFeed.Testing;

namespace RxFeed.Marbles.Tests;

/// <summary>Runs every marbles/**/*.marble file of the repository as its own test case.</summary>
public sealed class MarbleFileTests
{
    private static readonly MarbleRunner Runner = new(typeof(MarbleOperators).Assembly);

    public static string Folder { get; } =
        MarbleRunner.FindFolderUpwards(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException($"No marbles/ folder above {AppContext.BaseDirectory}.");

    public static TheoryData<MarbleCase> Files()
    {
        var data = new TheoryData<MarbleCase>();
        foreach (var file in MarbleRunner.Discover(Folder))
        {
            data.Add(new MarbleCase(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void MarbleFile_RunAgainstItsOperator_MatchesDiagram(MarbleCase file)
    {
        var marble = MarbleFile.Load(Path.Combine(Folder, file.Path));

        Runner.Run(marble);
    }

    [Fact]
    public void Discover_MarblesFolder_FindsFiles()
    {
        MarbleRunner.Discover(Folder).Should().NotBeEmpty("the suite must fail when it finds no marble files");
    }

    [Fact]
    public void Discover_EveryRegisteredOperator_HasAtLeastOneFile()
    {
        var used = MarbleRunner.Discover(Folder).Select(f => MarbleFile.Load(Path.Combine(Folder, f)).Operator).ToHashSet();

        Runner.Operators.Should().OnlyContain(name => used.Contains(name), "every registered operator is specified by marble files");
    }
}
