using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RxFeed.Nats.Tests;

/// <summary>A real nats-server with JetStream on a free loopback port, its store in a temp dir; killed and removed after.</summary>
public sealed class NatsServerFixture : IDisposable
{
    private readonly string? _store;
    private Process? _process;

    public NatsServerFixture()
    {
        // Without the binary every test here is skipped; the fixture is still built, and then does nothing.
        if (NatsFactAttribute.Binary is not { } binary)
        {
            return;
        }

        _store = Directory.CreateTempSubdirectory("rxfeed-nats-").FullName;
        Port = FreePort();
        Start(binary);
    }

    public int Port { get; }

    public Uri Url => new($"nats://127.0.0.1:{Port}");

    /// <summary>Kills the server (as a crash would) and starts it again on the same port and store.</summary>
    public void Restart(TimeSpan downFor)
    {
        _process!.Kill();
        _process.WaitForExit(10_000);
        _process.Dispose();
        Thread.Sleep(downFor);
        Start(NatsFactAttribute.Binary!);
    }

    public void Dispose()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_store!, recursive: true);
        }
    }

    private void Start(string binary)
    {
        var start = new ProcessStartInfo(binary, ["-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-js", "-sd", _store!])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _process = Process.Start(start)!;
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (!Accepts(Port))
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                Dispose();
                throw new InvalidOperationException($"nats-server did not start on port {Port}");
            }

            Thread.Sleep(50);
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var c = new TcpClient();
            c.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>A test that needs nats-server: skipped, saying why, only where the binary is not installed.</summary>
public sealed class NatsFactAttribute : FactAttribute
{
    public const string Missing = "nats-server is not installed (apt-get install -y nats-server; .ci/run installs it)";

    public NatsFactAttribute()
    {
        if (Binary is null)
        {
            Skip = Missing;
        }
    }

    public static string? Binary { get; } =
        new[] { Environment.GetEnvironmentVariable("NATS_SERVER") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(d => Path.Combine(d, "nats-server")))
            .Append("/usr/sbin/nats-server")
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
}

[CollectionDefinition(Name)]
public sealed class NatsCollection : ICollectionFixture<NatsServerFixture>
{
    public const string Name = "nats-server";
}
