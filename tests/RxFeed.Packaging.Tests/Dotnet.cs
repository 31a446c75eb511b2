using System.Diagnostics;

namespace RxFeed.Packaging.Tests;

/// <summary>Runs the dotnet CLI (or a tool) as a child process with a bounded wait, outside the test host's MSBuild context.</summary>
internal static class Dotnet
{
    /// <summary>The dotnet executable that runs these tests; its folder is the DOTNET_ROOT an installed tool needs.</summary>
    public static string Executable { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
        ? host
        : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    public static Result Run(string directory, TimeSpan timeout, params string[] args) => Start(Executable, directory, timeout, args);

    public static Result Start(string program, string directory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The test host runs under MSBuild's variables; a nested build must find its own SDK and settings.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (Path.IsPathRooted(Executable))
        {
            start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Executable);
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{program} {string.Join(' ', args)} did not finish within {timeout}; output: {stdout.Result}{stderr.Result}");
        }

        return new Result(string.Join(' ', args), process.ExitCode, stdout.Result, stderr.Result);
    }

    public sealed record Result(string Command, int ExitCode, string Stdout, string Stderr)
    {
        public Result ShouldSucceed()
        {
            ExitCode.Should().Be(0, $"`{Command}` must succeed; stdout: {Stdout}\nstderr: {Stderr}");
            return this;
        }
    }
}
