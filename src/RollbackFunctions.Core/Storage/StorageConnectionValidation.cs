namespace RollbackFunctions.Storage;

/// <summary>Fails the host at start, naming the setting to set, when the storage connection is missing.</summary>
internal sealed class StorageConnectionValidation(IConfiguration configuration, string connectionName, string service)
    : IValidateOptions<RollbackStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, RollbackStorageOptions options) =>
        StorageConnection.Validate(configuration, connectionName, service) is { } error
            ? ValidateOptionsResult.Fail(error)
            : ValidateOptionsResult.Success;
}
