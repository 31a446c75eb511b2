using RxFeed.Tests.Support;

namespace RxFeed.Tests.Host;

/// <summary>Usage errors (exit 2, one line on stderr, nothing on stdout), run in process through <c>Program.Main</c>.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class UsageErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxfeed-usage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Runs the host's entry point with stdout and stderr captured (safe: this collection runs alone).</summary>
    private static Rxfeed.Result Run(params string[] args)
    {
        TextWriter stdout = Console.Out, stderr = Console.Error;
        var @out = new StringWriter();
        var err = new StringWriter();
        try
        {
            Console.SetOut(@out);
            Console.SetError(err);
            int exit = global::RxFeed.Host.Program.Main(args).GetAwaiter().GetResult();
            return new Rxfeed.Result(exit, @out.ToString(), err.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    private static void ShouldBeUsageError(Rxfeed.Result r, string mentions)
    {
        r.ExitCode.Should().Be(2, r.Stderr);
        r.Stdout.Should().BeEmpty();
        string[] lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(1, "a usage error is one clear line on stderr: " + r.Stderr);
        lines[0].Should().Contain(mentions);
    }

    [Fact]
    public void Replay_MissingFile_IsUsageErrorNamingIt()
    {
        string missing = Path.Combine(_dir, "no-such-capture.txt.gz");
        ShouldBeUsageError(Run("replay", missing, "--json"), "no-such-capture.txt.gz");
        ShouldBeUsageError(Run("replay", Frames.CapturePath, missing, "--json"), "no-such-capture.txt.gz");
    }

    [Fact]
    public void Replay_NoFile_IsUsageError()
    {
        Rxfeed.Result r = Run("replay", "--json");
        r.ExitCode.Should().Be(2, r.Stderr);
        r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(1);
    }

    [Theory]
    [InlineData("--nope")]
    [InlineData("--jsn")]
    [InlineData("--max-frame-byte")]
    public void Replay_UnknownFlag_IsUsageErrorNamingIt(string flag)
    {
        ShouldBeUsageError(Run("replay", Frames.CapturePath, flag, "--json"), flag);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("0x")]
    [InlineData("-2x")]
    [InlineData("x")]
    [InlineData("1e3x")]
    [InlineData("")]
    public void Replay_BadPace_IsUsageError(string pace)
    {
        ShouldBeUsageError(Run("replay", Frames.CapturePath, "--pace", pace, "--json"), "--pace");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    [InlineData("")]
    public void Replay_BadMaxFrameBytes_IsUsageError(string value)
    {
        ShouldBeUsageError(Run("replay", Frames.CapturePath, "--max-frame-bytes", value, "--json"), "--max-frame-bytes");
    }

    [Fact]
    public void Replay_ProcessMissingFile_IsUsageErrorFromTheRealHost()
    {
        // Once as a real process: the exit code and stderr line as scripts see them.
        Rxfeed.Result r = Rxfeed.Run("replay", Path.Combine(_dir, "gone.txt"), "--json");
        r.ExitCode.Should().Be(2);
        r.Stdout.Should().BeEmpty();
        r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain("gone.txt");
    }

    [Theory]
    [InlineData("--max-reconnect-attempts", "-1")]
    [InlineData("--max-reconnect-attempts", "many")]
    [InlineData("--ping-interval", "often")]
    [InlineData("--reconnect-max", "500ms")]
    public void Run_BadConnectionFlag_IsUsageErrorNamingIt(string flag, string value)
    {
        ShouldBeUsageError(Run("run", flag, value), flag);
    }

    [Fact]
    public void Run_MissingConfigFile_IsUsageErrorNamingIt()
    {
        string missing = Path.Combine(_dir, "nope.json");

        ShouldBeUsageError(Run("run", "--config", missing), missing);
    }

    [Fact]
    public void Run_InvalidConfigValue_IsUsageErrorNamingTheKey()
    {
        string file = Path.Combine(_dir, "bad.json");
        File.WriteAllText(file, """{"RxFeed":{"StaleAfter":"never"}}""");

        ShouldBeUsageError(Run("run", "--config", file), "RxFeed:StaleAfter: 'never' is not a duration");
    }

    [Fact]
    public void Run_HedgedWithOneEndpoint_IsUsageErrorNamingTheFlag()
    {
        ShouldBeUsageError(Run("run", "--endpoint", "ws://127.0.0.1:1/ws", "--endpoint-mode", "hedged"), "--endpoint-mode: 'hedged' needs at least two endpoints");
    }

    [Fact]
    public void Run_EndpointAndEndpoints_IsUsageError()
    {
        ShouldBeUsageError(Run("run", "--endpoint", "ws://127.0.0.1:1/ws", "--endpoints", "binance"), "--endpoint and --endpoints");
    }

    [Fact]
    public void Run_MalformedConfigFile_IsUsageError()
    {
        string file = Path.Combine(_dir, "broken.json");
        File.WriteAllText(file, "{ not json");

        ShouldBeUsageError(Run("run", "--config", file), file);
    }
}

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;
