using System.Net;
using System.Text;

namespace Granary.Cli.Tests.Unit;

/// <summary>Records each request (with its body read to the end) and answers with a canned response.</summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly HttpStatusCode _status;
    private readonly string _body;
    private readonly string _mediaType;

    public StubHandler(HttpStatusCode status, string body, string mediaType = "application/json")
    {
        _status = status;
        _body = body;
        _mediaType = mediaType;
    }

    public HttpRequestMessage? Request { get; private set; }

    public byte[]? RequestBody { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Request = request;
        if (request.Content is not null)
        {
            RequestBody = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        }

        return new HttpResponseMessage(_status) { Content = new StringContent(_body, Encoding.UTF8, _mediaType) };
    }
}
