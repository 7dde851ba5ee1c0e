using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace PineconeRestore.Client
{
    /// <summary>DELETE of one resource, the same for backups and indexes.</summary>
    internal static class Deletion
    {
        /// <summary>
        /// Sends DELETE {collection}/{id} (202, no body). A 404 after an attempt that may have been acted on (a 5xx, a
        /// lost answer) means that attempt deleted it: false then, true when this call's own attempt did.
        /// </summary>
        public static async Task<bool> DeleteAsync(this PineconeHttpClient http, string collection, string id, string noun, CancellationToken cancellationToken)
        {
            var request = new ApiRequest(HttpMethod.Delete, ApiPath.Join(collection, id));
            try
            {
                await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (PineconeApiException ex) when (ex.StatusCode == 404 && request.EarlierAttemptMayHaveActed)
            {
                http.Log.Write($"DELETE of {noun} {id} answered 404 on a retry: the earlier attempt deleted it.");
                return false;
            }
        }
    }
}
