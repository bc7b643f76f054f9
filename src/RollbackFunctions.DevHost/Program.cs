using RollbackFunctions.DevHost.DurableEngine;
using RollbackFunctions.DevHost.Hosting;
using RollbackFunctions.Intake;
using RollbackFunctions.Intake.OpenApi;
using RollbackFunctions.Observability;
using RollbackFunctions.Workflow;

var commandLine = DevHostCommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(commandLine.BuilderOptions());
builder.AddDevHostConfiguration(commandLine);
builder.Services.AddRollbackTelemetry(builder.Configuration, "rollback-functions-devhost");
builder.Services.AddRollbackWorkflow(builder.Configuration);
builder.Services.AddRollbackIntake(builder.Configuration);
builder.Services.AddRollbackOpenApi();
builder.Services.AddHostedService<ReconcilerHostedService>();
builder.Services.AddHostedService<ScheduleHostedService>();
builder.Services.AddDurableEngine(builder.Configuration, registry => registry.AddRollbackWorkflow());

var app = builder.Build();
app.UseRollbackApi();
app.Run();
