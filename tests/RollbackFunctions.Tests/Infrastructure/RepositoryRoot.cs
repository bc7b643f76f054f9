namespace RollbackFunctions.Tests.Infrastructure;

public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "RollbackFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("RollbackFunctions.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Path => Root.Value;

    /// <summary>The configuration the tests were built with (Debug from an IDE, Release from the test command).</summary>
    public static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
}
