using Go1.Orders;
using Go1.OrderWorker.Messaging;
using Go1.OrderWorker.Saga;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("go1");
builder.AddTemporalClient("temporal");
builder.Services.AddOrdersModule(builder.Configuration);
builder.AddOrderSaga();
builder.AddOrderEventConsumers();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
