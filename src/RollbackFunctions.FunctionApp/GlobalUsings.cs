// Namespaces most of this project's files use (as eShop's services do): the files list only what is particular to them.
global using Microsoft.Azure.Functions.Worker;
global using RollbackFunctions.Intake;
global using Microsoft.DurableTask.Client;
global using Microsoft.AspNetCore.Http;
global using Microsoft.DurableTask;
global using RollbackFunctions.Workflow;
