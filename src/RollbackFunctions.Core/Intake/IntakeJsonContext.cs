using System.Text.Json.Serialization;

namespace RollbackFunctions.Intake;

/// <summary>
/// The request bodies as the serializer reads them, generated at build time. Our own request shapes refuse members
/// they do not know (a misspelt <c>targetVersoin</c> is an error, not a silent default); the shapes Azure defines
/// (the common alert schema, Health Resources, the validation handshake) skip them, since Azure adds fields.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowDuplicateProperties = false,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    MaxDepth = IntakeLimits.MaxJsonDepth)]
// Ours: /api/rollbacks, /api/releases, confirm, unfreeze, abort, and the data of our event types.
[JsonSerializable(typeof(PipelineRollbackBody))]
[JsonSerializable(typeof(ReleaseBody))]
[JsonSerializable(typeof(ConfirmBody))]
[JsonSerializable(typeof(UnfreezeBody))]
[JsonSerializable(typeof(AbortBody))]
[JsonSerializable(typeof(Drills.DrillBody))]
[JsonSerializable(typeof(TriggerEventData))]

// Azure's: the common alert schema, Health Resources and Event Grid's handshake; an event batch before its envelopes are parsed.
[JsonSerializable(typeof(AzureMonitorAlertBody))]
[JsonSerializable(typeof(HealthResourcesData))]
[JsonSerializable(typeof(SubscriptionValidationData))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class IntakeJsonContext : JsonSerializerContext;
