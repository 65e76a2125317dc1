using Go1.Orders;
using Go1.Orders.Application;
using Go1.OrderWorker.Handlers;
using Go1.OrderWorker.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("go1");
builder.AddTemporalClient("temporal");

builder.Services.AddOrdersModule();
builder.Services.AddTemporalOrderWorkflows(builder.Configuration["Temporal:TaskQueue"] ?? OrderWorkflowContract.DefaultTaskQueue);
builder.AddTopicConsumers(typeof(OrderCreatedHandler), typeof(DispatchEventsHandler), typeof(ShipmentEventsHandler));

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
