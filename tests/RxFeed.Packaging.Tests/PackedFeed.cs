using System.Diagnostics;
using System.Reflection;

namespace RxFeed.Packaging.Tests;

/// <summary>
/// Packs the product's projects, as built for this test run (no build of its own), into a temporary folder once per run,
/// with a NuGet configuration that takes RxFeed's packages from that folder only and everything else from the usual source.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    public static readonly string[] Packages = ["RxFeed", "RxFeed.Testing", "RxFeed.Exchange", "RxFeed.Nats", "RxFeed.Host"];

    public PackedFeed()
    {
        Repository = FindRepository();
        Root = Directory.CreateTempSubdirectory("rxfeed-pack-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        string configuration = typeof(PackedFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        foreach (string project in Packages)
        {
            Dotnet.Run(Repository, TimeSpan.FromMinutes(5), "pack", Path.Combine("src", project), "-c", configuration, "--no-build", "-o", Feed).ShouldSucceed();
        }

        Version = Path.GetFileNameWithoutExtension(Directory.GetFiles(Feed, "RxFeed.Testing.*.nupkg").Single())["RxFeed.Testing.".Length..];
        NuGetConfig = Path.Combine(Root, "nuget.config");
        string userPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

        // A fresh package folder, so a cached copy of an older build of the same version can never stand in for this one;
        // the user's folder is a read-only fallback for the dependencies the solution already restored.
        File.WriteAllText(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" /></config>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <fallbackPackageFolders><add key="user" value="{userPackages}" /></fallbackPackageFolders>
              <packageSourceMapping>
                <packageSource key="local"><package pattern="RxFeed*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    public string Repository { get; }

    public string Root { get; }

    public string Feed { get; }

    public string Version { get; }

    public string NuGetConfig { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A tool's process may still hold a file for a moment; the temporary folder is the OS's to clean.
        }
    }

    private static string FindRepository()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "RxFeed.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("RxFeed.sln not found above " + AppContext.BaseDirectory);
    }
}
