using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RollbackFunctions.Deployment;
using RollbackFunctions.Deployment.AzureDevOps;
using RollbackFunctions.Deployment.Generic;
using RollbackFunctions.Deployment.GitHubActions;
using RollbackFunctions.Deployment.Http;
using RollbackFunctions.Domain;
using RollbackFunctions.Gate;
using RollbackFunctions.Gate.GitHub;
using RollbackFunctions.Incidents;
using RollbackFunctions.Security.Outbound;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Tests.Security.Outbound;

/// <summary>
/// Issue 15 item 5: every typed client that carries credentials follows no redirect and sends nothing over plain http
/// but to loopback, checked on the clients as the app registers them.
/// </summary>
public sealed class CredentialedClientTests
{
    private const string Token = "Bearer token-that-must-stay-here";

    /// <summary>Every typed client that sends a credential: the three providers, the GitHub protection callback, the incident webhook.</summary>
    public static TheoryData<string> CredentialedClients { get; } =
    [
        nameof(GenericDeploymentProvider),
        nameof(GitHubActionsDeploymentProvider),
        nameof(AzureDevOpsDeploymentProvider),
        nameof(GitHubProtectionCallbackClient),
        nameof(IncidentNotifier),
    ];

    [Theory]
    [MemberData(nameof(CredentialedClients))]
    public async Task A_credentialed_client_does_not_follow_a_redirect_so_its_target_is_never_requested(string client)
    {
        await using var target = await LoopbackRecorder.StartAsync();
        await using var redirecting = await LoopbackRecorder.StartAsync();
        redirecting.Answer = _ => Results.Redirect(new Uri(target.BaseUrl, "collect").AbsoluteUri);
        await using var services = AppServices();
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(client);

        using var response = await http.SendAsync(WithToken(new Uri(redirecting.BaseUrl, "deployments/d-1")));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(Token, Assert.Single(redirecting.Requests).Authorization);
        Assert.Empty(target.Requests);

        // The same pair with a default client: it does follow, so the assertion above is about our clients.
        using var plain = new HttpClient();
        using var followed = await plain.SendAsync(WithToken(new Uri(redirecting.BaseUrl, "deployments/d-1")));
        Assert.Equal("/collect", Assert.Single(target.Requests).Path);
    }

    [Theory]
    [MemberData(nameof(CredentialedClients))]
    public async Task A_credentialed_client_refuses_plain_http_to_a_remote_host_and_allows_loopback(string client)
    {
        await using var loopback = await LoopbackRecorder.StartAsync();
        await using var services = AppServices();
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(client);

        var refused = await Assert.ThrowsAsync<InsecureCredentialTransportException>(() => http.SendAsync(WithToken(new Uri("http://deployments.example.test/deployments"))));
        Assert.Contains("refused to send credentials over plain http to http://deployments.example.test", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InsecureCredentialTransportException>(() => http.SendAsync(WithToken(new Uri("http://10.1.2.3:8080/deployments"))));

        using var byAddress = await http.SendAsync(WithToken(new Uri(loopback.BaseUrl, "by-address")));
        using var byName = await http.SendAsync(WithToken(new Uri($"http://localhost:{loopback.BaseUrl.Port}/by-name")));
        Assert.Equal(HttpStatusCode.OK, byAddress.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
        Assert.Equal(["/by-address", "/by-name"], loopback.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_provider_reports_the_refusal_as_a_final_failure_that_names_the_reason()
    {
        await using var services = AppServices();
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(GenericDeploymentProvider));
        var calls = new ProviderHttp(http, TimeProvider.System, NullLogger.Instance, "Generic deployment API", "platform", () => []);
        var policy = new ProviderCallPolicy(DateTimeOffset.UtcNow.AddSeconds(30), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), 3);

        var failure = await Assert.ThrowsAsync<DeploymentProviderException>(() => calls.SendAsync(
            WithToken(new Uri("http://deployments.example.test/deployments")), policy, "start the deployment", "the base URL", CancellationToken.None));

        Assert.False(failure.IsTransient);
        Assert.Contains("refused to send credentials over plain http", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_incident_webhook_with_its_header_is_not_redirected_and_the_failed_delivery_says_why()
    {
        await using var target = await LoopbackRecorder.StartAsync();
        await using var redirecting = await LoopbackRecorder.StartAsync();
        redirecting.Answer = _ => Results.Redirect(new Uri(target.BaseUrl, "collect").AbsoluteUri);
        await using var services = AppServices(new()
        {
            ["Rollback:Incident:Url"] = new Uri(redirecting.BaseUrl, "incidents").AbsoluteUri,
            ["Rollback:Incident:HeaderName"] = "Authorization",
            ["Rollback:Incident:HeaderValue"] = Token,
        });
        var notifier = services.GetRequiredService<IncidentNotifier>();

        var result = await notifier.DeliverAsync(
            new IncidentReport("r-1", "shop", RollbackPhase.Failed, "deployment failed", "1.2.0", "1.1.0", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
            CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.Equal(302, result.StatusCode);
        Assert.Equal(Token, Assert.Single(redirecting.Requests).Authorization);
        Assert.Empty(target.Requests);
    }

    private static HttpRequestMessage WithToken(Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(Token);
        return request;
    }

    /// <summary>The workflow's and the gate's registrations, as both hosts make them.</summary>
    private static ServiceProvider AppServices(Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddRollbackWorkflow(configuration);
        services.AddDeploymentGate(configuration);
        return services.BuildServiceProvider();
    }
}
