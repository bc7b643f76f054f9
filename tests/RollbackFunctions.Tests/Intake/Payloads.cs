namespace RollbackFunctions.Tests.Intake;

/// <summary>Request bodies in the shapes the real callers send.</summary>
internal static class Payloads
{
    public static string AlertId(string suffix) =>
        $"/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.AlertsManagement/alerts/{suffix}";

    /// <summary>An Azure Monitor action group webhook in the common alert schema.</summary>
    public static object Alert(string alertId, string condition = "Fired", string? component = IntakeTestHost.Component, string? reason = null, string[]? targets = null) => new
    {
        schemaId = "azureMonitorCommonAlertSchema",
        data = new
        {
            essentials = new
            {
                alertId,
                alertRule = "shop-5xx-rate",
                severity = "Sev1",
                signalType = "Metric",
                monitorCondition = condition,
                monitoringService = "Platform",
                alertTargetIDs = targets ?? [IntakeTestHost.ShopResourceId],
                configurationItems = new[] { "shop-web" },
                originAlertId = "origin-1",
                firedDateTime = DateTimeOffset.UtcNow.ToString("O"), // fresh evidence: older than the release it would be Stale (API.md "Trust rules")
                resolvedDateTime = condition == "Resolved" ? "2026-11-28T14:10:00.000Z" : null,
                description = "HTTP 5xx above 5% for 5 minutes",
                essentialsVersion = "1.0",
                alertContextVersion = "1.0",
            },
            alertContext = new { condition = new { windowSize = "PT5M" } },
            customProperties = component is null && reason is null ? null : new Dictionary<string, string?> { ["component"] = component, ["reason"] = reason },
        },
    };

    public static object Release(string version, char digit, string status = "Verified", string component = IntakeTestHost.Component, string schema = "7") => new
    {
        component,
        version,
        artifact = IntakeTestHost.Digest(digit),
        status,
        schemaVersion = schema,
        commit = "0123abc",
    };

    public static object CloudEvent(string id, string type, object data) => new
    {
        specversion = "1.0",
        id,
        source = "/pipelines/shop",
        type,
        time = DateTimeOffset.UtcNow.ToString("O"),
        datacontenttype = "application/json",
        data,
    };

    public static object GridEvent(string id, string eventType, object data) => new
    {
        id,
        subject = "shop",
        eventType,
        eventTime = DateTimeOffset.UtcNow.ToString("O"),
        dataVersion = "1.0",
        topic = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.EventGrid/topics/rollbacks",
        data,
    };

    /// <summary>A Health Resources system topic event (Event Grid schema) as Azure sends it.</summary>
    public static object HealthEvent(string id, string resourceId, string state, string previous = "Available") => new
    {
        id,
        topic = "/subscriptions/00000000-0000-0000-0000-000000000001",
        subject = resourceId,
        eventType = "Microsoft.ResourceNotifications.HealthResources.AvailabilityStatusChanged",
        eventTime = DateTimeOffset.UtcNow.ToString("O"),
        dataVersion = "1",
        metadataVersion = "1",
        data = new
        {
            resourceInfo = new
            {
                id = resourceId + "/providers/Microsoft.ResourceHealth/availabilityStatuses/current",
                name = "current",
                type = "Microsoft.ResourceHealth/availabilityStatuses",
                properties = new
                {
                    targetResourceId = resourceId,
                    targetResourceType = "Microsoft.Compute/virtualMachines",
                    occurredTime = "2026-11-28T13:59:50.177Z",
                    previousAvailabilityState = previous,
                    availabilityState = state,
                },
            },
            operationalInfo = new { resourceEventTime = "2026-11-28T13:59:50.177+00:00" },
            apiVersion = "2023-12-01",
        },
    };
}
