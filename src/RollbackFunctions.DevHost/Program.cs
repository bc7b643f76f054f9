using RollbackFunctions.DevHost.DurableEngine;
using RollbackFunctions.DevHost.Hosting;
using RollbackFunctions.Intake;
using RollbackFunctions.Intake.OpenApi;
using RollbackFunctions.Observability;
using RollbackFunctions.Workflow;

var commandLine = DevHostCommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(commandLine.BuilderOptions());
builder.AddDevHostConfiguration(commandLine);

// First of the hosted services: nothing reconciles, schedules or runs work before the host holds its tables and task hub.
builder.Services.AddHostedService<StorageLease>();
builder.Services.AddRollbackTelemetry(builder.Configuration, "rollback-functions-devhost");
builder.Services.AddRollbackWorkflow(builder.Configuration);
builder.Services.AddRollbackIntake(builder.Configuration);
builder.Services.AddRollbackOpenApi();
builder.Services.AddHostedService<ReconcilerHostedService>();
builder.Services.AddHostedService<ScheduleHostedService>();
builder.Services.AddDurableEngine(builder.Configuration, registry => registry.AddRollbackWorkflow());

var app = builder.Build();
app.UseRollbackApi();
try
{
    app.Run();
}
catch (StorageLeaseHeldException held)
{
    // A refusal to start, not a crash: one clear line, and an exit code a script can test.
    Console.Error.WriteLine("The dev host did not start: " + held.Message);
    return 3;
}

return 0;
