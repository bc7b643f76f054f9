using RollbackFunctions.DevHost.DurableEngine;
using RollbackFunctions.DevHost.Hosting;

var commandLine = DevHostCommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(commandLine.BuilderOptions());
builder.AddDevHostConfiguration(commandLine);
builder.Services.AddDurableEngine(builder.Configuration, registry => { });

var app = builder.Build();
app.Run();
