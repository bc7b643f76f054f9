using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using RollbackFunctions.Workflow;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddRollbackWorkflow(builder.Configuration);
builder.Build().Run();
