namespace RxFeed.Host;

/// <summary>The <c>rxfeed</c> console host.</summary>
internal static class Program
{
    private static int Main(string[] args) => args.Length == 0 ? 2 : 0;
}
