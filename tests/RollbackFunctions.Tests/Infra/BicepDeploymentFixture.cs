using System.Text.Json;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Infra;

/// <summary>
/// Compiles infra/bicep/main.bicep to its ARM template and asks the Bicep CLI for deployment snapshots: the resources
/// a deployment would create, flattened out of the nested module deployments, with every expression evaluated that
/// can be before deployment (names, ids, parameters); runtime values such as an identity's client id stay as
/// <c>[reference('...').clientId]</c> expressions naming the exact resource. Two snapshots: one with every optional
/// part switched on, and one of the shipped main.bicepparam as a first deployment would use it.
/// </summary>
public sealed class BicepDeploymentFixture : IAsyncLifetime
{
    public const string SubscriptionId = "00000000-0000-0000-0000-0000000000a1";
    public const string TenantId = "00000000-0000-0000-0000-0000000000b2";
    public const string ResourceGroup = "rg-rollback-test";
    public const string ExampleComponent = "storefront";
    public const string ExampleAlertTarget = "/subscriptions/" + SubscriptionId + "/resourceGroups/rg-shop/providers/Microsoft.Web/sites/storefront";
    public const string ProviderSecretSetting = "Rollback__Providers__github__GitHub__Token";
    public const string ProviderSecretName = "github-token";
    public const string IncidentUrl = "https://incidents.example.com/hooks/rollback";

    private string? workDirectory;

    public static string BicepDirectory => Path.Combine(RepositoryRoot.Path, "infra", "bicep");

    /// <summary>The compiled ARM template of main.bicep (modules are nested deployments with inner templates).</summary>
    public JsonElement Template { get; private set; }

    /// <summary>Predicted resources with every optional part on: Event Grid subscriptions, the example alert rule.</summary>
    public IReadOnlyList<JsonElement> Resources { get; private set; } = [];

    /// <summary>Outputs of that deployment.</summary>
    public JsonElement Outputs { get; private set; }

    /// <summary>Predicted resources of the shipped main.bicepparam, as on a first deployment.</summary>
    public IReadOnlyList<JsonElement> ShippedResources { get; private set; } = [];

    public async Task InitializeAsync()
    {
        workDirectory = Directory.CreateTempSubdirectory("rollback-bicep-").FullName;
        var mainBicep = Path.Combine(BicepDirectory, "main.bicep");
        // .bicepparam files may only name their template by a relative path.
        var usingPath = Path.GetRelativePath(workDirectory, mainBicep).Replace('\\', '/');

        var templatePath = Path.Combine(workDirectory, "main.json");
        await BicepCli.RunAsync(workDirectory, "build", mainBicep, "--outfile", templatePath);
        Template = await ReadJsonAsync(templatePath);

        var everything = Path.Combine(workDirectory, "everything.bicepparam");
        await File.WriteAllTextAsync(everything, $$"""
            using '{{usingPath}}'

            param environmentName = 'test'
            param incidentWebhookUrl = '{{IncidentUrl}}'
            param subscribeEventGrid = true
            param subscribeHealthResources = true
            param eventPublisherPrincipalIds = ['11111111-1111-1111-1111-111111111111']
            param exampleAlertComponent = '{{ExampleComponent}}'
            param exampleAlertTargetId = '{{ExampleAlertTarget}}'
            param rollbackSettings = {
              Rollback__Providers__github__Type: 'GitHubActions'
              Rollback__Components__{{ExampleComponent}}__Provider: 'github'
            }
            param providerSecrets = [
              {
                setting: '{{ProviderSecretSetting}}'
                secretName: '{{ProviderSecretName}}'
              }
            ]
            """);
        var snapshot = await SnapshotAsync(everything);
        Resources = [.. snapshot.GetProperty("predictedResources").EnumerateArray()];
        Outputs = snapshot.GetProperty("outputs");

        // The shipped parameters file, unchanged but for where it finds main.bicep.
        var shipped = Path.Combine(workDirectory, "shipped.bicepparam");
        var shippedText = await File.ReadAllTextAsync(Path.Combine(BicepDirectory, "main.bicepparam"));
        await File.WriteAllTextAsync(shipped, shippedText.Replace("using 'main.bicep'", $"using '{usingPath}'", StringComparison.Ordinal));
        ShippedResources = [.. (await SnapshotAsync(shipped)).GetProperty("predictedResources").EnumerateArray()];
    }

    public Task DisposeAsync()
    {
        if (workDirectory is not null)
        {
            Directory.Delete(workDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private async Task<JsonElement> SnapshotAsync(string parametersFile)
    {
        await BicepCli.RunAsync(
            workDirectory!, "snapshot", parametersFile, "--mode", "overwrite",
            "--tenant-id", TenantId, "--subscription-id", SubscriptionId, "--resource-group", ResourceGroup, "--location", "westeurope");
        return await ReadJsonAsync(Path.ChangeExtension(parametersFile, ".snapshot.json"));
    }

    private static async Task<JsonElement> ReadJsonAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(stream);
        return document.RootElement.Clone();
    }
}
