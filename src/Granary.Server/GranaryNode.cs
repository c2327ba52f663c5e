using Granary.Cluster.DataPlane;
using Granary.Cluster.Datasets;
using Granary.Cluster.Evaluation;
using Granary.Cluster.Jobs;
using Granary.Cluster.Observability;
using Granary.Cluster.Placement;
using OpenTelemetry.Metrics;
using Granary.Cluster.Serving;
using Granary.Cluster.Training;
using Granary.Server.Nodes;
using Granary.Server.Inference;
using Granary.Server.Api;
using Granary.Server.Auth;
using Granary.Server.Hosting;
using Granary.Server.Problems;
using Granary.Storage.Blobs;
using Granary.Storage.Chunks;
using Granary.Storage.Evaluations;
using Granary.Storage.Jobs;
using Granary.Storage.Metadata;
using Granary.Storage.Models;
using Granary.Storage.Nodes;
using Microsoft.Extensions.Options;

namespace Granary.Server;

/// <summary>
/// Composes one Granary node: ASP.NET Core and an Orleans silo in one process, the stores, and the APIs.
/// With no configuration it is a complete single node on 127.0.0.1:5080 with its data in ./granary-data.
/// </summary>
public static class GranaryNode
{
    /// <summary>Command-line shortcuts on top of the usual <c>--Section:Key=value</c> form.</summary>
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--data"] = $"{NodeOptions.Section}:{nameof(NodeOptions.DataDirectory)}",
        ["--cluster"] = $"{ClusterOptions.Section}:{nameof(ClusterOptions.Name)}",
        ["--postgres"] = $"{StorageOptions.Section}:{nameof(StorageOptions.PostgresConnectionString)}",
        ["--blobs"] = $"{StorageOptions.Section}:{nameof(StorageOptions.BlobsPath)}",
    };

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddEnvironmentVariables("GRANARY_");
        builder.Configuration.AddCommandLine(args, SwitchMappings.ToDictionary());
        configure?.Invoke(builder);
        builder.AddGranary();
        var app = builder.Build();
        app.MapGranary();
        return app;
    }

    public static WebApplicationBuilder AddGranary(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        configuration.AddInMemoryCollection(StorageConfiguration.Implied(configuration));

        var urls = BindPolicy.ParseUrls(configuration["urls"]);
        if (string.IsNullOrWhiteSpace(configuration["urls"]) && string.IsNullOrWhiteSpace(configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(NodeOptions.DefaultUrl);
        }

        var kestrelUrls = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>();
        services.AddSingleton(new BindAddresses(urls.Concat(kestrelUrls).ToList()));

        AddOptions<NodeOptions>(services, configuration, NodeOptions.Section);
        AddOptions<StorageOptions>(services, configuration, StorageOptions.Section);
        AddOptions<DatasetsOptions>(services, configuration, DatasetsOptions.Section);
        AddOptions<AuthOptions>(services, configuration, AuthOptions.Section);
        AddOptions<ClusterOptions>(services, configuration, ClusterOptions.Section);
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        // Start-up notes that are not actionable here: the ServerGC advice (a small node keeps workstation
        // GC on purpose) and the watchdog's first check, which measures from an unset time.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole();
        }

        services.AddSingleton(TimeProvider.System);
        // One store instance serves datasets, keys and the model registry: same database, same connections.
        services.AddSingleton(sp => StorageConfiguration.CreateMetadataStore(sp.GetRequiredService<IOptions<NodeOptions>>().Value, sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<IMetadataStore>(sp => sp.GetRequiredService<SqlMetadataStore>());
        services.AddSingleton<IModelStore>(sp => sp.GetRequiredService<SqlMetadataStore>());
        services.AddSingleton<IJobStore>(sp => sp.GetRequiredService<SqlMetadataStore>());
        services.AddSingleton<IEvaluationStore>(sp => sp.GetRequiredService<SqlMetadataStore>());
        services.AddSingleton<INodeStore>(sp => sp.GetRequiredService<SqlMetadataStore>());
        services.AddSingleton<IWriteHoldStore>(sp => sp.GetRequiredService<SqlMetadataStore>());
        services.AddSingleton<IBlobStore>(sp => CreateBlobStore(sp.GetRequiredService<IOptions<NodeOptions>>().Value, sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(sp => new ChunkCache(sp.GetRequiredService<IBlobStore>(), sp.GetRequiredService<IOptions<DatasetsOptions>>().Value.ChunkCacheBytes));
        services.AddSingleton(sp => new ComputeGate(sp.GetRequiredService<IOptions<NodeOptions>>().Value is { ComputeSlots: > 0 } node ? node.ComputeSlots : Environment.ProcessorCount));
        services.AddSingleton<OrphanSweeper>();
        services.AddSingleton<UploadRegistry>();
        services.AddSingleton<InFlightWrites>();
        services.AddSingleton<DatasetIngestor>();
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<NodeReadiness>();
        services.AddHostedService<NodeStartup>();
        services.AddHostedService<OrphanSweepService>();
        AddOptions<JobsOptions>(services, configuration, JobsOptions.Section);
        services.AddSingleton(sp => JobRunnerIdentity.LoadOrCreate(sp.GetRequiredService<IOptions<NodeOptions>>().Value.DataDirectory));
        services.AddSingleton<JobSignal>();
        services.AddSingleton<TrainSpecValidator>();
        services.AddSingleton<ModelResolver>();
        services.AddSingleton<PredictorCache>();
        services.AddSingleton<ModelServing>();
        services.AddSingleton<TrainingPlanner>();
        services.AddSingleton<IJobRunner, TrainJobRunner>();
        services.AddSingleton<IJobRunner, EvaluateJobRunner>();
        services.AddSingleton<EvaluateSpecValidator>();
        services.AddSingleton<IJobRunner, PredictJobRunner>();
        services.AddSingleton<PredictSpecValidator>();
        services.AddSingleton(sp => new EncodedChunkCache(sp.GetRequiredService<IOptions<DatasetsOptions>>().Value.ChunkCacheBytes));

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (!context.ProblemDetails.Extensions.ContainsKey("code"))
            {
                context.ProblemDetails.Extensions["code"] = context.ProblemDetails.Status switch
                {
                    404 => ErrorCodes.NotFound,
                    405 => ErrorCodes.MethodNotAllowed,
                    413 => ErrorCodes.PayloadTooLarge,
                    415 => ErrorCodes.UnsupportedMediaType,
                    >= 500 => ErrorCodes.InternalError,
                    _ => ErrorCodes.BadRequest,
                };
            }
        });
        services.AddExceptionHandler<GranaryExceptionHandler>();
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.NumberHandling = Client.GranaryJson.Options.NumberHandling);
        services.AddOpenApi();
        services.AddSingleton<GranaryMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(GranaryMetrics.MeterName)
            .AddPrometheusExporter());
        services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 16L << 20);

        builder.AddGranarySilo(
            configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions(),
            configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions(),
            JobRunnerIdentity.LoadOrCreate((configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions()).DataDirectory).Owner);

        // After the silo: hosted services start in order and stop in reverse, so jobs stop before the grains they call.
        services.AddSingleton<JobScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
        services.AddHostedService<DeadNodeLeases>();
        services.AddHostedService<NodeHeartbeat>();
        return builder;
    }

    public static WebApplication MapGranary(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "docs";
            options.SwaggerEndpoint("/openapi/v1.json", "Granary v1");
            options.DocumentTitle = "Granary API";
        });
        app.MapHealthApi();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapDatasetsApi();
        app.MapJobsApi();
        app.MapModelsApi();
        app.MapInferenceApi();
        app.MapEvaluationsApi();
        app.MapClusterApi();
        app.MapOpenInferenceApi();
        return app;
    }

    private static void AddOptions<T>(IServiceCollection services, IConfiguration configuration, string section)
        where T : class =>
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();

    private static IBlobStore CreateBlobStore(NodeOptions node, StorageOptions storage) => storage.Blobs switch
    {
        "folder" => new FolderBlobStore(storage.BlobsPath ?? Path.Combine(node.DataDirectory, "blobs")),
        _ => throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions), [$"Unknown blob store '{storage.Blobs}'."]),
    };
}
