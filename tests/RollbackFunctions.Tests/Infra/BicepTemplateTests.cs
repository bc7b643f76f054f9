using System.Text.Json;
using System.Text.RegularExpressions;

namespace RollbackFunctions.Tests.Infra;

/// <summary>
/// What infra/bicep/main.bicep deploys, read from the compiled ARM template and the Bicep CLI's deployment snapshot:
/// no shared keys anywhere, identity-based connections, the data roles the Durable Task Azure Storage provider needs,
/// Entra ID-only telemetry and Event Grid, Key Vault references for provider secrets, and the Azure Monitor and Event
/// Grid wiring into the app's routes. Each fact is one property of the template: removing it from the Bicep fails it.
/// </summary>
public sealed partial class BicepTemplateTests(BicepDeploymentFixture deployment) : IClassFixture<BicepDeploymentFixture>
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160ff3a";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string AlertsKeySecret = "rollback-alerts-key";
    private const string EventsKeySecret = "rollback-events-key";
    private const string PipelineKeySecret = "rollback-function-key";

    [Fact]
    public void Storage_account_refuses_shared_key_access()
    {
        var storage = Properties(Single("Microsoft.Storage/storageAccounts"));

        Assert.Equal(JsonValueKind.False, storage.GetProperty("allowSharedKeyAccess").ValueKind);
    }

    [Fact]
    public void Storage_account_requires_TLS_1_2_and_allows_no_public_blobs()
    {
        var storage = Properties(Single("Microsoft.Storage/storageAccounts"));

        Assert.Equal("TLS1_2", storage.GetProperty("minimumTlsVersion").GetString());
        Assert.Equal(JsonValueKind.False, storage.GetProperty("allowBlobPublicAccess").ValueKind);
    }

    [Fact]
    public void App_settings_hold_no_storage_connection_string_key_or_SAS()
    {
        var settings = AppSettings();

        Assert.DoesNotContain(settings, setting =>
            setting.Value.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase)
            || setting.Value.Contains("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase)
            || setting.Value.Contains("DefaultEndpointsProtocol=", StringComparison.OrdinalIgnoreCase)
            || setting.Value.Contains("sig=", StringComparison.OrdinalIgnoreCase));
        // A connection set directly (not through "__" children) would be a connection string.
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.DoesNotContain("DurableTaskStorage", settings.Keys);
        Assert.DoesNotContain("RollbackStorage", settings.Keys);
    }

    [Fact]
    public void The_deployment_lists_no_keys_neither_the_function_hosts_nor_storage_keys()
    {
        // Every list*() call the deployment makes, in the evaluated resources and in the raw template. The app checks
        // its callers itself (RollbackApi:Keys), so the Functions host's keys would be refused: none is listed.
        var calls = AllStrings(deployment.Resources).SelectMany(ListCalls).ToList();
        var templateCalls = AllStrings([deployment.Template]).SelectMany(ListCalls).ToList();

        Assert.Empty(calls);
        Assert.Empty(templateCalls);
        Assert.DoesNotContain(AllStrings([deployment.Template]), text => text.Contains("/host/default", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(AllStrings([deployment.Template]), text => text.Contains("listAccountSas", StringComparison.OrdinalIgnoreCase) || text.Contains("listServiceSas", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("AzureWebJobsStorage", new[] { "blob", "queue", "table" })]
    [InlineData("DurableTaskStorage", new[] { "blob", "queue", "table" })]
    [InlineData("RollbackStorage", new[] { "table" })]
    public void Storage_connection_uses_the_user_assigned_identity(string connection, string[] services)
    {
        var settings = AppSettings();
        var storageId = Id(Single("Microsoft.Storage/storageAccounts"));

        Assert.Equal("managedidentity", settings.GetValueOrDefault($"{connection}__credential"));
        AssertReferencesIdentity(settings.GetValueOrDefault($"{connection}__clientId"), "clientId");
        foreach (var service in services)
        {
            var endpoint = settings.GetValueOrDefault($"{connection}__{service}ServiceUri");
            Assert.NotNull(endpoint);
            Assert.StartsWith($"[reference('{storageId}', ", endpoint, StringComparison.Ordinal);
            Assert.EndsWith($").primaryEndpoints.{service}]", endpoint, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(StorageBlobDataOwner, "Microsoft.Storage/storageAccounts")]
    [InlineData(StorageQueueDataContributor, "Microsoft.Storage/storageAccounts")]
    [InlineData(StorageTableDataContributor, "Microsoft.Storage/storageAccounts")]
    [InlineData(MonitoringMetricsPublisher, "Microsoft.Insights/components")]
    [InlineData(KeyVaultSecretsUser, "Microsoft.KeyVault/vaults")]
    public void Role_is_granted_to_the_app_identity_on_its_resource(string roleDefinitionId, string scopeType)
    {
        // The app identity's grant; the pipelines' Key Vault Secrets User on their one secret has its own test.
        var assignment = Assert.Single(OfType("Microsoft.Authorization/roleAssignments"), resource =>
            Properties(resource).GetProperty("roleDefinitionId").GetString()!.EndsWith($"/roleDefinitions/{roleDefinitionId}", StringComparison.Ordinal)
            && Properties(resource).GetProperty("principalId").GetString() != BicepDeploymentFixture.PipelinePrincipalId);
        var scopeId = Id(Single(scopeType));

        Assert.StartsWith($"[extensionResourceId('{scopeId}', 'Microsoft.Authorization/roleAssignments', ", Id(assignment), StringComparison.Ordinal);
        AssertReferencesIdentity(Properties(assignment).GetProperty("principalId").GetString(), "principalId");
        Assert.Equal("ServicePrincipal", Properties(assignment).GetProperty("principalType").GetString());
    }

    [Theory]
    [InlineData(StorageBlobDataOwner)]
    [InlineData(StorageQueueDataContributor)]
    [InlineData(StorageTableDataContributor)]
    [InlineData(MonitoringMetricsPublisher)]
    [InlineData(KeyVaultSecretsUser)]
    public void Role_assignment_is_named_by_guid_of_scope_principal_and_role(string roleDefinitionId)
    {
        // In the template itself: the role id may sit in a variable of the module's inner template.
        // The app identity's single grant; grants in a loop (the pipelines', the publishers') have their own tests.
        var assignment = Assert.Single(TemplateResources(deployment.Template), entry =>
            entry.Resource.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments"
            && !entry.Resource.TryGetProperty("copy", out _)
            && ResolveVariables(entry.Resource.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!, entry.Template).Contains(roleDefinitionId, StringComparison.Ordinal));
        var name = ResolveVariables(assignment.Resource.GetProperty("name").GetString()!, assignment.Template);

        Assert.StartsWith("[guid(", name, StringComparison.Ordinal);
        Assert.Contains(roleDefinitionId, name, StringComparison.Ordinal);
        Assert.Contains("principalId", name, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Application_Insights_accepts_only_Entra_ID_authenticated_telemetry()
    {
        var insights = Properties(Single("Microsoft.Insights/components"));

        Assert.Equal(JsonValueKind.True, insights.GetProperty("DisableLocalAuth").ValueKind);
        Assert.Equal(Id(Single("Microsoft.OperationalInsights/workspaces")), insights.GetProperty("WorkspaceResourceId").GetString());
    }

    [Fact]
    public void App_sends_telemetry_with_its_identity()
    {
        var settings = AppSettings();
        var authentication = settings.GetValueOrDefault("APPLICATIONINSIGHTS_AUTHENTICATION_STRING");

        Assert.StartsWith($"[reference('{Id(Single("Microsoft.Insights/components"))}', ", settings.GetValueOrDefault("APPLICATIONINSIGHTS_CONNECTION_STRING"), StringComparison.Ordinal);
        Assert.NotNull(authentication);
        Assert.StartsWith("[format('ClientId={0};Authorization=AAD', reference('" + IdentityId() + "', ", authentication, StringComparison.Ordinal);
        Assert.EndsWith(").clientId)]", authentication, StringComparison.Ordinal);
    }

    [Fact]
    public void Action_group_calls_the_alerts_route_with_the_common_alert_schema()
    {
        var receiver = Assert.Single(Properties(Single("Microsoft.Insights/actionGroups")).GetProperty("webhookReceivers").EnumerateArray());

        Assert.Equal(JsonValueKind.True, receiver.GetProperty("useCommonAlertSchema").ValueKind);
        AssertCallsAppRoute(receiver.GetProperty("serviceUri").GetString(), "alerts", AlertsKeySecret);
    }

    [Fact]
    public void Example_alert_rule_names_its_component_to_the_action_group()
    {
        var rule = Properties(Single("Microsoft.Insights/metricAlerts"));
        var action = Assert.Single(rule.GetProperty("actions").EnumerateArray());

        Assert.Equal(BicepDeploymentFixture.ExampleAlertTarget, Assert.Single(rule.GetProperty("scopes").EnumerateArray()).GetString());
        Assert.Equal(Id(Single("Microsoft.Insights/actionGroups")), action.GetProperty("actionGroupId").GetString());
        // Delivered as data.customProperties.component in the common alert schema.
        Assert.Equal(BicepDeploymentFixture.ExampleComponent, action.GetProperty("webHookProperties").GetProperty("component").GetString());
    }

    [Fact]
    public void Function_app_runs_on_Flex_Consumption_FC1_Linux()
    {
        var plan = Single("Microsoft.Web/serverfarms");
        var site = Single("Microsoft.Web/sites");

        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.Equal(JsonValueKind.True, Properties(plan).GetProperty("reserved").ValueKind);
        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        Assert.Equal(Id(plan), Properties(site).GetProperty("serverFarmId").GetString());
    }

    [Fact]
    public void Function_app_runtime_is_dotnet_isolated_10()
    {
        var runtime = Properties(Single("Microsoft.Web/sites")).GetProperty("functionAppConfig").GetProperty("runtime");

        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("10.0", runtime.GetProperty("version").GetString());
        // Flex Consumption takes the runtime from functionAppConfig and refuses these settings.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", AppSettings().Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", AppSettings().Keys);
    }

    [Fact]
    public void Flex_deployment_package_is_read_with_the_user_assigned_identity()
    {
        var storage = Properties(Single("Microsoft.Web/sites")).GetProperty("functionAppConfig").GetProperty("deployment").GetProperty("storage");
        var container = Single("Microsoft.Storage/storageAccounts/blobServices/containers", resource => Name(resource).Contains("/app-package-", StringComparison.Ordinal));

        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        Assert.EndsWith($", '{Name(container).Split('/')[^1]}')]", storage.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Equal("UserAssignedIdentity", storage.GetProperty("authentication").GetProperty("type").GetString());
        Assert.Equal(IdentityId(), storage.GetProperty("authentication").GetProperty("userAssignedIdentityResourceId").GetString());
    }

    [Fact]
    public void Provider_secrets_are_Key_Vault_references_resolved_with_the_app_identity()
    {
        var vault = Single("Microsoft.KeyVault/vaults");

        Assert.Equal(
            $"@Microsoft.KeyVault(VaultName={Name(vault)};SecretName={BicepDeploymentFixture.ProviderSecretName})",
            AppSettings().GetValueOrDefault(BicepDeploymentFixture.ProviderSecretSetting));
        Assert.Equal(IdentityId(), Properties(Single("Microsoft.Web/sites")).GetProperty("keyVaultReferenceIdentity").GetString());
    }

    [Fact]
    public void Key_Vault_uses_RBAC_with_soft_delete_and_purge_protection()
    {
        var vault = Properties(Single("Microsoft.KeyVault/vaults"));

        Assert.Equal(JsonValueKind.True, vault.GetProperty("enableRbacAuthorization").ValueKind);
        Assert.Equal(JsonValueKind.True, vault.GetProperty("enableSoftDelete").ValueKind);
        Assert.Equal(JsonValueKind.True, vault.GetProperty("enablePurgeProtection").ValueKind);
    }

    [Fact]
    public void Rollback_settings_come_from_the_parameters()
    {
        var settings = AppSettings();

        Assert.Equal("00:05:00", settings.GetValueOrDefault("Rollback__Budget"));
        Assert.Equal("00:30:00", settings.GetValueOrDefault("Rollback__ConfirmationWindow"));
        Assert.Equal(BicepDeploymentFixture.IncidentUrl, settings.GetValueOrDefault("Rollback__Incident__Url"));
        Assert.Equal("github", settings.GetValueOrDefault($"Rollback__Components__{BicepDeploymentFixture.ExampleComponent}__Provider"));
        Assert.Equal("GitHubActions", settings.GetValueOrDefault("Rollback__Providers__github__Type"));
    }

    [Fact]
    public void Event_Grid_topic_takes_CloudEvents_from_Entra_ID_publishers_only()
    {
        var topic = Properties(Single("Microsoft.EventGrid/topics"));

        Assert.Equal(JsonValueKind.True, topic.GetProperty("disableLocalAuth").ValueKind);
        Assert.Equal("CloudEventSchemaV1_0", topic.GetProperty("inputSchema").GetString());
    }

    [Fact]
    public void Event_subscription_delivers_CloudEvents_to_the_events_route_and_dead_letters_the_rest()
    {
        var subscription = Properties(Single("Microsoft.EventGrid/topics/eventSubscriptions"));
        var deadLetter = subscription.GetProperty("deadLetterWithResourceIdentity");

        Assert.Equal("CloudEventSchemaV1_0", subscription.GetProperty("eventDeliverySchema").GetString());
        Assert.Equal("WebHook", subscription.GetProperty("destination").GetProperty("endpointType").GetString());
        AssertCallsAppRoute(subscription.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString(), "events", EventsKeySecret);
        Assert.Contains("Rollback.Trigger.HealthDegraded", subscription.GetProperty("filter").GetProperty("includedEventTypes").EnumerateArray().Select(type => type.GetString()));
        Assert.Equal(IdentityId(), deadLetter.GetProperty("identity").GetProperty("userAssignedIdentity").GetString());
        Assert.Equal(Id(Single("Microsoft.Storage/storageAccounts")), deadLetter.GetProperty("deadLetterDestination").GetProperty("properties").GetProperty("resourceId").GetString());
    }

    [Fact]
    public void Health_Resources_system_topic_delivers_availability_changes_to_the_events_route()
    {
        var topic = Properties(Single("Microsoft.EventGrid/systemTopics"));
        var subscription = Properties(Single("Microsoft.EventGrid/systemTopics/eventSubscriptions"));

        Assert.Equal("Microsoft.ResourceNotifications.HealthResources", topic.GetProperty("topicType").GetString());
        Assert.Equal($"/subscriptions/{BicepDeploymentFixture.SubscriptionId}", topic.GetProperty("source").GetString());
        Assert.Equal(
            "Microsoft.ResourceNotifications.HealthResources.AvailabilityStatusChanged",
            Assert.Single(subscription.GetProperty("filter").GetProperty("includedEventTypes").EnumerateArray()).GetString());
        AssertCallsAppRoute(subscription.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString(), "events", EventsKeySecret);
    }

    [Fact]
    public void Shipped_parameters_create_no_event_subscription_before_the_code_is_published()
    {
        // Event Grid handshakes with POST /api/events when a subscription is created: on a first deployment the code
        // is not there yet, so main.bicepparam leaves subscriptions to the second deployment.
        Assert.DoesNotContain(deployment.ShippedResources, resource => Type(resource).EndsWith("/eventSubscriptions", StringComparison.Ordinal));
        Assert.Contains(deployment.ShippedResources, resource => Type(resource) == "Microsoft.EventGrid/topics");
        Assert.Contains(deployment.ShippedResources, resource => Type(resource) == "Microsoft.Web/sites");
    }

    [Fact]
    public void Shipped_parameters_keep_provider_credentials_in_Key_Vault()
    {
        var settings = Properties(Assert.Single(deployment.ShippedResources, resource =>
                Type(resource) == "Microsoft.Web/sites/config" && Name(resource).EndsWith("/appsettings", StringComparison.Ordinal)))
            .EnumerateObject().ToDictionary(setting => setting.Name, setting => setting.Value.GetString()!, StringComparer.Ordinal);
        var vault = Name(Assert.Single(deployment.ShippedResources, resource => Type(resource) == "Microsoft.KeyVault/vaults"));
        var credentials = settings.Where(setting => setting.Key.EndsWith("__Token", StringComparison.Ordinal) || setting.Key.EndsWith("__PrivateKey", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(credentials);
        Assert.All(credentials, setting => Assert.StartsWith($"@Microsoft.KeyVault(VaultName={vault};SecretName=", setting.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void Outputs_name_what_pipelines_need_and_hold_no_secret()
    {
        var outputs = deployment.Outputs.EnumerateObject().ToDictionary(output => output.Name, output => output.Value.ToString());

        Assert.Equal(Name(Single("Microsoft.Web/sites")), outputs["FUNCTION_APP_NAME"]);
        Assert.Equal(Name(Single("Microsoft.Storage/storageAccounts")), outputs["STORAGE_ACCOUNT_NAME"]);
        AssertReferencesIdentity(outputs["AZURE_CLIENT_ID"], "clientId");
        Assert.Contains(".endpoint", outputs["EVENT_GRID_TOPIC_ENDPOINT"], StringComparison.Ordinal);
        Assert.DoesNotContain(outputs.Values, value => ListCalls(value).Any());
    }

    /// <summary>Each list*(...) call in an ARM expression (listKeys, listAccountSas, ...), with its balanced arguments.</summary>
    private static IEnumerable<string> ListCalls(string expression)
    {
        foreach (Match start in ListCallStart().Matches(expression))
        {
            var depth = 0;
            var quoted = false;
            for (var index = start.Index + start.Length - 1; index < expression.Length; index++)
            {
                var character = expression[index];
                if (character == '\'')
                {
                    quoted = !quoted;
                }
                else if (!quoted && character == '(')
                {
                    depth++;
                }
                else if (!quoted && character == ')' && --depth == 0)
                {
                    yield return expression[start.Index..(index + 1)];
                    break;
                }
            }
        }
    }

    [GeneratedRegex(@"\blist[A-Za-z]*\(", RegexOptions.CultureInvariant)]
    private static partial Regex ListCallStart();

    private IEnumerable<JsonElement> OfType(string type) => deployment.Resources.Where(resource => Type(resource) == type);

    private JsonElement Single(string type) => Assert.Single(OfType(type));

    private JsonElement Single(string type, Func<JsonElement, bool> predicate) => Assert.Single(OfType(type), resource => predicate(resource));

    private static string Type(JsonElement resource) => resource.GetProperty("type").GetString()!;

    private static string Id(JsonElement resource) => resource.GetProperty("id").GetString()!;

    private static string Name(JsonElement resource) => resource.GetProperty("name").GetString()!;

    private static JsonElement Properties(JsonElement resource) => resource.GetProperty("properties");

    private Dictionary<string, string> AppSettings() =>
        Properties(Single("Microsoft.Web/sites/config", resource => Name(resource).EndsWith("/appsettings", StringComparison.Ordinal)))
            .EnumerateObject().ToDictionary(setting => setting.Name, setting => setting.Value.GetString()!, StringComparer.Ordinal);

    /// <summary>The identity the function app runs as (the only user-assigned identity on the site).</summary>
    private string IdentityId()
    {
        var site = Single("Microsoft.Web/sites");
        var identity = site.GetProperty("identity");
        Assert.Equal("UserAssigned", identity.GetProperty("type").GetString());
        var id = Assert.Single(identity.GetProperty("userAssignedIdentities").EnumerateObject()).Name;
        Assert.Equal(Id(Single("Microsoft.ManagedIdentity/userAssignedIdentities")), id);
        return id;
    }

    private void AssertReferencesIdentity(string? value, string property)
    {
        Assert.NotNull(value);
        Assert.StartsWith($"[reference('{IdentityId()}', ", value, StringComparison.Ordinal);
        Assert.EndsWith($").{property}]", value, StringComparison.Ordinal);
    }

    /// <summary>https://{the app's host}/api/{route}?code={the secret's value, read from the vault at deployment}.</summary>
    private void AssertCallsAppRoute(string? url, string route, string secretName) => AssertCallsAppRoute(deployment.Resources, url, route, secretName);

    private static void AssertCallsAppRoute(IReadOnlyList<JsonElement> resources, string? url, string route, string secretName)
    {
        var site = Id(Assert.Single(resources, resource => Type(resource) == "Microsoft.Web/sites"));
        var vault = Id(Assert.Single(resources, resource => Type(resource) == "Microsoft.KeyVault/vaults"));
        Assert.NotNull(url);
        Assert.StartsWith($"[format('https://{{0}}/api/{route}?code={{1}}', reference('{site}', ", url, StringComparison.Ordinal);
        Assert.EndsWith($"getKeyVaultSecret('{vault}', '{secretName}'))]", url, StringComparison.Ordinal);
    }

    private static IEnumerable<string> AllStrings(IEnumerable<JsonElement> roots)
    {
        var pending = new Stack<JsonElement>(roots);
        while (pending.Count > 0)
        {
            var element = pending.Pop();
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    yield return element.GetString()!;
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        pending.Push(item);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        yield return property.Name;
                        pending.Push(property.Value);
                    }

                    break;
            }
        }
    }

    /// <summary>Every resource of a template and of the inner templates of its nested deployments (modules).</summary>
    private static IEnumerable<(JsonElement Resource, JsonElement Template)> TemplateResources(JsonElement template)
    {
        var resources = template.GetProperty("resources");
        var all = resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(resource => resource.Value)
            : resources.EnumerateArray();
        foreach (var resource in all)
        {
            yield return (resource, template);
            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments"
                && resource.GetProperty("properties").TryGetProperty("template", out var inner))
            {
                foreach (var nested in TemplateResources(inner))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>Replaces variables('x') by the string value of x in that template, so a role id kept in a variable shows.</summary>
    private static string ResolveVariables(string expression, JsonElement template) =>
        template.TryGetProperty("variables", out var variables)
            ? VariableReference().Replace(expression, match =>
                variables.TryGetProperty(match.Groups[1].Value, out var value) && value.ValueKind == JsonValueKind.String
                    ? $"'{value.GetString()}'"
                    : match.Value)
            : expression;

    [GeneratedRegex(@"variables\('([^']+)'\)", RegexOptions.CultureInvariant)]
    private static partial Regex VariableReference();
}
