using Go1.Orders;
using Go1.OrderWorker.Handlers;
using Go1.OrderWorker.Saga;
using Go1.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("go1");
builder.AddTemporalClient("temporal");

var saga = builder.Configuration.GetSection(OrderSagaOptions.SectionName).Get<OrderSagaOptions>() ?? new OrderSagaOptions();
builder.Services.AddOptions<OrderSagaOptions>().BindConfiguration(OrderSagaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOrdersModule(builder.Configuration);
builder.Services.AddOrderSagaSteps(builder.Configuration);
builder.Services.AddTemporalOrderWorkflows(saga.TaskQueue, saga.MaxRideDuration);
if (saga.WorkerEnabled)
{
    builder.Services.AddSingleton<OrderActivities>();
    builder.Services.AddSingleton<OrderSagaWorker>();
    builder.Services.AddHostedService(sp => sp.GetRequiredService<OrderSagaWorker>());
    builder.Services.AddHealthChecks().Add(new("temporal-worker", sp => sp.GetRequiredService<OrderSagaWorker>(), failureStatus: null, tags: ["ready"]));
}

builder.Services.AddOptions<OrderSagaReconcilerOptions>().BindConfiguration(OrderSagaReconcilerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
if (builder.Configuration.GetValue(OrderSagaReconcilerOptions.SectionName + ":Enabled", true))
{
    builder.Services.AddHostedService<OrderSagaReconciler>();
}

builder.AddTopicConsumers("go1-orderworker", typeof(OrderCreatedHandler), typeof(DispatchEventsHandler), typeof(ShipmentEventsHandler));

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
