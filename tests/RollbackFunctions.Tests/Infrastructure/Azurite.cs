using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using RollbackFunctions.Storage;

namespace RollbackFunctions.Tests.Infrastructure;

/// <summary>
/// One real Azurite for the whole test run. The test command starts it and names it in ROLLBACK_TEST_STORAGE;
/// without that (an IDE run) it is started here from the repository's lock-pinned install on free loopback ports,
/// with its data in a temporary folder, and stopped when the test process exits.
/// </summary>
public static class Azurite
{
    public const string EnvironmentVariable = "ROLLBACK_TEST_STORAGE";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Lazy<string> Shared = new(StartOrReuse, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ConnectionString => Shared.Value;

    /// <summary>A table prefix no other test uses, so tests run in parallel on one account.</summary>
    public static string CreateTablePrefix() => "T" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Tables under a prefix no other test uses, so tests run in parallel on one account.</summary>
    public static RollbackTables CreateTables(out string prefix)
    {
        prefix = CreateTablePrefix();
        var service = new TableServiceClient(ConnectionString);
        return new RollbackTables(service, Options.Create(new RollbackStorageOptions { TablePrefix = prefix }));
    }

    public static RollbackTables CreateTables() => CreateTables(out _);

    private static string StartOrReuse()
    {
        var existing = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(existing))
        {
            return existing;
        }

        var root = RepositoryRoot.Path;
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}: run ./scripts/test.sh (or npm ci) first, or set {EnvironmentVariable}.");
        }

        var location = Directory.CreateTempSubdirectory("rollback-azurite-").FullName;
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        // A watchdog ends Azurite when this test process is gone: the test host can be killed without running ProcessExit.
        const string watchdog = "\"$0\" \"$@\" & azurite=$!; while kill -0 $PPID_TO_WATCH 2>/dev/null && kill -0 $azurite 2>/dev/null; do sleep 1; done; kill $azurite 2>/dev/null; wait";
        var start = new ProcessStartInfo("bash")
        {
            Environment = { ["PPID_TO_WATCH"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ArgumentList =
            {
                "-c", watchdog, azurite,
                "--location", location, "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--silent",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
                Directory.Delete(location, recursive: true);
            }
            catch (Exception)
            {
                // Best effort at exit.
            }
        };
        foreach (var port in new[] { blob, queue, table })
        {
            WaitForPort(port, process);
        }

        return BuildConnectionString(blob, queue, table);
    }

    public static string BuildConnectionString(int blob, int queue, int table) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WaitForPort(int port, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("Azurite exited: " + process.StandardError.ReadToEnd());
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new TimeoutException($"Azurite did not listen on 127.0.0.1:{port} within 30 s.");
    }
}
