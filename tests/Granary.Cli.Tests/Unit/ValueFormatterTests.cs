using System.Text.Json;
using Granary.Cli.Output;

namespace Granary.Cli.Tests.Unit;

public sealed class ValueFormatterTests
{
    [Theory]
    [InlineData("42", "42")]
    [InlineData("2.5", "2.5")]
    [InlineData("0.333333333", "0.3333")]
    [InlineData("\"apple\"", "apple")]
    [InlineData("true", "true")]
    [InlineData("null", ValueFormatter.Missing)]
    [InlineData("12345678901", "12345678901")]
    public void Format_JsonElement_IsReadable(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, ValueFormatter.Format(document.RootElement.Clone()));
    }

    [Theory]
    [InlineData(2.25, "2.25")]
    [InlineData(1e12, "1000000000000")]
    [InlineData(1.5e-7, "1.5e-7")]
    public void FormatNumber_Double_IsCompact(double value, string expected) =>
        Assert.Equal(expected, ValueFormatter.FormatNumber(value));

    [Fact]
    public void Format_Null_IsMissingMarker() =>
        Assert.Equal(ValueFormatter.Missing, ValueFormatter.Format(null));
}
