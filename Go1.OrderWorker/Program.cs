using Go1.Orders;
using Go1.Orders.Application;
using Go1.OrderWorker.Handlers;
using Go1.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("go1");
builder.AddTemporalClient("temporal");

builder.Services.AddOrdersModule();
builder.Services.AddTemporalOrderWorkflows(builder.Configuration["Temporal:TaskQueue"] ?? OrderWorkflowContract.DefaultTaskQueue);
builder.AddTopicConsumers("go1-orderworker", typeof(OrderCreatedHandler), typeof(DispatchEventsHandler), typeof(ShipmentEventsHandler));

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
