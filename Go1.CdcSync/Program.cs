using Go1.CdcSync;
using Go1.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGo1RedisClient(ConnectionNames.Redis);
builder.AddChangeCapture();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
