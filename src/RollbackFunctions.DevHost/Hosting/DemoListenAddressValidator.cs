using System.Net;
using Microsoft.Extensions.Options;

namespace RollbackFunctions.DevHost.Hosting;

/// <summary>
/// Demo mode prints its key and runs simulators that accept anything: it listens on loopback only. Every address the
/// server would bind (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>Kestrel:Endpoints:{name}:Url</c>) must be 127.0.0.0/8,
/// ::1 or localhost, or the host stops at start, before anything listens, with the offending address and the fix.
/// </summary>
internal sealed class DemoListenAddressValidator(IConfiguration configuration) : IValidateOptions<DevHostOptions>
{
    public ValidateOptionsResult Validate(string? name, DevHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Demo)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = ListenAddresses()
            .Where(address => !IsLoopback(address.Url))
            .Select(address => $"Demo mode listens on loopback only: '{address.Url}' (from {address.Setting}) is not a loopback address. "
                + $"Use 127.0.0.1, [::1] or localhost (e.g. --urls {DevHostOptions.DefaultUrl}), or run without --demo and with your own keys.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private IEnumerable<(string Setting, string Url)> ListenAddresses()
    {
        foreach (var url in (configuration[WebHostDefaults.ServerUrlsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return ("urls: --urls or ASPNETCORE_URLS", url);
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return ($"Kestrel:Endpoints:{endpoint.Key}:Url", url);
            }
        }
    }

    private static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }

        if (address.IsNamedPipe || address.IsUnixPipe)
        {
            // A local socket or pipe is not reachable from another machine.
            return true;
        }

        return string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
