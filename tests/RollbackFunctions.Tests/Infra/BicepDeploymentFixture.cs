using System.Text.Json;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Infra;

/// <summary>
/// Compiles infra/bicep/main.bicep to its ARM template and asks the Bicep CLI for deployment snapshots: the resources
/// a deployment would create, flattened out of the nested module deployments, with every expression evaluated that
/// can be before deployment (names, ids, parameters); runtime values such as an identity's client id stay as
/// <c>[reference('...').clientId]</c> expressions naming the exact resource. Snapshots: one with every optional part
/// switched on (public network), the same in private-network mode, the same keeping the callers' keys, the shipped main.bicepparam as a first
/// deployment would use it, and the second phase (eventgrid-subscriptions.bicepparam) with the first's outputs in its
/// environment, as azd's postdeploy hook deploys it.
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
    public const string PipelinePrincipalId = "22222222-2222-2222-2222-222222222222";
    public const string PublisherPrincipalId = "11111111-1111-1111-1111-111111111111";
    public const string AuthClientId = "33333333-3333-3333-3333-333333333333";
    public const string AuthApplicationObjectId = "44444444-4444-4444-4444-444444444444";
    public const string AuthIssuer = "https://login.example.test/" + TenantId + "/v2.0";

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

    /// <summary>Predicted resources with every optional part on and <c>privateNetworking = true</c>.</summary>
    public IReadOnlyList<JsonElement> PrivateResources { get; private set; } = [];

    /// <summary>Predicted resources with every optional part on and <c>writeCallerKeys = false</c>: the keys are kept.</summary>
    public IReadOnlyList<JsonElement> KeptKeysResources { get; private set; } = [];

    /// <summary>The postdeploy hook's deployment (eventgrid-subscriptions.bicepparam) after the "everything" one.</summary>
    public IReadOnlyList<JsonElement> SubscriptionPhaseResources { get; private set; } = [];

    /// <summary>The environment that deployment read: the first deployment's outputs, as azd passes them to hooks.</summary>
    public IReadOnlyDictionary<string, string> SubscriptionPhaseEnvironment { get; private set; } = new Dictionary<string, string>();

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
        var everythingText = $$"""
            using '{{usingPath}}'

            param environmentName = 'test'
            param incidentWebhookUrl = '{{IncidentUrl}}'
            param subscribeEventGrid = true
            param subscribeHealthResources = true
            param eventPublisherPrincipalIds = ['{{PublisherPrincipalId}}']
            param pipelinePrincipalIds = ['{{PipelinePrincipalId}}']
            param authClientId = '{{AuthClientId}}'
            param authOpenIdIssuer = '{{AuthIssuer}}'
            param authApplicationObjectId = '{{AuthApplicationObjectId}}'
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
            """;
        await File.WriteAllTextAsync(everything, everythingText);
        var snapshot = await SnapshotAsync(everything);
        Resources = [.. snapshot.GetProperty("predictedResources").EnumerateArray()];
        Outputs = snapshot.GetProperty("outputs");

        var privateNetwork = Path.Combine(workDirectory, "private.bicepparam");
        await File.WriteAllTextAsync(privateNetwork, everythingText + "\nparam privateNetworking = true\n");
        PrivateResources = [.. (await SnapshotAsync(privateNetwork)).GetProperty("predictedResources").EnumerateArray()];

        var keptKeys = Path.Combine(workDirectory, "kept-keys.bicepparam");
        await File.WriteAllTextAsync(keptKeys, everythingText + "\nparam writeCallerKeys = false\n");
        KeptKeysResources = [.. (await SnapshotAsync(keptKeys)).GetProperty("predictedResources").EnumerateArray()];

        // The second phase as the postdeploy hook runs it: main.bicep's outputs are the azd environment.
        SubscriptionPhaseEnvironment = Outputs.EnumerateObject()
            .Where(output => output.Value.ValueKind == JsonValueKind.String)
            .ToDictionary(output => output.Name, output => output.Value.GetString()!, StringComparer.Ordinal);
        var subscriptionPhase = await CopyShippedParametersAsync(workDirectory, "eventgrid-subscriptions");
        SubscriptionPhaseResources = [.. (await SnapshotAsync(subscriptionPhase, SubscriptionPhaseEnvironment)).GetProperty("predictedResources").EnumerateArray()];

        // The shipped parameters file, unchanged but for where it finds main.bicep.
        var shipped = await CopyShippedParametersAsync(workDirectory, "main");
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

    /// <summary>
    /// Copies infra/bicep/{name}.bicepparam into <paramref name="directory"/>, unchanged but for where it finds
    /// {name}.bicep (.bicepparam files may only name their template by a relative path), and returns the copy's path.
    /// </summary>
    public static async Task<string> CopyShippedParametersAsync(string directory, string name)
    {
        var copy = Path.Combine(directory, $"shipped-{name}.bicepparam");
        var text = await File.ReadAllTextAsync(Path.Combine(BicepDirectory, $"{name}.bicepparam"));
        var usingPath = Path.GetRelativePath(directory, Path.Combine(BicepDirectory, $"{name}.bicep")).Replace('\\', '/');
        await File.WriteAllTextAsync(copy, text.Replace($"using '{name}.bicep'", $"using '{usingPath}'", StringComparison.Ordinal));
        return copy;
    }

    /// <summary>The Bicep CLI's deployment snapshot of a parameters file in this fixture's test subscription.</summary>
    public static async Task<JsonElement> SnapshotAsync(string directory, string parametersFile, IReadOnlyDictionary<string, string>? environment = null)
    {
        await BicepCli.RunAsync(
            directory, environment ?? new Dictionary<string, string>(), "snapshot", parametersFile, "--mode", "overwrite",
            "--tenant-id", TenantId, "--subscription-id", SubscriptionId, "--resource-group", ResourceGroup, "--location", "westeurope");
        return await ReadJsonAsync(Path.ChangeExtension(parametersFile, ".snapshot.json"));
    }

    private Task<JsonElement> SnapshotAsync(string parametersFile, IReadOnlyDictionary<string, string>? environment = null) =>
        SnapshotAsync(workDirectory!, parametersFile, environment);

    private static async Task<JsonElement> ReadJsonAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(stream);
        return document.RootElement.Clone();
    }
}
