namespace PineconeRestore.Client
{
    /// <summary>Where the client tells what it is doing (requests, retries). Never given the API key.</summary>
    internal interface IRequestLog
    {
        void Write(string message);
    }

    internal sealed class NullRequestLog : IRequestLog
    {
        public static readonly NullRequestLog Instance = new NullRequestLog();

        public void Write(string message)
        {
        }
    }
}
