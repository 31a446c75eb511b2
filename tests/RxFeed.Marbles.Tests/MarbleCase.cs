using Xunit.Abstractions;

namespace RxFeed.Marbles.Tests;

/// <summary>One marble file as a theory row; its ToString is the path, so the test's display name holds the whole file name.</summary>
public sealed class MarbleCase : IXunitSerializable
{
    public MarbleCase()
    {
    }

    public MarbleCase(string path) => Path = path;

    public string Path { get; private set; } = string.Empty;

    public void Deserialize(IXunitSerializationInfo info) => Path = info.GetValue<string>(nameof(Path));

    public void Serialize(IXunitSerializationInfo info) => info.AddValue(nameof(Path), Path);

    public override string ToString() => Path;
}
