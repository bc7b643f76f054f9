using System.Text.Json;
using System.Text.RegularExpressions;

namespace RollbackFunctions.Tests.Infra;

/// <summary>
/// The hardened template: diagnostic settings to the workspace, the pipelines' Key Vault grant on their one secret,
/// the private-network mode, App Service authentication with the app registration, Entra ID deliveries from Event
/// Grid and Azure Monitor, and the second (postdeploy) phase that creates the Event Grid subscriptions.
/// </summary>
public sealed partial class BicepTemplateTests
{
    private const string DiagnosticSettings = "Microsoft.Insights/diagnosticSettings";

    [Theory]
    [InlineData("Microsoft.Web/sites", "AllMetrics")]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices", "Transaction")]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices", "Transaction")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices", "Transaction")]
    [InlineData("Microsoft.KeyVault/vaults", "AllMetrics")]
    [InlineData("Microsoft.EventGrid/topics", "AllMetrics")]
    [InlineData("Microsoft.EventGrid/systemTopics", "AllMetrics")]
    public void Resource_sends_all_logs_and_its_metrics_to_the_Log_Analytics_workspace(string type, string metricCategory)
    {
        var resource = Single(type);
        var workspace = Id(Single("Microsoft.OperationalInsights/workspaces"));

        var settings = Properties(Assert.Single(OfType(DiagnosticSettings), setting =>
            Id(setting).StartsWith($"{Id(resource)}/providers/{DiagnosticSettings}/", StringComparison.Ordinal)));

        Assert.Equal(workspace, settings.GetProperty("workspaceId").GetString());
        var logs = Assert.Single(settings.GetProperty("logs").EnumerateArray());
        Assert.Equal("allLogs", logs.GetProperty("categoryGroup").GetString());
        Assert.Equal(JsonValueKind.True, logs.GetProperty("enabled").ValueKind);
        var metrics = Assert.Single(settings.GetProperty("metrics").EnumerateArray());
        Assert.Equal(metricCategory, metrics.GetProperty("category").GetString());
        Assert.Equal(JsonValueKind.True, metrics.GetProperty("enabled").ValueKind);
    }

    [Fact]
    public void Pipelines_read_their_key_secret_and_nothing_else_in_the_vault()
    {
        var vault = Single("Microsoft.KeyVault/vaults");
        var secret = Single("Microsoft.KeyVault/vaults/secrets", resource => Name(resource) == $"{Name(vault)}/{PipelineKeySecret}");
        var pipelineGrants = OfType("Microsoft.Authorization/roleAssignments")
            .Where(resource => Properties(resource).GetProperty("principalId").GetString() == BicepDeploymentFixture.PipelinePrincipalId)
            .ToList();

        var grant = Assert.Single(pipelineGrants);
        // Scoped to the secret resource, not the vault: the provider credentials and the other callers' keys stay
        // out of the pipelines' reach.
        Assert.StartsWith($"{Id(secret)}/providers/Microsoft.Authorization/roleAssignments/", Id(grant), StringComparison.Ordinal);
        Assert.EndsWith($"/roleDefinitions/{KeyVaultSecretsUser}", Properties(grant).GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
        Assert.Equal("ServicePrincipal", Properties(grant).GetProperty("principalType").GetString());
        // The secret is the app's `pipeline` key (role Pipeline), drawn at deployment; never an output.
        Assert.Equal("[newGuid()]", Properties(secret).GetProperty("value").GetString());
        Assert.Equal(PipelineKeySecret, deployment.Outputs.GetProperty("PIPELINE_KEY_SECRET_NAME").GetString());
        AssertAppKey(deployment.Resources, "pipeline", "Pipeline", PipelineKeySecret);
    }

    [Theory]
    [InlineData("alerts", "Alerts", AlertsKeySecret)]
    [InlineData("events", "Events", EventsKeySecret)]
    [InlineData("pipeline", "Pipeline", PipelineKeySecret)]
    public void App_reads_each_callers_key_from_its_secret_with_that_callers_role_alone(string caller, string role, string secretName)
    {
        var vault = Single("Microsoft.KeyVault/vaults");
        var secret = Single("Microsoft.KeyVault/vaults/secrets", resource => Name(resource) == $"{Name(vault)}/{secretName}");

        AssertAppKey(deployment.Resources, caller, role, secretName);
        // A random key of its own for each caller, drawn by the deployment (the library refuses two names with one key).
        Assert.Equal("[newGuid()]", Properties(secret).GetProperty("value").GetString());
        Assert.Equal(IdentityId(), Properties(Single("Microsoft.Web/sites")).GetProperty("keyVaultReferenceIdentity").GetString());
    }

    [Fact]
    public void App_knows_exactly_the_three_caller_keys_and_the_vault_holds_one_secret_each()
    {
        var keys = AppSettings().Keys.Where(key => key.StartsWith("RollbackApi__Keys__", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        var vault = Single("Microsoft.KeyVault/vaults");

        Assert.Equal(
            ["RollbackApi__Keys__alerts__Key", "RollbackApi__Keys__alerts__Roles", "RollbackApi__Keys__events__Key", "RollbackApi__Keys__events__Roles", "RollbackApi__Keys__pipeline__Key", "RollbackApi__Keys__pipeline__Roles"],
            keys);
        Assert.Equal(
            [$"{Name(vault)}/{AlertsKeySecret}", $"{Name(vault)}/{EventsKeySecret}", $"{Name(vault)}/{PipelineKeySecret}"],
            OfType("Microsoft.KeyVault/vaults/secrets").Select(Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Action_group_and_event_subscriptions_each_carry_the_key_of_their_own_role()
    {
        var receiver = Assert.Single(Properties(Single("Microsoft.Insights/actionGroups")).GetProperty("webhookReceivers").EnumerateArray());

        Assert.Equal("Alerts", RoleOfKeyIn(receiver.GetProperty("serviceUri").GetString()!));
        foreach (var type in new[] { "Microsoft.EventGrid/topics/eventSubscriptions", "Microsoft.EventGrid/systemTopics/eventSubscriptions" })
        {
            var url = Properties(Single(type)).GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString()!;
            Assert.Equal("Events", RoleOfKeyIn(url));
        }
    }

    [Fact]
    public void Vault_lets_Resource_Manager_read_the_keys_for_the_action_group_and_Event_Grid()
    {
        // getSecret (a Key Vault parameter reference) needs it, in both phases.
        Assert.Equal(JsonValueKind.True, Properties(Single("Microsoft.KeyVault/vaults")).GetProperty("enabledForTemplateDeployment").ValueKind);
    }

    [Fact]
    public void Without_writing_the_keys_every_caller_keeps_the_key_in_the_vault()
    {
        var resources = deployment.KeptKeysResources;

        Assert.DoesNotContain(resources, resource => Type(resource) == "Microsoft.KeyVault/vaults/secrets");
        foreach (var (caller, role, secretName) in new[] { ("alerts", "Alerts", AlertsKeySecret), ("events", "Events", EventsKeySecret), ("pipeline", "Pipeline", PipelineKeySecret) })
        {
            AssertAppKey(resources, caller, role, secretName);
        }

        var receiver = Assert.Single(Properties(Assert.Single(resources, resource => Type(resource) == "Microsoft.Insights/actionGroups")).GetProperty("webhookReceivers").EnumerateArray());
        AssertCallsAppRoute(resources, receiver.GetProperty("serviceUri").GetString(), "alerts", AlertsKeySecret);
        var subscription = Properties(Assert.Single(resources, resource => Type(resource) == "Microsoft.EventGrid/topics/eventSubscriptions"));
        AssertCallsAppRoute(resources, subscription.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString(), "events", EventsKeySecret);
        // The pipelines' grant is still on their one secret.
        var grant = Assert.Single(resources, resource =>
            Type(resource) == "Microsoft.Authorization/roleAssignments" && Properties(resource).GetProperty("principalId").GetString() == BicepDeploymentFixture.PipelinePrincipalId);
        var vault = Id(Assert.Single(resources, resource => Type(resource) == "Microsoft.KeyVault/vaults"));
        Assert.StartsWith($"{vault}/secrets/{PipelineKeySecret}/providers/Microsoft.Authorization/roleAssignments/", Id(grant), StringComparison.Ordinal);
    }

    /// <summary>The app setting RollbackApi__Keys__{caller}__Key is a Key Vault reference to the secret's current version, with one role.</summary>
    private static void AssertAppKey(IReadOnlyList<JsonElement> resources, string caller, string role, string secretName)
    {
        var settings = Properties(Assert.Single(resources, resource =>
                Type(resource) == "Microsoft.Web/sites/config" && Name(resource).EndsWith("/appsettings", StringComparison.Ordinal)))
            .EnumerateObject().ToDictionary(setting => setting.Name, setting => setting.Value.GetString()!, StringComparer.Ordinal);
        var vault = Id(Assert.Single(resources, resource => Type(resource) == "Microsoft.KeyVault/vaults"));

        Assert.Equal(
            $"[format('@Microsoft.KeyVault(SecretUri={{0}})', reference('{vault}/secrets/{secretName}', '2023-07-01').secretUriWithVersion)]",
            settings.GetValueOrDefault($"RollbackApi__Keys__{caller}__Key"));
        Assert.Equal(role, settings.GetValueOrDefault($"RollbackApi__Keys__{caller}__Roles"));
    }

    /// <summary>The roles of the app key whose secret the URL's getKeyVaultSecret(...) reads.</summary>
    private string RoleOfKeyIn(string url)
    {
        var secretName = Assert.Single(KeyVaultSecretRead().Matches(url)).Groups[1].Value;
        var settings = AppSettings();
        var keySetting = Assert.Single(settings, setting =>
            setting.Key.EndsWith("__Key", StringComparison.Ordinal) && setting.Value.Contains($"/secrets/{secretName}'", StringComparison.Ordinal));
        return settings[keySetting.Key[..^"Key".Length] + "Roles"];
    }

    [GeneratedRegex(@"getKeyVaultSecret\('[^']+', '([^']+)'\)", RegexOptions.CultureInvariant)]
    private static partial Regex KeyVaultSecretRead();

    [Fact]
    public void Pipeline_secret_grant_is_named_by_guid_of_the_secret_principal_and_role()
    {
        var assignment = Assert.Single(TemplateResources(deployment.Template), entry =>
            entry.Resource.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments"
            && entry.Resource.TryGetProperty("scope", out var scope)
            && scope.GetString()!.Contains("Microsoft.KeyVault/vaults/secrets", StringComparison.Ordinal));
        var name = ResolveVariables(assignment.Resource.GetProperty("name").GetString()!, assignment.Template);

        Assert.StartsWith("[guid(resourceId('Microsoft.KeyVault/vaults/secrets'", name, StringComparison.Ordinal);
        Assert.Contains(KeyVaultSecretsUser, name, StringComparison.Ordinal);
        Assert.Contains("principalId", name, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Shipped_parameters_write_the_caller_keys_on_a_first_deployment_and_grant_them_to_no_pipeline()
    {
        // Without pipeline identities nobody is granted the pipeline key; the app still has all three keys.
        var vault = Name(Assert.Single(deployment.ShippedResources, resource => Type(resource) == "Microsoft.KeyVault/vaults"));

        Assert.Equal(
            [$"{vault}/{AlertsKeySecret}", $"{vault}/{EventsKeySecret}", $"{vault}/{PipelineKeySecret}"],
            deployment.ShippedResources.Where(resource => Type(resource) == "Microsoft.KeyVault/vaults/secrets").Select(Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(deployment.ShippedResources, resource =>
            Type(resource) == "Microsoft.Authorization/roleAssignments" && Id(resource).Contains("/secrets/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts")]
    [InlineData("Microsoft.KeyVault/vaults")]
    public void Private_network_mode_turns_public_network_access_off(string type)
    {
        var resource = Properties(Assert.Single(deployment.PrivateResources, candidate => Type(candidate) == type));

        Assert.Equal("Disabled", resource.GetProperty("publicNetworkAccess").GetString());
        Assert.Equal("Deny", resource.GetProperty("networkAcls").GetProperty("defaultAction").GetString());
    }

    [Theory]
    [InlineData("blob", "Microsoft.Storage/storageAccounts", "privatelink.blob.")]
    [InlineData("queue", "Microsoft.Storage/storageAccounts", "privatelink.queue.")]
    [InlineData("table", "Microsoft.Storage/storageAccounts", "privatelink.table.")]
    [InlineData("vault", "Microsoft.KeyVault/vaults", "privatelink.vaultcore.")]
    public void Private_network_mode_reaches_the_service_through_a_private_endpoint_with_its_DNS_zone(string groupId, string targetType, string zonePrefix)
    {
        var resources = deployment.PrivateResources;
        var target = Id(Assert.Single(resources, resource => Type(resource) == targetType));
        var vnet = Assert.Single(resources, resource => Type(resource) == "Microsoft.Network/virtualNetworks");

        var endpoint = Assert.Single(resources, resource =>
            Type(resource) == "Microsoft.Network/privateEndpoints"
            && Properties(resource).GetProperty("privateLinkServiceConnections").EnumerateArray().Any(connection =>
                connection.GetProperty("properties").GetProperty("privateLinkServiceId").GetString() == target
                && connection.GetProperty("properties").GetProperty("groupIds").EnumerateArray().Single().GetString() == groupId));
        Assert.Equal($"{Id(vnet)}/subnets/private-endpoints", Properties(endpoint).GetProperty("subnet").GetProperty("id").GetString());

        var zoneGroup = Assert.Single(resources, resource =>
            Type(resource) == "Microsoft.Network/privateEndpoints/privateDnsZoneGroups" && Id(resource).StartsWith($"{Id(endpoint)}/", StringComparison.Ordinal));
        var zoneId = Assert.Single(Properties(zoneGroup).GetProperty("privateDnsZoneConfigs").EnumerateArray())
            .GetProperty("properties").GetProperty("privateDnsZoneId").GetString();
        var zone = Assert.Single(resources, resource => Type(resource) == "Microsoft.Network/privateDnsZones" && Id(resource) == zoneId);
        Assert.Contains(zonePrefix, Name(zone), StringComparison.Ordinal);
        // The zone's name is an expression of the cloud's storage suffix (environment()), which the snapshot leaves
        // unevaluated; the link's name is "<zone>/<vnet>" built from the same expression.
        var zoneName = Name(zone).TrimStart('[').TrimEnd(']');
        Assert.Contains(resources, resource =>
            Type(resource) == "Microsoft.Network/privateDnsZones/virtualNetworkLinks"
            && Properties(resource).GetProperty("virtualNetwork").GetProperty("id").GetString() == Id(vnet)
            && Name(resource).Contains(zoneName, StringComparison.Ordinal)
            && Name(resource).Contains(Name(vnet), StringComparison.Ordinal));
    }

    [Fact]
    public void Private_network_mode_integrates_the_function_app_with_a_delegated_subnet()
    {
        var resources = deployment.PrivateResources;
        var vnet = Assert.Single(resources, resource => Type(resource) == "Microsoft.Network/virtualNetworks");
        var site = Assert.Single(resources, resource => Type(resource) == "Microsoft.Web/sites");

        var subnetId = Properties(site).GetProperty("virtualNetworkSubnetId").GetString();
        Assert.Equal($"{Id(vnet)}/subnets/app", subnetId);
        var subnet = Assert.Single(Properties(vnet).GetProperty("subnets").EnumerateArray(), candidate => candidate.GetProperty("name").GetString() == "app");
        Assert.Equal(
            "Microsoft.App/environments",
            Assert.Single(subnet.GetProperty("properties").GetProperty("delegations").EnumerateArray()).GetProperty("properties").GetProperty("serviceName").GetString());
    }

    [Fact]
    public void Public_network_mode_creates_no_network_and_leaves_access_public()
    {
        foreach (var resources in new[] { deployment.Resources, deployment.ShippedResources })
        {
            Assert.DoesNotContain(resources, resource => Type(resource).StartsWith("Microsoft.Network/", StringComparison.Ordinal));
            Assert.All(
                resources.Where(resource => Type(resource) is "Microsoft.Storage/storageAccounts" or "Microsoft.KeyVault/vaults"),
                resource => Assert.Equal("Enabled", Properties(resource).GetProperty("publicNetworkAccess").GetString()));
            var site = Properties(Assert.Single(resources, resource => Type(resource) == "Microsoft.Web/sites"));
            Assert.True(!site.TryGetProperty("virtualNetworkSubnetId", out var subnet) || subnet.ValueKind == JsonValueKind.Null);
        }
    }

    [Fact]
    public void App_Service_authentication_validates_Entra_ID_tokens_and_leaves_the_answer_to_the_app()
    {
        var auth = AuthSettings(deployment.Resources);
        var entra = auth.GetProperty("identityProviders").GetProperty("azureActiveDirectory");

        Assert.Equal(JsonValueKind.True, auth.GetProperty("platform").GetProperty("enabled").ValueKind);
        Assert.Equal(JsonValueKind.True, entra.GetProperty("enabled").ValueKind);
        Assert.Equal(BicepDeploymentFixture.AuthClientId, entra.GetProperty("registration").GetProperty("clientId").GetString());
        Assert.Equal(BicepDeploymentFixture.AuthIssuer, entra.GetProperty("registration").GetProperty("openIdIssuer").GetString());
        Assert.Equal(
            [BicepDeploymentFixture.AuthClientId, $"api://{BicepDeploymentFixture.AuthClientId}"],
            entra.GetProperty("validation").GetProperty("allowedAudiences").EnumerateArray().Select(audience => audience.GetString()));
        // Function keys and the app's role policy still answer: 401/403 problem details, never the platform's redirect.
        Assert.Equal(JsonValueKind.False, auth.GetProperty("globalValidation").GetProperty("requireAuthentication").ValueKind);
        Assert.Equal("AllowAnonymous", auth.GetProperty("globalValidation").GetProperty("unauthenticatedClientAction").GetString());
        Assert.Equal(JsonValueKind.False, auth.GetProperty("login").GetProperty("tokenStore").GetProperty("enabled").ValueKind);
        Assert.Equal(JsonValueKind.True, auth.GetProperty("httpSettings").GetProperty("requireHttps").ValueKind);
    }

    [Fact]
    public void Without_an_app_registration_the_platform_authentication_is_off()
    {
        // Off, not absent: a principal header is trusted only when the platform's authentication is on.
        var auth = AuthSettings(deployment.ShippedResources);

        Assert.Equal(JsonValueKind.False, auth.GetProperty("platform").GetProperty("enabled").ValueKind);
        Assert.False(auth.GetProperty("identityProviders").TryGetProperty("azureActiveDirectory", out _));
        Assert.Equal("AllowAnonymous", auth.GetProperty("globalValidation").GetProperty("unauthenticatedClientAction").GetString());
    }

    [Fact]
    public void Event_Grid_and_Azure_Monitor_also_deliver_Entra_ID_tokens_for_the_app_registration()
    {
        var audience = $"api://{BicepDeploymentFixture.AuthClientId}";
        var receiver = Assert.Single(Properties(Single("Microsoft.Insights/actionGroups")).GetProperty("webhookReceivers").EnumerateArray());

        foreach (var type in new[] { "Microsoft.EventGrid/topics/eventSubscriptions", "Microsoft.EventGrid/systemTopics/eventSubscriptions" })
        {
            var destination = Properties(Single(type)).GetProperty("destination").GetProperty("properties");
            Assert.Equal(audience, destination.GetProperty("azureActiveDirectoryApplicationIdOrUri").GetString());
            Assert.Equal(BicepDeploymentFixture.TenantId, destination.GetProperty("azureActiveDirectoryTenantId").GetString());
        }

        Assert.Equal(JsonValueKind.True, receiver.GetProperty("useAadAuth").ValueKind);
        Assert.Equal(BicepDeploymentFixture.AuthApplicationObjectId, receiver.GetProperty("objectId").GetString());
        Assert.Equal(audience, receiver.GetProperty("identifierUri").GetString());
        Assert.Equal(BicepDeploymentFixture.TenantId, receiver.GetProperty("tenantId").GetString());
    }

    [Fact]
    public void Shipped_action_group_uses_its_key_alone()
    {
        var receiver = Assert.Single(Properties(Assert.Single(deployment.ShippedResources, resource => Type(resource) == "Microsoft.Insights/actionGroups"))
            .GetProperty("webhookReceivers").EnumerateArray());

        Assert.Equal(JsonValueKind.False, receiver.GetProperty("useAadAuth").ValueKind);
    }

    [Fact]
    public void Function_app_is_the_azd_service_of_azure_yaml()
    {
        var site = Single("Microsoft.Web/sites");
        var tags = site.GetProperty("tags");
        var outputs = deployment.Outputs.EnumerateObject().ToDictionary(output => output.Name, output => output.Value.ToString());

        Assert.Equal(Assert.Single(AzureYaml.Load().Services.Keys), tags.GetProperty("azd-service-name").GetString());
        Assert.Equal("test", tags.GetProperty("azd-env-name").GetString());
        Assert.Equal(Name(site), outputs["SERVICE_API_NAME"]);
        Assert.Equal("westeurope", outputs["AZURE_LOCATION"]);
        Assert.Equal(BicepDeploymentFixture.TenantId, outputs["AZURE_TENANT_ID"]);
    }

    [Fact]
    public void Postdeploy_phase_reads_only_outputs_of_main_bicep()
    {
        var parameters = File.ReadAllText(Path.Combine(BicepDeploymentFixture.BicepDirectory, "eventgrid-subscriptions.bicepparam"));
        var read = ReadEnvironmentVariable().Matches(parameters).Select(match => match.Groups[1].Value).ToList();

        Assert.NotEmpty(read);
        Assert.All(read, name => Assert.Contains(name, deployment.SubscriptionPhaseEnvironment.Keys));
    }

    [Theory]
    [InlineData("Microsoft.EventGrid/topics/eventSubscriptions")]
    [InlineData("Microsoft.EventGrid/systemTopics/eventSubscriptions")]
    public void Postdeploy_phase_creates_the_same_subscriptions_on_the_topics_of_the_first_phase(string type)
    {
        var first = Single(type);
        var second = Assert.Single(deployment.SubscriptionPhaseResources, resource => Type(resource) == type);

        Assert.Equal(Id(first), Id(second));
        Assert.True(JsonElement.DeepEquals(Properties(first), Properties(second)), $"{Properties(first)}\n!=\n{Properties(second)}");
        AssertCallsAppRoute(Properties(second).GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString(), "events", EventsKeySecret);
        Assert.Equal(IdentityId(), Properties(second).GetProperty("deadLetterWithResourceIdentity").GetProperty("identity").GetProperty("userAssignedIdentity").GetString());
    }

    [Fact]
    public void Postdeploy_phase_creates_nothing_but_subscriptions()
    {
        Assert.NotEmpty(deployment.SubscriptionPhaseResources);
        Assert.All(deployment.SubscriptionPhaseResources, resource => Assert.EndsWith("/eventSubscriptions", Type(resource), StringComparison.Ordinal));
    }

    private static JsonElement AuthSettings(IEnumerable<JsonElement> resources) =>
        Properties(Assert.Single(resources, resource =>
            Type(resource) == "Microsoft.Web/sites/config" && Name(resource).EndsWith("/authsettingsV2", StringComparison.Ordinal)));

    [System.Text.RegularExpressions.GeneratedRegex(@"readEnvironmentVariable\('([A-Z_]+)'", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ReadEnvironmentVariable();
}
