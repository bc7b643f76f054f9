using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace RollbackFunctions.Tests.Infra;

/// <summary>
/// The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package the test project downloads at restore; its path
/// is baked into the assembly at build (<c>BicepCliPath</c> metadata), so <c>dotnet test</c> alone finds it.
/// Every run must be silent: any diagnostic (warning or error) fails it, as in scripts/test.d/bicep.sh.
/// </summary>
public static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string ExecutablePath
    {
        get
        {
            var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(attribute => attribute.Key == "BicepCliPath")?.Value;
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"The Bicep CLI is not at '{path}': restore the test project (dotnet restore) so its PackageDownload fetches it.");
            }

            return path;
        }
    }

    /// <summary>Runs the CLI in <paramref name="workingDirectory"/> and returns its standard output.</summary>
    public static Task<string> RunAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), arguments);

    /// <summary>
    /// Runs the CLI with <paramref name="environment"/> set (the variables a .bicepparam file reads, as azd passes its
    /// environment values) and returns its standard output.
    /// </summary>
    public static async Task<string> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The .bicepparam files read these; the tests check the files' own defaults, whatever the shell has set.
        foreach (var name in start.Environment.Keys.Where(IsReadByParameterFiles).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran longer than {Timeout}.");
        }

        var output = await stdout;
        var diagnostics = (await stderr).Trim();
        if (process.ExitCode != 0 || diagnostics.Length > 0)
        {
            var message = new StringBuilder()
                .Append("bicep ").AppendJoin(' ', arguments).Append(" exited ").Append(process.ExitCode)
                .AppendLine(" with diagnostics (zero warnings is the rule):").Append(diagnostics);
            throw new InvalidOperationException(message.ToString());
        }

        return output;
    }

    private static bool IsReadByParameterFiles(string name) =>
        name is "AZURE_ENV_NAME" or "FUNCTION_APP_NAME" or "STORAGE_ACCOUNT_NAME" or "MANAGED_IDENTITY_NAME" or "KEY_VAULT_NAME" or "EVENTS_KEY_SECRET_NAME"
        || name.StartsWith("ROLLBACK_", StringComparison.Ordinal)
        || name.StartsWith("EVENT_GRID_", StringComparison.Ordinal);
}
