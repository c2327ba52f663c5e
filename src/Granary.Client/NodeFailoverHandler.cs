namespace Granary.Client;

/// <summary>
/// Sends each request to the node that last answered and, when no connection can be made to it, to the next
/// address in the list. Only a failure to connect moves on: the request never reached a node, so even an upload or
/// a job submission is safe to send again; a node that answered (even with an error) is never asked twice.
/// </summary>
internal sealed class NodeFailoverHandler : DelegatingHandler
{
    private readonly Uri[] _nodes;
    private int _current;

    public NodeFailoverHandler(IReadOnlyList<Uri> nodes, HttpMessageHandler inner)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        _nodes = nodes.Select(WithSlash).ToArray();
    }

    /// <summary>The node requests go to first, now.</summary>
    public Uri Current => _nodes[Volatile.Read(ref _current)];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var relative = Relative(request.RequestUri!);
        if (relative is null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var start = Volatile.Read(ref _current);
        for (var attempt = 0; ; attempt++)
        {
            var index = (start + attempt) % _nodes.Length;
            request.RequestUri = new Uri(_nodes[index], relative);
            try
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _current, index);
                return response;
            }
            catch (HttpRequestException error) when (error.HttpRequestError == HttpRequestError.ConnectionError && attempt + 1 < _nodes.Length)
            {
                // Not connected, so nothing of the request was sent: the next node gets it whole.
            }
        }
    }

    /// <summary>The part of <paramref name="uri"/> after whichever node address it starts with; null when none.</summary>
    private string? Relative(Uri uri)
    {
        foreach (var node in _nodes)
        {
            if (node.IsBaseOf(uri))
            {
                return node.MakeRelativeUri(uri).OriginalString;
            }
        }

        return null;
    }

    private static Uri WithSlash(Uri address) => address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
}
