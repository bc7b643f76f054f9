using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Infra;

/// <summary>
/// azure.yaml, checked offline the way `azd up` reads it: the Bicep infrastructure it names, the Functions app
/// service, and the postdeploy hook that creates the Event Grid subscriptions once the code answers the handshake.
/// The bash hook runs for real against a stand-in `az` on PATH that records its calls and fails on request.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class AzdTemplateTests
{
    private static string Root => RepositoryRoot.Path;

    [Fact]
    public void Azure_yaml_provisions_infra_bicep_main_with_Bicep()
    {
        var yaml = AzureYaml.Load();
        var infra = AzureYaml.Mapping(yaml.Root, "infra");

        Assert.Matches("^[a-z][a-z0-9-]+$", AzureYaml.Text(yaml.Root, "name"));
        Assert.Matches(@"^[a-z0-9-]+@\d+\.\d+\.\d+$", AzureYaml.Text(AzureYaml.Mapping(yaml.Root, "metadata"), "template"));
        Assert.Equal("bicep", AzureYaml.Text(infra, "provider"));
        Assert.Equal("infra/bicep", AzureYaml.Text(infra, "path"));
        Assert.Equal("main", AzureYaml.Text(infra, "module"));
        var directory = Path.Combine(Root, AzureYaml.Text(infra, "path"));
        Assert.True(File.Exists(Path.Combine(directory, "main.bicep")));
    }

    [Fact]
    public void Azd_deploys_with_main_bicepparam_which_names_main_bicep()
    {
        // azd prefers <module>.bicepparam to <module>.bicep when both exist, so this file is what `azd provision`
        // deploys; it must be a parameters file for main.bicep, as it is for the az CLI.
        var parameters = File.ReadAllText(Path.Combine(Root, "infra", "bicep", "main.bicepparam"));

        Assert.StartsWith("using 'main.bicep'", parameters.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("readEnvironmentVariable('AZURE_ENV_NAME'", parameters, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Root, "infra", "bicep", "main.parameters.json")), "azd would never read it: main.bicepparam wins");
    }

    [Fact]
    public async Task Main_bicepparam_takes_the_environment_name_and_switches_from_the_azd_environment()
    {
        var work = Directory.CreateTempSubdirectory("rollback-azd-").FullName;
        try
        {
            var output = Path.Combine(work, "parameters.json");
            await BicepCli.RunAsync(
                work,
                new Dictionary<string, string>
                {
                    ["AZURE_ENV_NAME"] = "azd-staging",
                    ["ROLLBACK_PRIVATE_NETWORKING"] = "true",
                    ["ROLLBACK_AUTH_CLIENT_ID"] = "55555555-5555-5555-5555-555555555555",
                    ["ROLLBACK_PIPELINE_PRINCIPAL_IDS"] = "aaaaaaaa-0000-0000-0000-000000000001, aaaaaaaa-0000-0000-0000-000000000002",
                },
                "build-params", Path.Combine(Root, "infra", "bicep", "main.bicepparam"), "--outfile", output);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var parameters = document.RootElement.GetProperty("parameters");

            Assert.Equal("azd-staging", parameters.GetProperty("environmentName").GetProperty("value").GetString());
            Assert.Equal(JsonValueKind.True, parameters.GetProperty("privateNetworking").GetProperty("value").ValueKind);
            Assert.Equal("55555555-5555-5555-5555-555555555555", parameters.GetProperty("authClientId").GetProperty("value").GetString());
            Assert.Equal(
                ["aaaaaaaa-0000-0000-0000-000000000001", "aaaaaaaa-0000-0000-0000-000000000002"],
                parameters.GetProperty("pipelinePrincipalIds").GetProperty("value").EnumerateArray().Select(id => id.GetString()));
            Assert.Equal(JsonValueKind.False, parameters.GetProperty("subscribeEventGrid").GetProperty("value").ValueKind);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Theory]
    // First provisioning: azd has no outputs of main.bicep yet, so the keys are drawn and written.
    [InlineData(null, null, true)]
    // Later provisionings (KEY_VAULT_NAME is an output azd keeps): the keys stay, callers keep theirs.
    [InlineData("kv-rb-abc", null, false)]
    // A rotation on request.
    [InlineData("kv-rb-abc", "true", true)]
    // The az CLI alone, keys kept on request.
    [InlineData(null, "false", false)]
    public async Task Main_bicepparam_writes_the_caller_keys_on_the_first_provisioning_or_on_request(string? keyVaultName, string? rotate, bool written)
    {
        var work = Directory.CreateTempSubdirectory("rollback-azd-").FullName;
        try
        {
            var environment = new Dictionary<string, string>();
            if (keyVaultName is not null)
            {
                environment["KEY_VAULT_NAME"] = keyVaultName;
            }

            if (rotate is not null)
            {
                environment["ROLLBACK_ROTATE_CALLER_KEYS"] = rotate;
            }

            var output = Path.Combine(work, "parameters.json");
            await BicepCli.RunAsync(work, environment, "build-params", Path.Combine(Root, "infra", "bicep", "main.bicepparam"), "--outfile", output);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var parameters = document.RootElement.GetProperty("parameters");

            Assert.Equal(written ? JsonValueKind.True : JsonValueKind.False, parameters.GetProperty("writeCallerKeys").GetProperty("value").ValueKind);
            // The keys themselves never come from a parameters file: the template draws them.
            Assert.False(parameters.TryGetProperty("alertsKey", out _));
            Assert.False(parameters.TryGetProperty("eventsKey", out _));
            Assert.False(parameters.TryGetProperty("pipelineKey", out _));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Postdeploy_phase_without_a_Health_Resources_topic_subscribes_the_custom_topic_alone()
    {
        // azd's default: ROLLBACK_SUBSCRIBE_HEALTH_RESOURCES unset, so main.bicep outputs an empty health topic name.
        var work = Directory.CreateTempSubdirectory("rollback-azd-").FullName;
        try
        {
            var parameters = await BicepDeploymentFixture.CopyShippedParametersAsync(work, "eventgrid-subscriptions");
            var environment = AzdEnvironment();
            environment["EVENT_GRID_HEALTH_TOPIC_NAME"] = string.Empty;
            var snapshot = await BicepDeploymentFixture.SnapshotAsync(work, parameters, environment);

            var subscription = Assert.Single(snapshot.GetProperty("predictedResources").EnumerateArray());
            Assert.Equal("Microsoft.EventGrid/topics/eventSubscriptions", subscription.GetProperty("type").GetString());
            Assert.EndsWith("/providers/Microsoft.EventGrid/topics/evgt-rollback-abc/eventSubscriptions/rollback-app", subscription.GetProperty("id").GetString(), StringComparison.Ordinal);
            // No app registration configured: the events key alone.
            Assert.False(subscription.GetProperty("properties").GetProperty("destination").GetProperty("properties")
                .TryGetProperty("azureActiveDirectoryApplicationIdOrUri", out _));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void Azure_yaml_deploys_the_Functions_app_project_as_service_api()
    {
        var services = AzureYaml.Load().Services;
        var api = services["api"];

        Assert.Single(services);
        Assert.Equal("src/RollbackFunctions.FunctionApp", AzureYaml.Text(api, "project"));
        Assert.Equal("dotnet", AzureYaml.Text(api, "language"));
        Assert.Equal("function", AzureYaml.Text(api, "host"));
        var project = File.ReadAllText(Path.Combine(Root, "src", "RollbackFunctions.FunctionApp", "RollbackFunctions.FunctionApp.csproj"));
        Assert.Contains("<AzureFunctionsVersion>", project, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("posix", "sh", "infra/hooks/postdeploy.sh")]
    [InlineData("windows", "pwsh", "infra/hooks/postdeploy.ps1")]
    public void Postdeploy_hook_is_declared_for_each_shell_and_is_an_executable_script(string platform, string shell, string script)
    {
        var hook = AzureYaml.Mapping(AzureYaml.Mapping(AzureYaml.Mapping(AzureYaml.Load().Root, "hooks"), "postdeploy"), platform);
        var path = Path.Combine(Root, script);

        Assert.Equal(shell, AzureYaml.Text(hook, "shell"));
        Assert.Equal(script, AzureYaml.Text(hook, "run"));
        Assert.Equal("false", AzureYaml.Text(hook, "continueOnError"));
        Assert.True(File.Exists(path), $"{script} is missing");
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
        // Both variants deploy the same second phase.
        Assert.Contains("--parameters infra/bicep/eventgrid-subscriptions.bicepparam", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Root, "infra", "bicep", "eventgrid-subscriptions.bicepparam")));
    }

    [Fact]
    public async Task Bash_hook_parses()
    {
        var result = await RunAsync("bash", ["-n", "infra/hooks/postdeploy.sh"], new Dictionary<string, string>());

        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public async Task Postdeploy_hook_deploys_the_subscription_phase_and_retries_until_Event_Grid_validates()
    {
        using var az = new FakeAz(failures: 2);

        var result = await RunHookAsync(az, AzdEnvironment());

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Event Grid subscriptions created", result.Output, StringComparison.Ordinal);
        var calls = az.Calls();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, call =>
        {
            Assert.Equal(Root, call.WorkingDirectory);
            Assert.Equal(
                "deployment group create --subscription 00000000-0000-0000-0000-0000000000a1 --resource-group rg-rollback-azd"
                + " --name rollback-eventgrid-azd-test --parameters infra/bicep/eventgrid-subscriptions.bicepparam --only-show-errors --output none",
                call.Arguments);
        });
    }

    [Fact]
    public async Task Postdeploy_hook_fails_when_Event_Grid_never_validates()
    {
        using var az = new FakeAz(failures: 10);

        var result = await RunHookAsync(az, AzdEnvironment());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(3, az.Calls().Count);
        Assert.Contains("could not validate /api/events after 3 attempts", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postdeploy_hook_refuses_to_run_without_the_azd_environment()
    {
        using var az = new FakeAz(failures: 0);
        var environment = AzdEnvironment();
        environment.Remove("FUNCTION_APP_NAME");
        environment.Remove("AZURE_RESOURCE_GROUP");

        var result = await RunHookAsync(az, environment);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("AZURE_RESOURCE_GROUP FUNCTION_APP_NAME not set", result.Output, StringComparison.Ordinal);
        Assert.Empty(az.Calls());
    }

    [Fact]
    public async Task Postdeploy_hook_can_be_skipped()
    {
        using var az = new FakeAz(failures: 0);
        var environment = AzdEnvironment();
        environment["ROLLBACK_SKIP_EVENT_GRID_SUBSCRIPTIONS"] = "true";

        var result = await RunHookAsync(az, environment);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Empty(az.Calls());
    }

    /// <summary>What azd passes to a hook after `azd provision`: its own values and main.bicep's outputs.</summary>
    private static Dictionary<string, string> AzdEnvironment() => new(StringComparer.Ordinal)
    {
        ["AZURE_ENV_NAME"] = "azd-test",
        ["AZURE_SUBSCRIPTION_ID"] = BicepDeploymentFixture.SubscriptionId,
        ["AZURE_RESOURCE_GROUP"] = "rg-rollback-azd",
        ["EVENT_GRID_TOPIC_NAME"] = "evgt-rollback-abc",
        ["FUNCTION_APP_NAME"] = "func-rollback-abc",
        ["MANAGED_IDENTITY_NAME"] = "id-rollback-abc",
        ["STORAGE_ACCOUNT_NAME"] = "strollbackabc",
        ["KEY_VAULT_NAME"] = "kv-rb-abc",
        ["SERVICE_API_URI"] = "https://func-rollback-abc.azurewebsites.net",
        ["ROLLBACK_SUBSCRIBE_ATTEMPTS"] = "3",
        ["ROLLBACK_SUBSCRIBE_RETRY_SECONDS"] = "0",
    };

    private static Task<(int ExitCode, string Output)> RunHookAsync(FakeAz az, Dictionary<string, string> environment)
    {
        environment["PATH"] = $"{az.Directory}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}";
        environment["FAKE_AZ_LOG"] = az.LogPath;
        // azd runs the posix hook with sh; the script re-executes itself under bash.
        return RunAsync("sh", [Path.Combine(Root, "infra", "hooks", "postdeploy.sh")], environment);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            // azd runs hooks from the project directory; the hook must not depend on it, so start elsewhere.
            WorkingDirectory = program == "sh" ? Path.GetTempPath() : Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("ROLLBACK_", StringComparison.Ordinal) || name.StartsWith("AZURE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>An `az` on PATH that appends "working directory|arguments" to a log and fails its first N calls.</summary>
    private sealed class FakeAz : IDisposable
    {
        public FakeAz(int failures)
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("rollback-fake-az-").FullName;
            LogPath = Path.Combine(Directory, "calls.log");
            var script = Path.Combine(Directory, "az");
            File.WriteAllText(script, $$"""
                #!/usr/bin/env bash
                printf '%s|%s\n' "$PWD" "$*" >> "$FAKE_AZ_LOG"
                [[ $(wc -l < "$FAKE_AZ_LOG") -gt {{failures}} ]] || { echo "ERROR: Webhook validation handshake failed" >&2; exit 1; }
                """.Replace("\r\n", "\n", StringComparison.Ordinal));
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public string Directory { get; }

        public string LogPath { get; }

        public IReadOnlyList<(string WorkingDirectory, string Arguments)> Calls() =>
            File.Exists(LogPath)
                ? [.. File.ReadAllLines(LogPath).Select(line => line.Split('|', 2)).Select(parts => (parts[0], parts[1]))]
                : [];

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
