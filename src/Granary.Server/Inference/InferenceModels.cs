using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.Server.Inference;

/// <summary><c>POST /v1/models/{ref}/predict</c>: rows as JSON objects keyed by feature name.</summary>
public sealed record PredictRequest(IReadOnlyList<Dictionary<string, JsonElement>> Rows);

/// <summary>The answer: which version answered, and one prediction per row.</summary>
public sealed record PredictResponse(string Model, int Version, IReadOnlyList<RowPrediction> Predictions);

/// <summary>
/// A row's prediction: the value (regression) or the most probable class, and for classifiers the
/// probability of each class.
/// </summary>
public sealed record RowPrediction(JsonElement Prediction, IReadOnlyDictionary<string, double>? Probabilities);

/// <summary>An Open Inference Protocol v2 tensor.</summary>
public sealed record InferTensor(string Name, IReadOnlyList<long> Shape, string Datatype, JsonElement Data);

/// <summary>OIP v2 <c>POST /v2/models/{name}/infer</c> body.</summary>
public sealed record InferRequest(string? Id, IReadOnlyList<InferTensor> Inputs);

/// <summary>An OIP v2 output tensor (data as a flat row-major array).</summary>
public sealed record InferOutput(string Name, IReadOnlyList<long> Shape, string Datatype, JsonElement Data);

/// <summary>OIP v2 inference response (the protocol spells its fields in snake_case).</summary>
public sealed record InferResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("model_version")] string ModelVersion,
    string? Id,
    IReadOnlyList<InferOutput> Outputs);

/// <summary>OIP v2 model metadata.</summary>
public sealed record ModelMetadata(string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs);

/// <summary>OIP v2 tensor metadata.</summary>
public sealed record TensorMetadata(string Name, string Datatype, IReadOnlyList<long> Shape);
