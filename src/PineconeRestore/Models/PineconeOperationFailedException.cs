namespace PineconeRestore
{
    /// <summary>
    /// Something Pinecone ran ended badly: a restore job Failed or was Cancelled, a backup failed to initialize, a restore drill did not pass.
    /// The request itself succeeded; the operation it reports on did not.
    /// </summary>
    public sealed class PineconeOperationFailedException : PineconeException
    {
        public PineconeOperationFailedException(string message, string resourceId, string status, System.Exception? innerException = null)
            : base(message, innerException)
        {
            ResourceId = resourceId;
            Status = status;
        }

        /// <summary>The id of the restore job or backup.</summary>
        public string ResourceId { get; }

        /// <summary>Its final status as the API sent it (Failed, Cancelled, InitializationFailed, ...).</summary>
        public string Status { get; }
    }
}
