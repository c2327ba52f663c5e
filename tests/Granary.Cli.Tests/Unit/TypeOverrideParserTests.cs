using Granary.Cli.Datasets;

namespace Granary.Cli.Tests.Unit;

public sealed class TypeOverrideParserTests
{
    [Fact]
    public void TryParse_RepeatedValues_MapsEachColumn()
    {
        Assert.True(TypeOverrideParser.TryParse(["price:numeric", "zip:string"], out var types, out var error));
        Assert.Null(error);
        Assert.Equal("numeric", types["price"]);
        Assert.Equal("string", types["zip"]);
    }

    [Fact]
    public void TryParse_CommaSeparatedAndMixedCase_NormalizesType()
    {
        Assert.True(TypeOverrideParser.TryParse(["a:Numeric, b:BOOLEAN"], out var types, out _));
        Assert.Equal(2, types.Count);
        Assert.Equal("numeric", types["a"]);
        Assert.Equal("boolean", types["b"]);
    }

    [Fact]
    public void TryParse_ColumnNameWithColon_SplitsOnLastColon()
    {
        Assert.True(TypeOverrideParser.TryParse(["time:utc:timestamp"], out var types, out _));
        Assert.Equal("timestamp", types["time:utc"]);
    }

    [Theory]
    [InlineData("price", "'price' is not COLUMN:TYPE")]
    [InlineData(":numeric", "':numeric' is not COLUMN:TYPE")]
    [InlineData("price:", "'price:' is not COLUMN:TYPE")]
    [InlineData("price:number", "'number' in 'price:number' is not a column type")]
    public void TryParse_Malformed_ReturnsErrorNamingValue(string value, string expectedError)
    {
        Assert.False(TypeOverrideParser.TryParse([value], out _, out var error));
        Assert.StartsWith(expectedError, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SameColumnTwice_ReturnsError()
    {
        Assert.False(TypeOverrideParser.TryParse(["a:numeric", "a:string"], out _, out var error));
        Assert.Contains("more than once", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(";", ";")]
    [InlineData("tab", "\t")]
    [InlineData("\\t", "\t")]
    [InlineData("|", "|")]
    public void TryParseDelimiter_Valid_ReturnsCharacter(string value, string expected)
    {
        Assert.True(TypeOverrideParser.TryParseDelimiter(value, out var delimiter));
        Assert.Equal(expected, delimiter);
    }

    [Fact]
    public void TryParseDelimiter_TwoCharacters_Fails() =>
        Assert.False(TypeOverrideParser.TryParseDelimiter(";;", out _));
}
