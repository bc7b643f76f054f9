using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment;
using RollbackFunctions.Deployment.AzureDevOps;
using RollbackFunctions.Deployment.Generic;
using RollbackFunctions.Deployment.GitHubActions;

namespace RollbackFunctions.Tests.Deployment;

public sealed class CiCdProviderOptionsValidationTests
{
    [Fact]
    public async Task The_host_refuses_to_start_with_an_incomplete_GitHub_entry_and_names_each_setting()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rollback:Providers:gh:Type"] = "GitHubActions",
            ["Rollback:Providers:gh:GitHub:Owner"] = "contoso",
        });
        builder.Services.AddOptions<RollbackOptions>().Bind(builder.Configuration.GetSection("Rollback"));
        builder.Services.AddDeploymentProviders(builder.Configuration);
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Rollback:Providers:gh:GitHub:Repository is required.", failure.Failures);
        Assert.Contains("Rollback:Providers:gh:GitHub:Workflow is required.", failure.Failures);
        Assert.Contains(failure.Failures, f => f.StartsWith("Rollback:Providers:gh:GitHub:Token is required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_and_an_app_together_are_refused()
    {
        var result = Validate(("Type", "GitHubActions"), ("GitHub:Owner", "o"), ("GitHub:Repository", "r"), ("GitHub:Workflow", "w.yml"),
            ("GitHub:Token", "github_pat_x"), ("GitHub:AppId", "1"));

        Assert.Contains("Rollback:Providers:p:GitHub: set either Token or the GitHub App (AppId, InstallationId, PrivateKey), not both.", result.Failures!);
    }

    [Fact]
    public void A_GitHub_App_needs_an_installation_and_a_real_RSA_key_and_the_message_never_shows_the_key()
    {
        const string notAKey = "-----BEGIN RSA PRIVATE KEY-----\nTESTONLYnotakey\n-----END RSA PRIVATE KEY-----";
        var result = Validate(("Type", "GitHubActions"), ("GitHub:Owner", "o"), ("GitHub:Repository", "r"), ("GitHub:Workflow", "w.yml"),
            ("GitHub:AppId", "1"), ("GitHub:PrivateKey", notAKey));

        Assert.Contains("Rollback:Providers:p:GitHub:InstallationId is required for a GitHub App and must be a positive number.", result.Failures!);
        Assert.Contains("Rollback:Providers:p:GitHub:PrivateKey is not an RSA private key in PEM form.", result.Failures!);
        Assert.DoesNotContain("TESTONLYnotakey", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_GitHub_App_entry_with_escaped_line_breaks_in_its_key_is_accepted()
    {
        using var key = RSA.Create(2048);
        var flattened = key.ExportRSAPrivateKeyPem().Replace("\n", "\\n", StringComparison.Ordinal);

        var result = Validate(("Type", "GitHubActions"), ("GitHub:Owner", "o"), ("GitHub:Repository", "r"), ("GitHub:Workflow", "w.yml"),
            ("GitHub:AppId", "1"), ("GitHub:InstallationId", "2"), ("GitHub:PrivateKey", flattened));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Plain_http_is_refused_except_for_a_loopback_test_server()
    {
        var remote = Validate(("Type", "AzureDevOps"), ("AzureDevOps:OrganizationUrl", "http://devops.example/contoso"), ("AzureDevOps:Project", "Shop"), ("AzureDevOps:PipelineId", "4"));
        var loopback = Validate(("Type", "AzureDevOps"), ("AzureDevOps:OrganizationUrl", "http://127.0.0.1:5000/contoso"), ("AzureDevOps:Project", "Shop"), ("AzureDevOps:PipelineId", "4"));

        Assert.Contains("Rollback:Providers:p:AzureDevOps:OrganizationUrl must use https (plain http only for a loopback test server).", remote.Failures!);
        Assert.True(loopback.Succeeded, loopback.FailureMessage);
    }

    [Fact]
    public void An_incomplete_Azure_DevOps_entry_names_each_setting()
    {
        var result = Validate(("Type", "AzureDevOps"), ("AzureDevOps:ManagedIdentityClientId", "not-a-guid"), ("AzureDevOps:RequestTimeout", "00:10:00"));

        Assert.Equal(
            [
                "Rollback:Providers:p:AzureDevOps:Organization is required (or Rollback:Providers:p:AzureDevOps:OrganizationUrl).",
                "Rollback:Providers:p:AzureDevOps:Project is required.",
                "Rollback:Providers:p:AzureDevOps:PipelineId is required and must be a positive number (the pipeline definition id).",
                "Rollback:Providers:p:AzureDevOps:ManagedIdentityClientId must be the managed identity's client id (a GUID).",
                "Rollback:Providers:p:AzureDevOps:RequestTimeout must be positive and at most 00:05:00.",
            ],
            result.Failures!);
    }

    [Fact]
    public void The_generic_entry_has_the_same_call_limits_checked()
    {
        var result = Validate(("Type", "Generic"), ("Generic:BaseUrl", "http://127.0.0.1:5000/"), ("Generic:RequestTimeout", "00:00:00"), ("Generic:MaxRetries", "99"));
        var defaults = Validate(("Type", "Generic"), ("Generic:BaseUrl", "http://127.0.0.1:5000/"));

        Assert.Equal(
            [
                "Rollback:Providers:p:Generic:RequestTimeout must be positive and at most 00:05:00.",
                "Rollback:Providers:p:Generic:MaxRetries must be between 0 and 20.",
            ],
            result.Failures!);
        Assert.True(defaults.Succeeded, defaults.FailureMessage);
        Assert.Equal(TimeSpan.FromMilliseconds(250), new GenericDeploymentOptions().RetryBaseDelay);
    }

    [Fact]
    public void An_organization_name_gives_the_dev_azure_com_url()
    {
        var result = Validate(("Type", "AzureDevOps"), ("AzureDevOps:Organization", "contoso"), ("AzureDevOps:Project", "Shop"), ("AzureDevOps:PipelineId", "4"));

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal("https://dev.azure.com/contoso/", new RollbackFunctions.Deployment.AzureDevOps.AzureDevOpsOptions { Organization = "contoso" }.EffectiveOrganizationUrl!.AbsoluteUri);
    }

    [Theory]
    [InlineData("Rollback web to 1.4.2 (rb-1)", "rb-1", true)]
    [InlineData("rollback-web-1.4.2-rb-1", "rb-1", true)]
    [InlineData("Rollback web to 1.4.2 (rb-10)", "rb-1", false)]
    [InlineData("Rollback web to 1.4.2 (xrb-1)", "rb-1", false)]
    [InlineData("Rollback", "rb-1", false)]
    [InlineData(null, "rb-1", false)]
    public void A_run_title_matches_a_rollback_id_only_as_a_whole_id(string? title, string rollbackId, bool matches) =>
        Assert.Equal(matches, GitHubActionsDeploymentProvider.TitleCarries(title, rollbackId));

    /// <summary>Entry "p" as every provider's validator sees it at start (the entry's type picks the validator that checks it).</summary>
    private static ValidateOptionsResult Validate(params (string Key, string Value)[] entry)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(entry.ToDictionary(e => $"Rollback:Providers:p:{e.Key}", e => (string?)e.Value))
            .Build();
        using var services = new ServiceCollection().AddDeploymentProviders(configuration).BuildServiceProvider();
        List<string> failures =
        [
            .. Failures<GenericDeploymentOptions>(services),
            .. Failures<GitHubActionsOptions>(services),
            .. Failures<AzureDevOpsOptions>(services),
        ];
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Failures<TSettings>(IServiceProvider services)
        where TSettings : class, IDeploymentProviderSettings, new()
    {
        try
        {
            _ = services.GetRequiredService<IOptions<DeploymentProviderEntries<TSettings>>>().Value;
            return [];
        }
        catch (OptionsValidationException failure)
        {
            return failure.Failures;
        }
    }
}
