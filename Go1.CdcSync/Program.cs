using Go1.CdcSync;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedisClient("redis");
builder.AddChangeCapture();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
