using System.Net;
using Granary.Client;

namespace Granary.Cli.Tests.Unit;

public sealed class ProblemParserTests
{
    private const string RaggedRow = """
        {
          "type": "https://granary.dev/problems/ragged_row",
          "title": "Malformed input",
          "status": 400,
          "detail": "row has 2 fields, expected 3",
          "code": "ragged_row",
          "line": 12,
          "column": 7,
          "field": null,
          "traceId": "00-abc"
        }
        """;

    [Fact]
    public void TryParse_ProblemJson_ReadsAllFields()
    {
        var problem = ProblemParser.TryParse(RaggedRow);

        Assert.NotNull(problem);
        Assert.Equal("ragged_row", problem.Code);
        Assert.Equal(400, problem.Status);
        Assert.Equal("row has 2 fields, expected 3", problem.Detail);
        Assert.Equal(12, problem.Line);
        Assert.Equal(7, problem.Column);
        Assert.Null(problem.Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    public void TryParse_NotAProblemObject_ReturnsNull(string body) =>
        Assert.Null(ProblemParser.TryParse(body));

    [Fact]
    public void Describe_FileError_StartsWithLineAndColumn()
    {
        var problem = ProblemParser.TryParse(RaggedRow);

        var message = ErrorMessages.Describe(HttpStatusCode.BadRequest, problem, null);

        Assert.Equal("line 12, column 7: row has 2 fields, expected 3 (ragged_row)", message);
    }

    [Fact]
    public void Describe_FieldNotInDetail_NamesField()
    {
        var problem = ProblemParser.TryParse("""{"detail":"not a number","code":"type_mismatch","line":3,"field":"price"}""");

        var message = ErrorMessages.Describe(HttpStatusCode.UnprocessableEntity, problem, null);

        Assert.Equal("line 3: not a number [field 'price'] (type_mismatch)", message);
    }

    [Fact]
    public void Describe_NoProblem_UsesStatusAndBody()
    {
        var message = ErrorMessages.Describe(HttpStatusCode.BadGateway, null, "upstream down\n");

        Assert.Equal("the node answered 502: upstream down", message);
    }

    [Fact]
    public void GranaryApiException_WithProblem_MessageLocatesFault()
    {
        var exception = new GranaryApiException(HttpStatusCode.BadRequest, ProblemParser.TryParse(RaggedRow));

        Assert.Equal("line 12, column 7: row has 2 fields, expected 3", exception.Message);
        Assert.Equal("ragged_row", exception.Code);
    }
}
