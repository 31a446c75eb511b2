using System.IO.Compression;
using System.Text;

namespace RxFeed.Tests.Support;

/// <summary>A per-test temporary directory for generated recordings, removed afterwards.</summary>
public abstract class TempDirectory : IDisposable
{
    protected string Dir { get; } = Directory.CreateTempSubdirectory("rxfeed-tests-").FullName;

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = Path.Combine(Dir, name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var z = new GZipStream(file, CompressionLevel.Fastest);
            z.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }

        return path;
    }

    protected string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));
}
