using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace RxFeed.Packaging.Tests;

/// <summary>The packages as a user gets them: packed, restored from a local feed only, built against and run.</summary>
public sealed class PackageTests(PackedFeed packed) : IClassFixture<PackedFeed>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    [Fact]
    public void EveryPackage_CarriesItsReadmeLicenceRepositoryDocsAndSymbols()
    {
        foreach (string id in new[] { "RxFeed", "RxFeed.Testing", "RxFeed.Exchange", "RxFeed.Nats" })
        {
            using ZipArchive nupkg = ZipFile.OpenRead(Path.Combine(packed.Feed, $"{id}.{packed.Version}.nupkg"));
            string nuspec = ReadEntry(nupkg, $"{id}.nuspec");
            nuspec.Should().Contain("<license type=\"expression\">MIT</license>").And.Contain("<readme>README.md</readme>").And.Contain("<repository type=\"git\" url=\"https://");
            nupkg.Entries.Select(e => e.FullName).Should().Contain("README.md").And.Contain(n => n.StartsWith("lib/net10.0/", StringComparison.Ordinal) && n.EndsWith(".xml", StringComparison.Ordinal), "XML docs ship with the library");
            File.Exists(Path.Combine(packed.Feed, $"{id}.{packed.Version}.snupkg")).Should().BeTrue("symbols are packed beside {0}", id);
        }
    }

    [Fact]
    public void Consumer_BuiltAgainstTheLocalFeedOnly_StreamsFromALocalExchangeAndRunsAMarble()
    {
        string project = Directory.CreateDirectory(Path.Combine(packed.Root, "consumer")).FullName;
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "consumer")))
        {
            File.Copy(file, Path.Combine(project, Path.GetFileName(file)), overwrite: true);
        }

        File.Copy(packed.NuGetConfig, Path.Combine(project, "nuget.config"), overwrite: true);

        Dotnet.Result run = Dotnet.Run(project, Bound, "run", "-c", "Release", $"-p:RxFeedVersion={packed.Version}").ShouldSucceed();

        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Where(l => l.StartsWith("tick ADAUSDT u=", StringComparison.Ordinal)).Should().HaveCount(5, run.Stdout);
        lines.Should().Contain("marble ok").And.Contain("nats options ok");
        string restored = Path.Combine(packed.Root, "packages", "rxfeed", packed.Version);
        Directory.Exists(restored).Should().BeTrue("RxFeed was restored from the local feed into the fresh package folder");
    }

    [Fact]
    public void Tool_InstalledWithToolPath_ReplaysTheSharedCapture()
    {
        string tools = Path.Combine(packed.Root, "tools");
        Dotnet.Run(packed.Root, Bound, "tool", "install", "RxFeed.Cli", "--version", packed.Version, "--tool-path", tools, "--configfile", packed.NuGetConfig).ShouldSucceed();
        string capture = Path.Combine(packed.Repository, "tests", "data", "binance-spot-ethusdt-20240808.txt.gz");

        Dotnet.Result replay = Dotnet.Start(Path.Combine(tools, "rxfeed"), packed.Root, Bound, "replay", capture, "--json").ShouldSucceed();

        using JsonDocument summary = JsonDocument.Parse(replay.Stdout);
        summary.RootElement.GetProperty("lines").GetInt64().Should().Be(33618);
        summary.RootElement.GetProperty("bookTickers").GetInt64().Should().Be(24077);
        Dotnet.Start(Path.Combine(tools, "rxfeed"), packed.Root, Bound, "--version").ShouldSucceed().Stdout.Should().Contain(packed.Version);
    }

    private static string ReadEntry(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
