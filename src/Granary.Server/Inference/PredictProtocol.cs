using System.Buffers;
using System.Text.Json;
using Granary.Core.Inference;
using Granary.Core.Linear;

namespace Granary.Server.Inference;

/// <summary>
/// The hot path of <c>/v1/models/{ref}/predict</c>: reads <c>{"rows":[{...}]}</c> straight from UTF-8 into the
/// predictor's row buffer (feature names and levels looked up by their UTF-8 bytes) and writes the answer with a
/// Utf8JsonWriter, so a request allocates per request, not per row or per field.
/// </summary>
public static class PredictProtocol
{
    /// <summary>Where and why a request was refused; null fields when it was fine.</summary>
    public readonly record struct Fault(string Code, string Detail, int? Row, string? Field);

    public static Fault? Predict(ReadOnlySpan<byte> body, LinearPredictor predictor, string model, int version, IBufferWriter<byte> destination, out int rows)
    {
        rows = 0;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        using var writer = new Utf8JsonWriter(destination);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new Fault("invalid_argument", "The body needs {\"rows\": [{...}, ...]} with at least one row.", null, null);
            }

            writer.WriteStartObject();
            writer.WriteString("model"u8, model);
            writer.WriteNumber("version"u8, version);
            writer.WritePropertyName("predictions"u8);
            writer.WriteStartArray();
            var row = predictor.CreateRow();
            Span<double> output = stackalloc double[predictor.OutputCount];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("rows"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                {
                    return new Fault("invalid_argument", "'rows' must be an array of objects.", null, null);
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return new Fault("invalid_argument", $"rows[{rows}] must be an object.", rows, null);
                    }

                    row.Reset();
                    if (FillRow(ref reader, row, rows) is { } fault)
                    {
                        return fault;
                    }

                    predictor.Predict(row, output);
                    Write(writer, predictor, output);
                    rows++;
                }
            }

            if (rows == 0)
            {
                return new Fault("invalid_argument", "The body needs {\"rows\": [{...}, ...]} with at least one row.", null, null);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            return null;
        }
        catch (JsonException error)
        {
            return new Fault("invalid_json", $"The body is not a valid predict request: {error.Message}", null, null);
        }
    }

    private static Fault? FillRow(ref Utf8JsonReader reader, RowBuffer row, int index)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var feature = reader.ValueIsEscaped ? row.FindFeature(reader.GetString().AsSpan()) : row.FindFeature(reader.ValueSpan);
            var field = feature < 0 ? null : row.Predictor.FeatureName(feature);
            reader.Read();
            if (feature < 0)
            {
                reader.Skip();
                continue;
            }

            var categorical = row.Predictor.KindOf(feature) == FeatureKind.Categorical;
            var accepted = reader.TokenType switch
            {
                JsonTokenType.Null => SetMissing(row, feature),
                JsonTokenType.Number => reader.TryGetDouble(out var number) && row.TrySetNumeric(feature, number),
                JsonTokenType.True => row.TrySetBoolean(feature, true),
                JsonTokenType.False => row.TrySetBoolean(feature, false),
                JsonTokenType.String when categorical => reader.ValueIsEscaped
                    ? row.TrySetCategorical(feature, reader.GetString().AsSpan())
                    : row.TrySetCategorical(feature, reader.ValueSpan),
                _ => false,
            };
            if (!accepted)
            {
                var kind = reader.TokenType.ToString().ToLowerInvariant();
                return new Fault("invalid_value",
                    $"rows[{index}]: '{field}' must be {(categorical ? "a string, number or boolean level" : "a number or boolean")}, not {kind}.", index, field);
            }
        }

        return null;
    }

    private static void Write(Utf8JsonWriter writer, LinearPredictor predictor, ReadOnlySpan<double> output)
    {
        writer.WriteStartObject();
        if (predictor.Objective == LinearObjective.Squared || predictor.Classes is null)
        {
            writer.WriteNumber("prediction"u8, output[0]);
            writer.WriteNull("probabilities"u8);
        }
        else
        {
            var classes = predictor.Classes;
            var best = 0;
            for (var k = 1; k < classes.Count; k++)
            {
                best = output[k] > output[best] ? k : best;
            }

            writer.WriteString("prediction"u8, classes[best]);
            writer.WritePropertyName("probabilities"u8);
            writer.WriteStartObject();
            for (var k = 0; k < classes.Count; k++)
            {
                writer.WriteNumber(classes[k], output[k]);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static bool SetMissing(RowBuffer row, int feature)
    {
        row.SetMissing(feature);
        return true;
    }

    /// <summary>Reads a whole request body into a pooled buffer (Kestrel's body limit bounds it).</summary>
    public static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength.Value : 4096);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return (buffer, length);
            }

            length += read;
        }
    }
}
