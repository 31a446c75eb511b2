using System.Text.Encodings.Web;
using System.Text.Json;

namespace RxFeed.Host.Output;

/// <summary>Writes one JSON object per line to a file (the <c>--*-out</c> outputs); flushed when disposed.</summary>
internal sealed class NdjsonWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;

    public NdjsonWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _json = new Utf8JsonWriter(_file, Options);
    }

    /// <summary>Writes one line: <paramref name="write"/> fills the object between its braces.</summary>
    /// <param name="write">Writes the properties.</param>
    public void WriteLine(Action<Utf8JsonWriter> write)
    {
        _json.WriteStartObject();
        write(_json);
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _file.WriteByte((byte)'\n');
    }

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }
}
