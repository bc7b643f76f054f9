using RollbackFunctions.Configuration;
using RollbackFunctions.Deployment.Generic;
using RollbackFunctions.Security.Outbound;

namespace RollbackFunctions.Tests.Security.Outbound;

/// <summary>Issue 15 item 5 at start: a configured address that would carry credentials over plain http to a remote host stops the app, naming the setting.</summary>
public sealed class CredentialTransportValidationTests
{
    [Theory]
    [InlineData("https://deployments.example.test/", true)]
    [InlineData("http://127.0.0.1:5000/", true)]
    [InlineData("http://127.8.9.10:5000/", true)]
    [InlineData("http://[::1]:5000/", true)]
    [InlineData("http://localhost:5000/", true)]
    [InlineData("http://deployments.example.test/", false)]
    [InlineData("http://10.0.0.4:5000/", false)]
    [InlineData("http://0.0.0.0:5000/", false)]
    [InlineData("ftp://127.0.0.1/", false)]
    public void Credentials_go_over_https_or_to_loopback_only(string url, bool allowed) =>
        Assert.Equal(allowed, CredentialTransport.IsAllowed(new Uri(url)));

    [Fact]
    public void A_generic_provider_with_a_static_header_or_a_scope_over_remote_plain_http_is_refused()
    {
        var header = Failures(new GenericDeploymentOptions { BaseUrl = new Uri("http://deployments.example.test/"), StaticHeader = "x-key: secret-value" });
        var token = Failures(new GenericDeploymentOptions { BaseUrl = new Uri("http://deployments.example.test/"), Scope = "api://deployments/.default" });

        Assert.Equal(
            "Rollback:Providers:p:Generic:BaseUrl must use https (plain http only for a loopback test server): the static header must not travel in clear text to 'http://deployments.example.test/'.",
            Assert.Single(header));
        Assert.Contains("the bearer token must not travel in clear text", Assert.Single(token), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", Assert.Single(header), StringComparison.Ordinal);
        Assert.Empty(Failures(new GenericDeploymentOptions { BaseUrl = new Uri("http://127.0.0.1:5000/"), StaticHeader = "x-key: v" }));
        Assert.Empty(Failures(new GenericDeploymentOptions { BaseUrl = new Uri("https://deployments.example.test/"), Scope = "api://deployments/.default" }));
    }

    [Fact]
    public void The_incident_webhook_over_remote_plain_http_is_refused_naming_its_header()
    {
        var validator = new RollbackOptionsValidator();
        var withHeader = new RollbackOptions { Incident = { Url = new Uri("http://incidents.example.test/hook?token=abc123"), HeaderName = "x-routing-key", HeaderValue = "secret-value" } };
        var loopback = new RollbackOptions { Incident = { Url = new Uri("http://127.0.0.1:9000/hook"), HeaderName = "x-routing-key", HeaderValue = "secret-value" } };

        var failure = Assert.Single(validator.Validate(null, withHeader).Failures!);

        Assert.Equal(
            "Rollback:Incident:Url must use https (plain http only for a loopback test server): the x-routing-key header must not travel in clear text to 'http://incidents.example.test/hook?***'.",
            failure);
        Assert.Contains("Rollback:Incident:Url must use https", Assert.Single(validator.Validate(null, new RollbackOptions { Incident = { Url = new Uri("http://incidents.example.test/hook") } }).Failures!), StringComparison.Ordinal);
        Assert.True(validator.Validate(null, loopback).Succeeded);
    }

    private static List<string> Failures(GenericDeploymentOptions options)
    {
        var failures = new List<string>();
        options.Validate("Rollback:Providers:p:Generic", failures);
        return failures;
    }
}
