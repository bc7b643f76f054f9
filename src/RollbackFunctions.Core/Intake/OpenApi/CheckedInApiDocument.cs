using System.Text;

namespace RollbackFunctions.Intake.OpenApi;

/// <summary>
/// <c>docs/openapi.json</c> as checked in and embedded in the library: what the Functions app serves (it has no endpoint
/// data source to generate from). The drift test keeps it equal to what the dev host generates.
/// </summary>
public sealed class CheckedInApiDocument : IRollbackApiDocument
{
    public const string ResourceName = "RollbackFunctions.OpenApi.openapi.json";

    private readonly Lazy<string> json = new(Read);

    public Task<string> JsonAsync(CancellationToken cancellationToken) => Task.FromResult(json.Value);

    private static string Read()
    {
        using var resource = typeof(CheckedInApiDocument).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing: run ./scripts/openapi.sh to generate docs/openapi.json.");
        using var reader = new StreamReader(resource, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
