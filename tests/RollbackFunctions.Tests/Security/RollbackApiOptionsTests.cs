using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RollbackFunctions.Security;

namespace RollbackFunctions.Tests.Security;

/// <summary><c>RollbackApi</c> read and checked at start: named keys with roles, bare keys, Entra ID settings.</summary>
public sealed class RollbackApiOptionsTests
{
    [Fact]
    public void Named_keys_carry_their_roles_and_a_bare_key_every_role()
    {
        var options = Read(new()
        {
            ["RollbackApi:Keys:0"] = "bare-local-key",
            ["RollbackApi:Keys:pipeline-shop:Key"] = "pipeline-secret",
            ["RollbackApi:Keys:pipeline-shop:Roles:0"] = "Pipeline",
            ["RollbackApi:Keys:oncall:Key"] = "oncall-secret",
            ["RollbackApi:Keys:oncall:Roles"] = "operator, Reader",
        });

        var keys = options.Keys.ToDictionary(k => k.Name);
        var bare = keys[ApiKeyEntries.Fingerprint("bare-local-key")];
        Assert.Equal(RollbackRoles.All, bare.Roles);
        Assert.True(bare.Bare);
        Assert.StartsWith("key sha256:", bare.Name, StringComparison.Ordinal);
        Assert.Equal(["Pipeline"], keys["pipeline-shop"].Roles);
        Assert.Equal(["Operator", "Reader"], keys["oncall"].Roles);
        Assert.DoesNotContain("secret", keys["oncall"].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RollbackApi:Keys:ci:Roles:0", "Deployer", "'Deployer', which is not a role")]
    [InlineData("RollbackApi:Keys:ci:Roles:0", null, "Roles is empty")]
    [InlineData("RollbackApi:Entra:Authority", "http://login.example.test/tenant/v2.0", "must use https")]
    [InlineData("RollbackApi:Entra:Authority", "not a url", "absolute URL")]
    [InlineData("RollbackApi:Entra:Audience", "", "Audience is required")]
    public void A_bad_setting_stops_the_host_at_start_naming_it(string setting, string? value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RollbackApi:Keys:ci:Key"] = "ci-secret",
            ["RollbackApi:Keys:ci:Roles:0"] = "Pipeline",
            ["RollbackApi:Entra:Authority"] = "https://login.microsoftonline.com/tenant/v2.0",
            ["RollbackApi:Entra:Audience"] = "api://rollback",
        };
        settings[setting] = value;

        var failure = Assert.Throws<OptionsValidationException>(() => Read(settings));
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_http_is_accepted_for_a_loopback_authority_only_and_two_names_for_one_secret_are_refused()
    {
        var loopback = Read(new() { ["RollbackApi:Entra:Authority"] = "http://127.0.0.1:5123", ["RollbackApi:Entra:Audience"] = "api://rollback" });
        Assert.True(loopback.Entra!.IsLoopback);

        var failure = Assert.Throws<OptionsValidationException>(() => Read(new()
        {
            ["RollbackApi:Keys:a:Key"] = "same", ["RollbackApi:Keys:a:Roles:0"] = "Reader",
            ["RollbackApi:Keys:b:Key"] = "same", ["RollbackApi:Keys:b:Roles:0"] = "Operator",
        }));
        Assert.Contains("a and b have the same secret", failure.Message, StringComparison.Ordinal);
    }

    private static RollbackApiOptions Read(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddRollbackSecurity(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RollbackApiOptions>>().Value;
    }
}
