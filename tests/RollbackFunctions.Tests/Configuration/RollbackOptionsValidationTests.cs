using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RollbackFunctions.Configuration;
using RollbackFunctions.Workflow;

namespace RollbackFunctions.Tests.Configuration;

/// <summary>A bad configuration stops the app at start with a message naming the setting.</summary>
public sealed class RollbackOptionsValidationTests
{
    private static Dictionary<string, string?> Valid() => new()
    {
        ["RollbackStorage"] = "UseDevelopmentStorage=true",
        ["Rollback:Budget"] = "00:05:00",
        ["Rollback:Providers:platform:Type"] = "Generic",
        ["Rollback:Providers:platform:Generic:BaseUrl"] = "http://127.0.0.1:9/",
        ["Rollback:Components:shop:Kind"] = "Storefront",
        ["Rollback:Components:shop:Provider"] = "platform",
        ["Rollback:Components:shop:SmokeProbes:0:Url"] = "http://127.0.0.1:9/smoke",
    };

    [Fact]
    public async Task Section7_a_budget_above_five_minutes_stops_the_host_at_start()
    {
        var settings = Valid();
        settings["Rollback:Budget"] = "00:05:01";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(settings));

        Assert.Contains("Rollback:Budget must be at most 00:05:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Section7_a_budget_of_exactly_five_minutes_or_less_starts()
    {
        var settings = Valid();
        settings["Rollback:Budget"] = "00:02:00";
        using var host = await StartHostAsync(settings);
        Assert.Equal(TimeSpan.FromMinutes(2), host.Services.GetRequiredService<IOptions<RollbackOptions>>().Value.Budget);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Rollback:Components:shop:Provider", "nowhere", "Rollback:Components:shop:Provider 'nowhere' is not configured")]
    [InlineData("Rollback:Components:shop:Kind", "", "Rollback:Components:shop:Kind must be set")]
    [InlineData("Rollback:Components:shop:SmokeProbes:0:Url", "/smoke", "Rollback:Components:shop:SmokeProbes:0:Url must be an absolute http(s) URL")]
    [InlineData("Rollback:Providers:platform:Generic:BaseUrl", "", "Rollback:Providers:platform:Generic:BaseUrl must be set")]
    [InlineData("Rollback:Providers:platform:Generic:StaticHeader", "no-colon", "Rollback:Providers:platform:Generic:StaticHeader must read 'Name: value'")]
    [InlineData("Rollback:Incident:Url", "ftp://incidents", "Rollback:Incident:Url must be an absolute http(s) URL")]
    [InlineData("Rollback:ConfirmationWindow", "00:00:00", "Rollback:ConfirmationWindow must be positive")]
    [InlineData("Rollback:AlertTargets:/subscriptions/x/resourceGroups/y", "ghost", "maps to component 'ghost', which is not configured")]
    public async Task Bad_settings_stop_the_host_with_a_message_naming_the_setting(string key, string value, string expected)
    {
        var settings = Valid();
        settings[key] = value;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static async Task<IHost> StartHostAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRollbackWorkflow(builder.Configuration);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
